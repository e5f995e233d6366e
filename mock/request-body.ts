import type { IncomingMessage } from "node:http";

/** Prism's own limit for a request body. */
export const BODY_LIMIT_BYTES = 10 * 1024 * 1024;

/** The body's bytes, null when the request has none (as Prism decides), or "too-large". */
export function readBody(req: IncomingMessage): Promise<Buffer | null | "too-large"> {
  const { "content-length": length, "transfer-encoding": encoding } = req.headers;
  if (length === "0" || (length === undefined && encoding === undefined)) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > BODY_LIMIT_BYTES ? "too-large" : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export function parseBody(
  req: IncomingMessage,
  raw: Buffer | null,
): { ok: true; body: unknown } | { ok: false; reason: string } {
  if (raw === null) return { ok: true, body: null };
  const text = raw.toString("utf8");
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(req.headers["content-type"] ?? "")) return { ok: true, body: text };
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}
