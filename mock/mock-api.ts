// What `startMockServer` takes and gives: its options with their defaults and
// checks, the handle, and its error. The light entry (mock-server.ts) and the
// Prism side it loads on demand (server.ts and its proxy, recording and replay
// modules) both need these, so they live here, importing neither.
import { DEFAULT_SPEC } from "../scripts/spec-reader/load-spec.js";
import type { JournalEntry } from "./journal.js";
import type { Scenario } from "./scenarios.js";

/** The spec the mock serves unless told otherwise: the one this package ships. */
export { DEFAULT_SPEC };

export interface MockServerOptions {
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** Loopback by default: the mock is for this machine only. @default "127.0.0.1" */
  host?: string;
  /** The OpenAPI document to serve. @default the bundled auth-tokens spec */
  spec?: string;
  /** Prism's log level, printed to stderr. @default "silent" */
  logLevel?: "silent" | "error" | "warn" | "info" | "debug";
  /**
   * The one application access token the API accepts, raw or after `Bearer `
   * as DevRev accepts both: any other answers 401 `unauthenticated`, so a
   * misconfigured AAT fails against the mock as it would against DevRev.
   * @default undefined (any non-empty token is accepted)
   */
  aat?: string;
  /** The AAT's kind: `aat:public` mints users reported as unverified (`is_verified: false`), as DevRev does. @default "aat" */
  aatKind?: "aat" | "aat:public";
  /**
   * An upstream URL (`https://api.devrev.ai`): API requests are forwarded to it
   * and its answers passed back unchanged, both validated against the spec;
   * what breaks it is listed in the journal's `violations` and the
   * `sl-violations` header. The controls and the fake SDK stay local.
   * @default undefined (Prism answers from the spec)
   */
  proxy?: string;
  /** With `proxy`: a file each exchange is appended to, as JSON lines, secrets removed. @default undefined */
  record?: string;
  /** A recording to answer from, with no upstream; checked against the spec on start. @default undefined */
  replay?: string;
  /** With `proxy`: how long the upstream has to answer before the mock answers 504. @default 30000 @unit milliseconds */
  upstreamTimeoutMs?: number;
}

/** What is wrong with how `proxy`, `record` and `replay` are combined, or undefined. */
export function upstreamOptionsProblem({
  proxy,
  record,
  replay,
}: Pick<MockServerOptions, "proxy" | "record" | "replay">): string | undefined {
  if (record !== undefined && proxy === undefined) {
    return "record needs proxy: only exchanges with a real upstream are recorded";
  }
  if (proxy !== undefined && replay !== undefined) {
    return "proxy and replay exclude each other: a replay answers without an upstream";
  }
  return undefined;
}

/** `upstreamTimeoutMs`'s default. @unit milliseconds */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 30_000;
/** The largest upstream answer the proxy passes back; a larger one is a 502. @unit bytes */
export const UPSTREAM_ANSWER_LIMIT = 10 * 1024 * 1024;

export interface MockServer {
  /** Base URL, such as `http://127.0.0.1:4010`; the fake SDK is at `${url}/static/plug.js`. */
  url: string;
  /** The address and port bound, such as `0.0.0.0:4010` (every interface). */
  address: string;
  /** Whether only this machine can reach the mock: false when bound to a non-loopback address. */
  loopback: boolean;
  /**
   * Queues an answer for the next API requests, as `POST /__mock/scenarios`
   * does: `{ status: 429, times: 1 }` fails the next call with a 429.
   * Rejects with a MockServerError naming the field when the scenario is not valid.
   */
  scenario(scenario: Scenario): Promise<void>;
  /** The API requests received, oldest first, as `GET /__mock/requests` lists them. */
  requests(): Promise<JournalEntry[]>;
  /** Forgets scenarios, the journal and every contact, account and workspace provisioned. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** The mock could not start, or a test control was misused. */
export class MockServerError extends Error {
  override name = "MockServerError";
}
