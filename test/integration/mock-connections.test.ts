import { afterEach, describe, expect, it } from "vitest";
import { type MockServer, startMockServer } from "../../mock/index.js";

let mock: MockServer | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

/**
 * Under load, the in-process mock used to reset connections (ECONNRESET): its
 * server closed a keep-alive connection idle for Node's 5 s while the client,
 * in the same stalled process, had already written its next request on it
 * (fetch keeps idle connections for 4 s, on a coarse timer). A mock that never
 * closes idle connections itself leaves no such race: the client closes them.
 */
describe("the in-process mock's keep-alive connections", () => {
  it("carry no idle deadline of the mock's own for a client to race", async () => {
    mock = await startMockServer();
    const response = await fetch(`${mock.url}/auth-tokens.create`, {
      method: "POST",
      headers: { authorization: "aat", "content-type": "application/json" },
      body: JSON.stringify({ rev_info: { user_ref: "u" } }),
    });
    await response.arrayBuffer();
    expect(response.status).toBe(201);
    expect(response.headers.get("connection")).toBe("keep-alive");
    // Node announces its idle timeout here (`timeout=5`) and closes the connection when it passes.
    expect(response.headers.get("keep-alive")).toBeNull();
  });
});
