import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import { listenOnLoopback } from "./stub-server.js";

/** A request the stub upstream received, as it arrived. */
export interface StubRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface DevRevStub {
  url: string;
  requests: StubRequest[];
  close(): Promise<void>;
}

/** A signed-looking JWT (the signature is fixed bytes): what the recording must strip. */
export function signedJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "RS256", typ: "JWT" })}.${part(claims)}.${Buffer.from("not-a-real-signature").toString("base64url")}`;
}

/**
 * A stand-in for DevRev on 127.0.0.1 that misbehaves on purpose, chosen by
 * the request's `rev_info.user_ref`:
 * `no-token-type` (201 without `token_type`), `unknown-type` (400 with a
 * `type` DevRev does not document), `slow-500` (500 after a while), `hang`
 * (never answers), `huge` (an 11 MiB answer), `redirect` (307 to
 * `redirectTo`), `echo` (401 quoting the credential); anything else gets a
 * valid 201 naming the user, and a body without `rev_info` a valid 400.
 * `bad-retry-after` answers 429 with a `Retry-After` that is not a number,
 * `not-implemented` a 501.
 */
export async function startDevRevStub(options: { redirectTo?: string } = {}): Promise<DevRevStub> {
  const requests: StubRequest[] = [];
  const open = new Set<ServerResponse>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
    let userRef: unknown;
    try {
      userRef = JSON.parse(body)?.rev_info?.user_ref;
    } catch {
      userRef = undefined;
    }
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      const text = JSON.stringify(value);
      res.writeHead(status, { "content-type": "application/json", "x-stub": "devrev", ...headers });
      res.end(text);
    };
    const exp = 2_000_000_000;
    switch (userRef) {
      case undefined:
        return json(400, { type: "bad_request", message: "The request body does not match any accepted form." });
      case "no-token-type":
        return json(201, { access_token: signedJwt({ sub: userRef, exp }), expires_in: exp });
      case "unknown-type":
        return json(400, { type: "mystery_error", message: "Something DevRev never documented." });
      case "slow-500":
        setTimeout(() => json(500, { type: "internal_error", message: "Boom.", reference_id: "ref-1" }), 50);
        return;
      case "hang":
        open.add(res);
        return;
      case "huge":
        return json(201, { access_token: "x".repeat(11 * 1024 * 1024), expires_in: exp, token_type: "bearer" });
      case "redirect":
        res.writeHead(307, { location: `${options.redirectTo ?? "http://127.0.0.1:9"}/auth-tokens.create` });
        res.end();
        return;
      case "not-implemented":
        return json(501, { type: "not_implemented", message: "Not here." });
      case "bad-retry-after":
        return json(429, { type: "too_many_requests", message: "Slow down." }, { "retry-after": "soon" });
      case "echo":
        return json(401, { type: "unauthenticated", message: `The token ${req.headers.authorization} is not valid.` });
      default:
        return json(201, {
          access_token: signedJwt({ sub: `don:${userRef}`, exp }),
          expires_in: exp,
          token_type: "bearer",
        });
    }
  });
  return { ...(await listenOnLoopback(server, open)), requests };
}
