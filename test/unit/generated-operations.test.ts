import createClient from "openapi-fetch";
import { describe, expect, it } from "vitest";
import type { paths } from "../../generated/index.js";
import { authTokensCreate, operationTable, UndeclaredStatusError } from "../../generated/index.js";
import { seedBodyByRevInfo } from "../fixtures/seed-bodies.js";

/** A client whose fetch answers with `respond` and records each request. */
function clientAnswering(respond: (request: Request) => Response) {
  const requests: Request[] = [];
  const client = createClient<paths>({
    baseUrl: "http://127.0.0.1:1",
    fetch: async (request) => {
      requests.push(request.clone());
      return respond(request);
    },
  });
  return { client, requests };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

describe("generated operation functions", () => {
  it("the operation table lists the operation with its method, path and statuses", () => {
    expect(operationTable.authTokensCreate).toEqual({
      operationId: "authTokensCreate",
      method: "post",
      path: "/auth-tokens.create",
      statuses: [200, 201, 400, 401, 403, 404, 409, 413, 429, 500, 503],
      anyStatus: false,
    });
  });

  it("authTokensCreate posts the body as JSON and resolves with the 201 body", async () => {
    const token = { access_token: "a.b.c", expires_in: 4102444800, token_type: "bearer" };
    const { client, requests } = clientAnswering(() => json(201, token));
    const result = await authTokensCreate(client, { body: seedBodyByRevInfo });
    expect(result.status).toBe(201);
    if (result.status === 201) expect(result.body.access_token).toBe("a.b.c");
    expect(requests[0]?.method).toBe("POST");
    expect(new URL(requests[0]?.url ?? "").pathname).toBe("/auth-tokens.create");
    expect(await requests[0]?.json()).toEqual(seedBodyByRevInfo);
  });

  it("resolves a 200, which DevRev's docs also list for success, as it does a 201", async () => {
    const token = { access_token: "a.b.c", expires_in: 4102444800, token_type: "bearer" };
    const { client } = clientAnswering(() => json(200, token));
    const result = await authTokensCreate(client, { body: seedBodyByRevInfo });
    expect(result.status).toBe(200);
    if (result.status === 200) expect(result.body.access_token).toBe("a.b.c");
  });

  it("resolves documented errors with their body instead of throwing", async () => {
    const { client } = clientAnswering(() =>
      json(429, { type: "too_many_requests", retry_after: 3 }, { "retry-after": "3" }),
    );
    const result = await authTokensCreate(client, { body: seedBodyByRevInfo });
    expect(result.status).toBe(429);
    if (result.status === 429) expect(result.body.retry_after).toBe(3);
    expect(result.response.headers.get("retry-after")).toBe("3");
  });

  it("passes per-request options through to openapi-fetch", async () => {
    const { client, requests } = clientAnswering(() => json(201, {}));
    await authTokensCreate(client, { body: seedBodyByRevInfo, headers: { "x-trace": "t1" } });
    expect(requests[0]?.headers.get("x-trace")).toBe("t1");
  });

  it("throws UndeclaredStatusError for a status the spec does not document", async () => {
    const { client } = clientAnswering(() => new Response("<html>bad gateway</html>", { status: 502 }));
    const error = await authTokensCreate(client, { body: seedBodyByRevInfo }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UndeclaredStatusError);
    expect(error).toMatchObject({
      status: 502,
      message: "POST /auth-tokens.create answered 502, which the spec does not document",
    });
  });
});
