import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import createClient from "openapi-fetch";
import { describe, expect, it } from "vitest";
import type { GeneratedFiles } from "../../scripts/generate.js";
import { ROOT } from "../helpers/cli.js";
import { useGeneratedProjects } from "../helpers/generated-project.js";

// `npm run test:corpus` runs the whole public corpus; each construct that stopped it has its own
// minimal spec in test/fixtures/real-world/, so CI covers them without the corpus. (opencode's,
// a tsc stack overflow on megabytes of Ajv code, is covered by emitting that code as JavaScript
// with declarations, which the golden test pins.)
const FIXTURES = join(ROOT, "test/fixtures/real-world");
type Generated = Record<string, any>;

const checks: Record<string, (generated: Generated, files: GeneratedFiles) => Promise<void> | void> = {
  "example-ref.yaml": ({ validateGroup }) => {
    expect(validateGroup({ name: "octo" }).valid).toBe(true);
  },
  "extension-ref.yaml": ({ operationTable }) => {
    expect(operationTable.listTrips).toMatchObject({ method: "get", path: "/trips" });
  },
  "reserved-operation-ids.yaml": ({ delete_, import_, export_, operationTable }) => {
    for (const fn of [delete_, import_, export_]) expect(typeof fn).toBe("function");
    expect(operationTable.import_).toMatchObject({ operationId: "import", statuses: [204], anyStatus: false });
  },
  "no-responses.yaml": async ({ removeGroup, operationTable }) => {
    expect(operationTable.removeGroup).toMatchObject({ statuses: [], anyStatus: true });
    const client = createClient({
      baseUrl: "http://127.0.0.1:1",
      fetch: async () => new Response(null, { status: 418 }),
    });
    await expect(removeGroup(client, { params: { path: { id: "g" } } })).resolves.toMatchObject({ status: 418 });
  },
  "openapi-30-dialect.yaml": ({ validateGroup }) => {
    expect(validateGroup({ name: "a:b-c", size: 1, note: null, legacy: "x" }).valid).toBe(true);
    // `exclusiveMinimum: true` beside `minimum: 0` excludes 0 itself.
    expect(validateGroup({ name: "a", size: 0 }).valid).toBe(false);
    // The pattern keeps its meaning once its needless escapes are dropped.
    expect(validateGroup({ name: "a b" }).valid).toBe(false);
  },
  "parameter-ref.yaml": ({ validatePage }) => {
    expect(validatePage({ limit: 10, kind: "a" }).valid).toBe(true);
    expect(validatePage({ limit: "10" }).valid).toBe(false);
    expect(validatePage({ kind: "c" }).valid).toBe(false);
  },
  "schema-names.yaml": ({ is_400, validateLabels }) => {
    expect(is_400({ message: "bad" })).toBe(true);
    expect(validateLabels({ count: 1, tag: "x" }).valid).toBe(true);
    expect(validateLabels({ tag: 2 }).valid).toBe(false);
  },
  "nested-enums.yaml": (g) => {
    expect(g.GroupVisibility).toEqual({ Hidden: "hidden" });
    expect(g.GroupVisibilityEnum).toEqual({ Public: "public", Private: "private" });
    expect(g.GroupTagsItem).toEqual({ Red: "urn:acme:tag:red", Blue: "urn:acme:tag:blue" });
    expect(g.GroupSettingsValue).toEqual({ On: "on", Off: "off" });
    expect(g.GroupColour).toEqual({ Crimson: "urn:acme:colour:red", Lime: "urn:acme:colour:green" });
    expect(g.ResponseFormatEnum).toEqual({ None: "none", Auto: "auto" });
    expect(g.isResponseFormat(g.ResponseFormatEnum.Auto)).toBe(true);
  },
  "shared-request-body.yaml": ({ validateCreateRuleBody, validateUpdateRuleBody }) => {
    for (const validate of [validateCreateRuleBody, validateUpdateRuleBody]) {
      expect(validate({ name: "r" }).valid).toBe(true);
      expect(validate({}).valid).toBe(false);
    }
  },
  "empty-enum.yaml": ({ validateMakeThingBody }) => {
    expect(validateMakeThingBody({ name: "n" }).valid).toBe(true);
    expect(validateMakeThingBody({ flags: 0 }).valid).toBe(false);
  },
  "format-literals.yaml": ({ validateContact, isOwner }) => {
    expect(
      validateContact({ email: "a@b.example", seen: "2026-12-03T10:00:00Z", schema0: "it's `quoted`" }).valid,
    ).toBe(true);
    expect(validateContact({ email: "not an address" }).issues).toEqual([
      expect.objectContaining({ path: "email", keyword: "format" }),
    ]);
    expect(validateContact({ email: "a@b.example", schema0: "validate0" }).issues).toEqual([
      expect.objectContaining({ path: "schema0", keyword: "enum" }),
    ]);
    expect(isOwner({ email: "a@b.example", schema0: "formats2" })).toBe(true);
    expect(isOwner({ email: "a@b" })).toBe(false);
  },
  "refs-into-schemas.yaml": ({ validateIncident, isAlert, isService }) => {
    expect(validateIncident({ urgency: "high", service: { label: "ok" } }).valid).toBe(true);
    expect(validateIncident({ urgency: "soon" }).issues).toEqual([
      expect.objectContaining({ path: "urgency", keyword: "enum" }),
    ]);
    expect(validateIncident({ urgency: "low", service: { label: "too long" } }).issues).toEqual([
      expect.objectContaining({ path: "service.label", keyword: "maxLength" }),
    ]);
    expect(isAlert({ urgency: "low" })).toBe(true);
    expect(isService({ urgency: "x" })).toBe(false);
  },
  "pattern-properties.yaml": ({ isLabels, isDependent }) => {
    expect(isLabels({ count: 1, "x-a_b": "v" })).toBe(true);
    expect(isLabels({ "x-a": 1 })).toBe(false);
    expect(isDependent({ a: 1, b: "x:y" })).toBe(true);
    expect(isDependent({ a: 1, b: "x-y" })).toBe(false);
    expect(isDependent({ b: "x-y" })).toBe(true);
  },
  "object-equality.yaml": ({ isTags, isChoice, isLiteral }) => {
    expect(isLiteral({ $ref: "#/components/schemas/Tags" })).toBe(true);
    expect(isLiteral([])).toBe(false);
    const own = JSON.parse('[{"valueOf": 1}, {"valueOf": 1}, {"toString": "x"}]');
    expect(isTags(own)).toBe(false);
    expect(isTags(own.slice(1))).toBe(true);
    expect(isChoice(JSON.parse('{"toString": "x"}'))).toBe(false);
    expect(isChoice({ a: 1 })).toBe(true);
    expect(isChoice([1])).toBe(true);
    expect(isChoice([1, 2])).toBe(false);
  },
  "discriminator-through-refs.yaml": ({ isRef, isUserRef }) => {
    expect(isUserRef({ type: "user" })).toBe(true);
    expect(isUserRef({ type: "UserRef" })).toBe(false);
    expect(isRef({ type: "team", name: "t" })).toBe(true);
  },
  "awkward-names.yaml": async (g) => {
    // Not a thenable: `await import()` gave the module (a `then` export would have been called).
    expect(g.then).toBeUndefined();
    expect(g.operationTable.then_).toMatchObject({ operationId: "then", path: "/files/a%20b/{id}" });
    expect(g.validateThenBody({ valueOf: 1, hasOwnProperty: true }).valid).toBe(true);
    // The schema keeps its name, told apart from the generated helper type by where it stands.
    expect(g.isOperationBodySchema({ valueOf: 1 })).toBe(true);
    expect(g.validateThenBody({ valueOf: "1" }).valid).toBe(false);
    expect(g.isNaN("x")).toBe(true);
    expect(g.isInfinity({ size: 1 })).toBe(false);
    const requests: string[] = [];
    const client = createClient({
      baseUrl: "http://127.0.0.1:1",
      fetch: async (request: Request) => {
        requests.push(request.url);
        return new Response(null, { status: 204 });
      },
    });
    await expect(g.then_(client, { params: { path: { id: "7" } }, body: { valueOf: 1 } })).resolves.toMatchObject({
      status: 204,
    });
    expect(requests).toEqual(["http://127.0.0.1:1/files/a%20b/7"]);
  },
  "nullable-reference.yaml": ({ isFolder, isNarrow }) => {
    expect(isFolder({ shared_link: null })).toBe(true);
    expect(isFolder({ shared_link: { url: "u" } })).toBe(true);
    expect(isFolder({ shared_link: {} })).toBe(false);
    // The type admits null as the schema does (tsc above: no TS2344 on WithRequired).
    expect(isNarrow(null)).toBe(true);
    expect(isNarrow({})).toBe(false);
  },
  "pinned-discriminator.yaml": ({ isTrackObject, isPlayable }, files) => {
    expect(isTrackObject({ type: "track" })).toBe(true);
    expect(isTrackObject({ type: "TrackObject" })).toBe(false);
    expect(isPlayable({ type: "episode", show: "s" })).toBe(true);
    // The types say what the schema says, as the guards do.
    expect(files.get("schema.ts")).toMatch(/type: "track";/);
    expect(files.get("schema.ts")).not.toContain('"TrackObject";');
  },
  "multi-file": async ({ operationTable, isCustomer, validateCreateCustomerBody, listCustomers }, files) => {
    expect(operationTable.listCustomers).toMatchObject({ method: "get", path: "/customers" });
    const address = { city: "Paris" };
    expect(isCustomer({ id: "c", address, parent: { id: "p", address } })).toBe(true);
    expect(isCustomer({ id: "c", address, parent: { id: "p" } })).toBe(false);
    expect(validateCreateCustomerBody({ name: "n", address }).valid).toBe(true);
    expect(validateCreateCustomerBody({ address }).valid).toBe(false);
    // A file is one schema wherever it is referenced: the recursive one stays a reference.
    expect(files.get("schema.ts")).toContain('parent?: components["schemas"]["Customer"];');
    const urls: string[] = [];
    const client = createClient({
      baseUrl: "http://127.0.0.1:1",
      fetch: async (request: Request) => {
        urls.push(request.url);
        return Response.json([]);
      },
    });
    await listCustomers(client, { params: { query: { page: 2 } } });
    expect(urls).toEqual(["http://127.0.0.1:1/customers?page=2"]);
  },
};

/** A fixture is one spec file, or a folder whose root file is `openapi.yaml`. */
const specOf = (fixture: string) => join(FIXTURES, fixture.endsWith(".yaml") ? fixture : `${fixture}/openapi.yaml`);

describe("constructs from real-world specs", () => {
  const generateProject = useGeneratedProjects({ specs: Object.keys(checks).map(specOf) });

  it("every fixture has its checks", async () => {
    expect((await readdir(FIXTURES)).sort()).toEqual(Object.keys(checks).sort());
  });

  for (const [fixture, check] of Object.entries(checks)) {
    it(`${fixture}: generates, type-checks, and means what the spec means`, { timeout: 120_000 }, async () => {
      const { out, files, tscOutput } = await generateProject(specOf(fixture));
      expect(tscOutput).toBe("");
      for (const file of (await readdir(out)).filter((name) => name.endsWith(".ts"))) {
        expect(await readFile(join(out, file), "utf8"), `${file} has trailing whitespace`).not.toMatch(/[ \t]$/m);
      }
      await check(await import(join(out, "index.ts")), files);
    });
  }
});
