// What the generated operation functions accept and resolve with, checked on the pets fixture's
// golden output (a query parameter, a path parameter, a required body, a `default` response) and
// on this package's own `authTokensCreate`. Each function's option type is written out by the
// generator instead of being openapi-fetch's `FetchOptions<Op>`: these say it still refuses
// and accepts what openapi-fetch's type did.
import createClient, { type FetchOptions } from "openapi-fetch";
import { describe, expectTypeOf, it } from "vitest";
import {
  type AuthTokensCreateBody,
  type AuthTokensCreateOptions,
  type AuthTokensCreateResult,
  authTokensCreate,
  type OperationResult as DevRevOperationResult,
  type paths as devRevPaths,
} from "../../generated/index.js";
import {
  type CreatePetBody,
  type CreatePetOptions,
  type CreatePetResult,
  createPet,
  type DeletePetsPetIdOptions,
  type DeletePetsPetIdResult,
  deletePetsPetId,
  type ListPetsOptions,
  type ListPetsResult,
  listPets,
  type OperationResult,
  type Pet,
  type Error as PetError,
  type PetKind,
  type paths,
} from "../fixtures/pets/golden/index.js";

const client = createClient<paths>({ baseUrl: "http://127.0.0.1:1" });
const pet: Pet = { kind: "cat", name: "Tom" };

type ListPets = paths["/pets"]["get"];
type CreatePet = paths["/pets"]["post"];
type DeletePet = paths["/pets/{petId}"]["delete"];
type AuthTokensCreate = devRevPaths["/auth-tokens.create"]["post"];

/** Each assignable to the other: the same values pass. */
type SameValues<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

describe("generated option types refuse what openapi-fetch's refused", () => {
  it("a query parameter of the wrong type", () => {
    // @ts-expect-error: not a pet kind
    void listPets(client, { params: { query: { kind: "fish" } } });
    // @ts-expect-error: nor an unknown query parameter
    void listPets(client, { params: { query: { colour: "red" } } });
    void listPets(client, { params: { query: { kind: "3-toed-sloth" } } });
    void listPets(client);
  });

  it("a missing or wrong path parameter", () => {
    // @ts-expect-error: the options are required
    void deletePetsPetId(client);
    // @ts-expect-error: params are required
    void deletePetsPetId(client, {});
    // @ts-expect-error: petId is required
    void deletePetsPetId(client, { params: { path: {} } });
    // @ts-expect-error: petId is a string
    void deletePetsPetId(client, { params: { path: { petId: 7 } } });
    void deletePetsPetId(client, { params: { path: { petId: "7" } } });
  });

  it("a missing, wrong or needless body", () => {
    // @ts-expect-error: the body is required
    void createPet(client, {});
    // @ts-expect-error: no pet without a name
    void createPet(client, { body: { kind: "cat" } });
    // @ts-expect-error: the operation takes no body
    void listPets(client, { body: pet });
    // @ts-expect-error: nor does a delete
    void deletePetsPetId(client, { params: { path: { petId: "7" } }, body: pet });
    void createPet(client, { body: pet });
  });

  it("an option openapi-fetch does not have", () => {
    // @ts-expect-error: no such option
    void createPet(client, { body: pet, retries: 3 });
  });
});

describe("generated option types accept openapi-fetch's per-request options", () => {
  it("the fetch options and openapi-fetch's own", () => {
    void createPet(client, {
      body: pet,
      headers: { "x-trace": "t1" },
      baseUrl: "http://127.0.0.1:2",
      parseAs: "text",
      signal: AbortSignal.timeout(1000),
      cache: "no-store",
      fetch: (request) => fetch(request),
      middleware: [{ onRequest: ({ request }) => request }],
      pathSerializer: (path) => path,
    });
  });

  it("serializers that take the operation's own query and body", () => {
    void listPets(client, {
      querySerializer: (query) => {
        expectTypeOf(query).toEqualTypeOf<{ kind?: PetKind }>();
        return "";
      },
    });
    void listPets(client, { querySerializer: { array: { style: "form", explode: false } } });
    void createPet(client, {
      body: pet,
      bodySerializer: (body) => {
        expectTypeOf(body).toEqualTypeOf<Pet>();
        return JSON.stringify(body);
      },
    });
    // @ts-expect-error: a serializer of another operation's query
    void listPets(client, { querySerializer: (query: { page: number }) => String(query.page) });
  });
});

describe("generated option types and openapi-fetch's agree", () => {
  it("on every operation of the fixture, and on authTokensCreate", () => {
    expectTypeOf<SameValues<ListPetsOptions, FetchOptions<ListPets>>>().toEqualTypeOf<true>();
    expectTypeOf<SameValues<DeletePetsPetIdOptions, FetchOptions<DeletePet>>>().toEqualTypeOf<true>();
    // The body by its own name, as the functions took it before.
    type CreatePetBefore = Omit<FetchOptions<CreatePet>, "body"> & { body: CreatePetBody };
    expectTypeOf<SameValues<CreatePetOptions, CreatePetBefore>>().toEqualTypeOf<true>();
    type AuthTokensCreateBefore = Omit<FetchOptions<AuthTokensCreate>, "body"> & { body: AuthTokensCreateBody };
    expectTypeOf<SameValues<AuthTokensCreateOptions, AuthTokensCreateBefore>>().toEqualTypeOf<true>();
    // And on which are optional: the options, params and body.
    expectTypeOf(listPets).parameter(1).toEqualTypeOf<ListPetsOptions | undefined>();
    expectTypeOf(deletePetsPetId).parameter(1).toEqualTypeOf<DeletePetsPetIdOptions>();
    expectTypeOf(createPet).parameter(1).toEqualTypeOf<CreatePetOptions>();
    expectTypeOf<
      SameValues<Pick<DeletePetsPetIdOptions, "params">, Pick<FetchOptions<DeletePet>, "params">>
    >().toEqualTypeOf<true>();
    expectTypeOf<
      SameValues<Pick<ListPetsOptions, "params">, Pick<FetchOptions<ListPets>, "params">>
    >().toEqualTypeOf<true>();
    expectTypeOf<SameValues<Pick<CreatePetOptions, "body">, Pick<CreatePetBefore, "body">>>().toEqualTypeOf<true>();
  });
});

describe("generated result types", () => {
  it("are the operation's OperationResult", () => {
    expectTypeOf<ListPetsResult>().toEqualTypeOf<OperationResult<ListPets>>();
    expectTypeOf<CreatePetResult>().toEqualTypeOf<OperationResult<CreatePet>>();
    expectTypeOf<DeletePetsPetIdResult>().toEqualTypeOf<OperationResult<DeletePet>>();
    expectTypeOf<AuthTokensCreateResult>().toEqualTypeOf<DevRevOperationResult<AuthTokensCreate>>();
  });

  it("narrow on status to each documented body, success and error alike", async () => {
    const created = await createPet(client, { body: pet });
    expectTypeOf(created.status).toEqualTypeOf<201 | 422>();
    if (created.status === 201) expectTypeOf(created.body).toEqualTypeOf<Pet>();
    if (created.status === 422) expectTypeOf(created.body).toEqualTypeOf<PetError>();
    const deleted = await deletePetsPetId(client, { params: { path: { petId: "7" } } });
    expectTypeOf(deleted.status).toEqualTypeOf<204 | 404>();
    expectTypeOf(deleted.body).toEqualTypeOf<undefined>();
    // `default` documents every status, its body the error schema.
    const listed = await listPets(client);
    expectTypeOf(listed.status).toEqualTypeOf<number>();
    if (listed.status === 200) expectTypeOf(listed.body).toEqualTypeOf<Pet[] | PetError>();
    expectTypeOf(listed.response).toEqualTypeOf<Response>();
  });
});
