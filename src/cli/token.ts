import type { RevInfo } from "../../generated/index.js";
import { MOCK_PEERS, requirePeers } from "../../scripts/spec-reader/peers.js";
import {
  ConfigurationError,
  createDevRevClient,
  createSessionToken,
  DevRevError,
  type SessionTokenInput,
  type SessionTokenResponseBody,
  ValidationError,
} from "../server/index.js";
import { sessionTokenRequestBody } from "../server/session-token.js";
import { parseCommand } from "./command-line.js";
import { devrevBaseUrl } from "./devrev-base-url.js";

const USAGE = `Usage: devrev-plug-session token --user-ref REF [options]
       devrev-plug-session token --subject-token TOKEN [options]

Mints a PLuG session token and prints it with its expiry. Calls DevRev with the
AAT in DEVREV_AAT (at DEVREV_BASE_URL, default https://api.devrev.ai), or a mock
started for the call with --mock.

  --user-ref REF           the user's identifier in your system (the rev_info form)
  --email EMAIL            the user's email
  --display-name NAME      the user's display name
  --account-ref REF        the user's account
  --subject-token TOKEN    a token vouching for the user (the subject-token form)
  --expires-in-mins N      the token's lifetime, 0 to 1440
  --mock                   use a local mock of DevRev instead of the real API
  --json                   print { "session_token", "expires_at" }, as the session handler answers
  --help                   show this text

Exit codes: 0 printed a token, 1 DevRev (or the mock) refused, 2 bad input or usage
(flags, or DEVREV_AAT and DEVREV_BASE_URL).`;

const REV_INFO_FLAGS = ["email", "display-name", "account-ref"] as const;

/** The `token` command; returns the exit code. */
export async function tokenCli(argv: string[]): Promise<number> {
  const values = parseCommand(
    argv,
    {
      "user-ref": { type: "string" },
      email: { type: "string" },
      "display-name": { type: "string" },
      "account-ref": { type: "string" },
      "subject-token": { type: "string" },
      "expires-in-mins": { type: "string" },
      mock: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
    USAGE,
  );
  if (typeof values === "number") return values;
  const input = sessionTokenInput(values);
  if (typeof input === "string") {
    process.stderr.write(`error: ${input}\n\n${USAGE}\n`);
    return 2;
  }

  // Everything the flags and the environment say is checked before anything starts: a typo
  // should not wait for the mock.
  const token = process.env.DEVREV_AAT || undefined;
  if (!values.mock && !token) {
    process.stderr.write("error: set DEVREV_AAT to your application access token, or pass --mock\n");
    return 2;
  }
  let client: ReturnType<typeof createDevRevClient> | undefined;
  try {
    sessionTokenRequestBody(input);
    if (!values.mock) client = createDevRevClient({ token: token as string, baseUrl: devrevBaseUrl() });
  } catch (error) {
    return badInput(error);
  }

  // The mock is an optional part of the package; load it only when asked for.
  if (values.mock) requirePeers("`token --mock`", MOCK_PEERS);
  const mock = values.mock ? await (await import("../../mock/index.js")).startMockServer() : undefined;
  try {
    client ??= createDevRevClient({ token: "mock-aat", baseUrl: (mock as { url: string }).url });
    const result = await createSessionToken(client, input);
    const answer: SessionTokenResponseBody = {
      session_token: result.token,
      expires_at: result.expiresAt.toISOString(),
    };
    process.stdout.write(
      values.json ? `${JSON.stringify(answer)}\n` : `${answer.session_token}\nexpires ${answer.expires_at}\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ValidationError || error instanceof ConfigurationError) return badInput(error);
    process.stderr.write(`error: ${error instanceof DevRevError ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await mock?.close();
  }
}

type Flags = Partial<
  Record<"user-ref" | "subject-token" | "expires-in-mins" | (typeof REV_INFO_FLAGS)[number], unknown>
>;

/** The call the flags ask for, or why they do not make one. */
function sessionTokenInput(values: Flags): SessionTokenInput | string {
  const text = (name: keyof Flags) => (typeof values[name] === "string" ? values[name] : undefined);
  const userRef = text("user-ref");
  const subjectToken = text("subject-token");
  if (userRef !== undefined && subjectToken !== undefined) {
    return "pass --user-ref or --subject-token, not both: they are two forms of the request";
  }
  if (userRef === undefined && subjectToken === undefined) return "pass --user-ref or --subject-token";
  const revInfoFlags = REV_INFO_FLAGS.filter((name) => text(name) !== undefined);
  if (subjectToken !== undefined && revInfoFlags.length > 0) {
    return `--${revInfoFlags.join(", --")} describe the user for --user-ref; --subject-token carries no such fields`;
  }
  const minutes = text("expires-in-mins");
  if (minutes !== undefined && !/^\d+$/.test(minutes)) {
    return `--expires-in-mins must be a whole number of minutes, not "${minutes}"`;
  }
  const common = minutes === undefined ? {} : { expiresInMinutes: Number(minutes) };
  if (subjectToken !== undefined) return { subjectToken, ...common };
  const traits = { display_name: text("display-name"), email: text("email") };
  const revInfo: RevInfo = {
    user_ref: userRef as string,
    ...(traits.display_name !== undefined || traits.email !== undefined ? { user_traits: definedOnly(traits) } : {}),
    ...(text("account-ref") !== undefined ? { account_ref: text("account-ref") } : {}),
  };
  return { revInfo, ...common };
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Exit 2 for what the user typed or set: flags, DEVREV_AAT, DEVREV_BASE_URL. */
function badInput(error: unknown): number {
  if (error instanceof ValidationError) {
    process.stderr.write(`error: ${error.issues.map((i) => `${i.path} ${i.message}`).join("\n       ")}\n`);
    return 2;
  }
  if (error instanceof ConfigurationError) {
    process.stderr.write(`error: ${error.message} (check DEVREV_AAT and DEVREV_BASE_URL)\n`);
    return 2;
  }
  throw error;
}
