import type { IHttpResponse, PrismHttpComponents } from "@stoplight/prism-http";
import type { AuthTokensCreateRequest, RevInfo } from "../generated/index.js";
import { validateAuthTokensCreateRequest } from "../generated/index.js";
import { badRequestFor, invalidContentType } from "./bad-request.js";
import { controlFor } from "./control-plane.js";
import { type GateVerdict, gate } from "./gate.js";
import { PLUG_SDK_PATH } from "./plug-sdk-route.js";
import { prismMock } from "./prism-modules.js";
import type { MockState } from "./state.js";
import {
  clientIdOf,
  jtiOf,
  mintToken,
  presentedToken,
  type Subject,
  serviceAccountDon,
  subjectFromToken,
} from "./tokens.js";

type Mock = PrismHttpComponents["mock"];
type MockOptions = Parameters<Mock>[0];
type MockResult = ReturnType<ReturnType<Mock>>;

/**
 * Prism's own mocker, plus what Prism cannot do for DevRev's API. Prism still
 * routes, checks security, validates the request, negotiates the response and
 * validates the result against the spec; this component then:
 * - carries out the test controls (`/__mock/...`, see control-plane.ts);
 * - answers with the status of the scenario the HTTP layer gave the request;
 * - checks the access token against the mock's AAT, when it has one, and
 *   counts the request against the token's rate limit (gate.ts), sending
 *   DevRev's `X-Ratelimit-*` headers on every API answer;
 * - for `auth-tokens.create`, names the field at fault in a 400 with DevRev's
 *   specific error type, and issues a token shaped like DevRev's for the
 *   identity the body names, remembering what `rev_info` provisioned.
 * A request that asks for a named example (`Prefer: example=...`) gets it untouched.
 */
export function devrevMock(state: MockState): Mock {
  return (options) => (logger) => {
    const control = controlFor(options.resource.iid);
    if (control) return right(control.run(options.input, state));
    const scenario = state.scenarios.givenTo(options.input.data);
    const verdict =
      options.resource.path === PLUG_SDK_PATH
        ? undefined
        : gate(options.input.data.headers?.authorization, state, scenario, Date.now());
    const status = scenario?.status ?? verdict?.status;
    const result = prismMock(status === undefined ? withCreatedByDefault(options) : forced(options, status))(logger);
    if (result._tag === "Left") return result;
    let output = result.right;
    if (scenario?.status === undefined && verdict?.status !== undefined) {
      output = refused(output, verdict);
    } else if (isAuthTokensCreate(options) && !/\bexample=/.test(String(options.input.data.headers?.prefer ?? ""))) {
      output = authTokensAnswer(output, options, state, logger);
    }
    if (scenario?.retryAfter !== undefined) output = withRetryAfter(output, scenario.retryAfter);
    return right(verdict ? { ...output, headers: { ...output.headers, ...verdict.headers } } : output);
  };
}

/** DevRev's answer to a token it does not accept, or to one past its rate limit. */
function refused(output: IHttpResponse, verdict: GateVerdict): IHttpResponse {
  if (verdict.status === 429) return withRetryAfter(output, verdict.retryAfter ?? 0);
  const message = verdict.token === undefined ? "Missing Authorization header." : "The access token is not valid.";
  return { ...output, body: { type: "unauthenticated", message } };
}

function authTokensAnswer(
  output: IHttpResponse,
  options: MockOptions,
  state: MockState,
  logger: Parameters<ReturnType<Mock>>[0],
): IHttpResponse {
  const body = options.input.data.body;
  // Prism's 415: the body is not JSON, which DevRev answers as a 400 naming the type received.
  if (options.input.validations.some((v) => v.code === 415)) {
    const type = options.input.data.headers?.["content-type"];
    return { ...output, statusCode: 400, body: invalidContentType(typeof type === "string" ? type : "") };
  }
  const checked = validateAuthTokensCreateRequest(body);
  if (output.statusCode === 400 && !checked.valid) {
    return { ...output, body: badRequestFor(checked.issues[0], body) };
  }
  if ((output.statusCode !== 200 && output.statusCode !== 201) || !checked.valid) return output;

  const request = checked.value;
  const issued = subjectOf(request, state);
  if ("conflict" in issued) {
    const conflict = prismMock(forced(options, 409))(logger);
    if (conflict._tag === "Left") return output;
    return { ...conflict.right, body: { type: "conflict", message: issued.conflict } };
  }
  const aat = presentedToken(options.input.data.headers?.authorization);
  const parentJti = jtiOf(aat);
  const token = mintToken(request, issued.subject, {
    clientId: clientIdOf(aat) ?? "devrev-plug-session-mock",
    ...(parentJti === undefined ? {} : { parentJti }),
    isPublic: state.access.aatKind === "aat:public",
    now: Date.now(),
  });
  return {
    ...output,
    body: {
      access_token: token.accessToken,
      expires_in: token.expiresAt,
      token_type: "bearer",
      ...(token.clientId === undefined ? {} : { client_id: token.clientId }),
    },
  };
}

/** Who the token is for: the provisioned Rev user, the subject token's owner, or the app itself. */
function subjectOf(request: AuthTokensCreateRequest, state: MockState): { subject: Subject } | { conflict: string } {
  if ("rev_info" in request && request.rev_info) return state.directory.provision(request.rev_info as RevInfo);
  if ("subject_token" in request && typeof request.subject_token === "string") {
    const requested = "requested_token_type" in request ? String(request.requested_token_type) : "";
    return { subject: subjectFromToken(request.subject_token, requested.includes(":session") ? "revu" : "devu") };
  }
  const clientId = "client_id" in request && request.client_id ? request.client_id : "default";
  return { subject: { don: serviceAccountDon(clientId) } };
}

/**
 * Prism answers the lowest documented 2xx. The spec documents 200 because
 * DevRev's docs list it, but the API answers 201, so the mock does too unless
 * the request asks for a status (`Prefer: code=...`).
 */
function withCreatedByDefault(options: MockOptions): MockOptions {
  const documentsCreated = options.resource.responses.some((response) => response.code === "201");
  if (options.config.code !== undefined || !documentsCreated) return options;
  return { ...options, config: { ...options.config, code: 201 } };
}

/** Prism's answer for `status`, whatever the request: a queued scenario overrides validation. */
function forced(options: MockOptions, status: number): MockOptions {
  const { exampleKey: _, ...config } = options.config;
  return { ...options, input: { ...options.input, validations: [] }, config: { ...config, code: status } };
}

function withRetryAfter(output: IHttpResponse, seconds: number): IHttpResponse {
  const body = output.body;
  const hasField = typeof body === "object" && body !== null && "retry_after" in body;
  return {
    ...output,
    headers: { ...output.headers, "Retry-After": String(seconds) },
    body: hasField ? { ...body, retry_after: seconds } : body,
  };
}

function isAuthTokensCreate({ resource }: MockOptions): boolean {
  return resource.method === "post" && resource.path === "/auth-tokens.create";
}

function right(output: IHttpResponse): MockResult {
  return { _tag: "Right", right: output };
}
