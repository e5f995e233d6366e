import type { RevInfo } from "../../generated/index.js";
import { devrevBaseUrl, parseCommand } from "../../scripts/command-line.js";
import { MOCK_PEERS, requirePeers } from "../../scripts/peers.js";
import { createDevRevClient, createSessionToken, DevRevError, ValidationError } from "../server/index.js";

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
  --json                   print { "token", "expires_at" } as JSON
  --help                   show this text

Exit codes: 0 printed a token, 1 DevRev (or the mock) refused, 2 bad input or usage.`;

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
  const text = (name: keyof typeof values) => (typeof values[name] === "string" ? values[name] : undefined);
  if (!text("user-ref") && !text("subject-token")) {
    process.stderr.write(`error: pass --user-ref or --subject-token\n\n${USAGE}\n`);
    return 2;
  }
  const token = process.env.DEVREV_AAT || undefined;
  if (!values.mock && !token) {
    process.stderr.write("error: set DEVREV_AAT to your application access token, or pass --mock\n");
    return 2;
  }

  // The mock is an optional part of the package; load it only when asked for.
  if (values.mock) requirePeers("`token --mock`", MOCK_PEERS);
  const mock = values.mock ? await (await import("../../mock/index.js")).startMockServer() : undefined;
  try {
    const client = createDevRevClient({
      token: mock ? "mock-aat" : (token as string),
      baseUrl: mock?.url ?? devrevBaseUrl(),
    });
    const minutes = text("expires-in-mins");
    const common = minutes === undefined ? {} : { expiresInMinutes: Number(minutes) };
    const result = await createSessionToken(
      client,
      text("subject-token")
        ? { subjectToken: text("subject-token") as string, ...common }
        : { revInfo: revInfo(text), ...common },
    );
    const expiresAt = result.expiresAt.toISOString();
    process.stdout.write(
      values.json
        ? `${JSON.stringify({ token: result.token, expires_at: expiresAt })}\n`
        : `${result.token}\nexpires ${expiresAt}\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ValidationError) {
      process.stderr.write(`error: ${error.issues.map((i) => `${i.field} ${i.message}`).join("\n       ")}\n`);
      return 2;
    }
    process.stderr.write(`error: ${error instanceof DevRevError ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await mock?.close();
  }
}

function revInfo(text: (name: "user-ref" | "display-name" | "email" | "account-ref") => string | undefined): RevInfo {
  const traits = { display_name: text("display-name"), email: text("email") };
  return {
    user_ref: text("user-ref") as string,
    ...(traits.display_name || traits.email ? { user_traits: traits } : {}),
    ...(text("account-ref") ? { account_ref: text("account-ref") } : {}),
  };
}
