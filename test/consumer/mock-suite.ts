// A consumer's integration suite, copied in as mock.test.ts and run by check.sh against the packed package
// with the vitest config the README gives: the app's backend is steered and
// observed through the mock's controls, never by changing the app's requests.
import "devrev-plug-session/mock/vitest-context";
import { createDevRevClient, createSessionTokenHandler } from "devrev-plug-session/server";
import { describe, expect, inject, it } from "vitest";

const mockUrl: string = inject("devrevMockUrl");

// The app under test: its backend route, with an account and workspace per user.
// It caches tokens per user, so each test signs in users of its own.
const WORKSPACES: Record<string, { account_ref: string; workspace_ref: string }> = {
  ada: { account_ref: "acme", workspace_ref: "acme-eu" },
  ann: { account_ref: "acme", workspace_ref: "acme-eu" },
  eve: { account_ref: "evil-corp", workspace_ref: "acme-eu" },
};
const app = createSessionTokenHandler({
  client: createDevRevClient({ token: "test-aat", baseUrl: mockUrl, maxRetries: 0 }),
  identify: (request) => {
    const user = new URL(request.url).searchParams.get("user") ?? "";
    return { user_ref: user, user_traits: { display_name: user }, ...WORKSPACES[user] };
  },
});
const signIn = (user: string) => app(new Request(`http://app.test/api/plug/session?user=${user}`, { method: "POST" }));

async function control(path: string, body?: unknown) {
  const init =
    body === undefined
      ? { method: "POST" }
      : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  return fetch(`${mockUrl}/__mock/${path}`, init);
}

describe("the app against the DevRev mock", () => {
  it("sends the signed-in user's rev_info", async () => {
    expect((await signIn("ada")).status).toBe(200);
    const { requests } = await (await fetch(`${mockUrl}/__mock/requests`)).json();
    expect(requests).toHaveLength(1);
    expect(requests[0].body.rev_info).toEqual({
      user_ref: "ada",
      user_traits: { display_name: "ada" },
      account_ref: "acme",
      workspace_ref: "acme-eu",
    });
    expect(requests[0].headers.authorization).toBe("[REDACTED]");
  });

  it("passes DevRev's rate limit on to the browser", async () => {
    expect((await control("scenarios", { status: 429, times: 1, retryAfter: 7 })).status).toBe(201);
    const limited = await signIn("grace");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect((await signIn("grace")).status).toBe(200);
  });

  it("reports a workspace already under another account", async () => {
    expect((await signIn("ann")).status).toBe(200);
    const conflict = await signIn("eve");
    expect(conflict.status).toBeGreaterThanOrEqual(400);
    const { requests } = await (await fetch(`${mockUrl}/__mock/requests`)).json();
    expect(requests.map((r: { status: number }) => r.status)).toEqual([201, 409]);
  });
});
