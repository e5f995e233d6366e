// A consumer's file, type-checked against the packed package with node16 and bundler resolution.
import {
  authTokensCreate,
  GrantType,
  isSessionTokenByRevInfoRequest,
  type paths,
  RequestedTokenType,
} from "devrev-plug-session";
import { initPlug, type PlugSDK } from "devrev-plug-session/browser";
import { GenerateError, generate } from "devrev-plug-session/generator";
import { startMockServer } from "devrev-plug-session/mock";
import {
  createDevRevClient,
  createSessionToken,
  createSessionTokenHandler,
  type SessionToken,
} from "devrev-plug-session/server";
import type createClient from "openapi-fetch";

const client = createDevRevClient({ token: "aat" });
const handler: (request: Request) => Promise<Response> = createSessionTokenHandler({ client, identify: () => null });
const minted: Promise<SessionToken> = createSessionToken(client, { revInfo: { user_ref: "u" } });
const created = authTokensCreate(client, { body: { rev_info: { user_ref: "u" } } });
// @ts-expect-error: the union rejects an empty body in consumers too
void authTokensCreate(client, { body: {} });
const grant: "urn:devrev:params:oauth:grant-type:token-issue" = GrantType.TokenIssue;
const session: string = RequestedTokenType.Session;
const guard: (value: unknown) => boolean = isSessionTokenByRevInfoRequest;
const sdk: PlugSDK | undefined = undefined;
type Client = ReturnType<typeof createClient<paths>>;
const clientType: Client = client;

export {
  clientType,
  created,
  GenerateError,
  generate,
  grant,
  guard,
  handler,
  initPlug,
  minted,
  sdk,
  session,
  startMockServer,
};
