import { describe, expect, it } from "vitest";
import { ConfigurationError, createDevRevClient, createSessionTokenHandler } from "../../src/server/index.js";
import { fakeJwt, TEST_AAT } from "../helpers/tokens.js";

const EXP = 4102444800;
const client = () =>
  createDevRevClient({
    token: TEST_AAT,
    maxRetries: 0,
    fetch: async () =>
      Response.json({ access_token: fakeJwt({ exp: EXP }), expires_in: EXP, token_type: "bearer" }, { status: 201 }),
  });
const handlerWith = (options: Partial<Parameters<typeof createSessionTokenHandler>[0]>) =>
  createSessionTokenHandler({ client: client(), identify: () => ({ user_ref: "ada" }), logLevel: "off", ...options });
const post = (headers: Record<string, string> = {}) =>
  new Request("http://site.test/api/plug/session", { method: "POST", headers });

/** The ConfigurationError `create` throws, or a failure naming what it did instead. */
function configurationError(create: () => unknown): ConfigurationError {
  try {
    create();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error("created without a ConfigurationError");
}

describe("createSessionTokenHandler refuses configuration mistakes at creation", () => {
  it.each([
    [5000, "is 5000, a lifetime DevRev refuses: it must be a whole number of minutes from 0 to 1440 (one day)"],
    [-1, "is -1, a lifetime DevRev refuses: it must be a whole number of minutes from 0 to 1440 (one day)"],
    [1.5, "is 1.5, a lifetime DevRev refuses: it must be integer"],
    [Number.NaN, "is NaN, a lifetime DevRev refuses: it must be a finite number"],
    ["60", 'is "60", a lifetime DevRev refuses: it must be integer'],
  ])("expiresInMinutes %s, by the spec's rule", (expiresInMinutes, why) => {
    const error = configurationError(() => handlerWith({ expiresInMinutes: expiresInMinutes as number }));
    expect(error.message).toBe(`createSessionTokenHandler: \`expiresInMinutes\` ${why}`);
  });

  it.each([0, 1440])("accepts expiresInMinutes %i and sends it", async (expiresInMinutes) => {
    const sent: unknown[] = [];
    const handler = createSessionTokenHandler({
      client: createDevRevClient({
        token: TEST_AAT,
        fetch: async (request) => {
          sent.push(await request.json());
          return Response.json(
            { access_token: fakeJwt({ exp: EXP }), expires_in: EXP, token_type: "bearer" },
            { status: 201 },
          );
        },
      }),
      identify: () => ({ user_ref: "ada" }),
      expiresInMinutes,
    });
    expect((await handler(post())).status).toBe(200);
    expect(sent).toEqual([{ rev_info: { user_ref: "ada" }, expires_in_mins: expiresInMinutes }]);
  });

  it.each([
    ["not a url", "is not a URL"],
    ["null", "would admit every sandboxed iframe"],
    ["file:///index.html", "has no host"],
    ["capacitor:localhost", "has no host"],
    ["https://app.example/login", "has a path"],
    ["https://app.example?x=1", "has a path, query or fragment"],
    ["https://user:pw@app.example", "has a user name or password"],
    [42, "is not a string"],
  ])("a malformed allowedOrigins entry %j, named in the error", (entry, why) => {
    const error = configurationError(() => handlerWith({ allowedOrigins: ["https://ok.example", entry as string] }));
    expect(error.message).toContain(`entry ${JSON.stringify(entry)} ${why}`);
  });
});

describe("allowedOrigins with an app's own scheme", () => {
  const allowedOrigins = ["capacitor://localhost", "chrome-extension://abcdefghij/", "https://app.example:8443"];

  it.each([
    ["capacitor://localhost", 200],
    ["chrome-extension://abcdefghij", 200],
    ["https://app.example:8443", 200],
    // What every sandboxed iframe and file: page sends; "capacitor://..." used to normalise to it.
    ["null", 403],
    ["capacitor://evil", 403],
    ["chrome-extension://otherextension", 403],
    ["https://app.example", 403],
  ])("Origin: %s gets %i", async (origin, status) => {
    const response = await handlerWith({ allowedOrigins })(post({ origin }));
    expect(response.status).toBe(status);
  });
});
