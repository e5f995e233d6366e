import { appendFile, readFile, writeFile } from "node:fs/promises";
import { type RecordedExchange, recordedBody, recordedRequestHeaders, recordedResponseHeaders } from "./exchange.js";
import type { ForwardedExchange } from "./forwarded-answer.js";
import { MockServerError } from "./mock-api.js";

/** One exchange read back from a recording, with the line it stands on. */
export interface RecordingLine {
  line: number;
  exchange: RecordedExchange;
}

/**
 * Appends each exchange the proxy forwards to a JSON-lines file, one exchange
 * a line, in the order they end: the AAT, cookies and every header that could
 * carry a credential are removed, and JWTs keep their header and claims but
 * lose their signature, so the file can be committed or sent as evidence.
 */
export class Recorder {
  readonly #file: string;
  #written: Promise<void> = Promise.resolve();
  #failure: Error | undefined;

  private constructor(file: string) {
    this.#file = file;
  }

  /** Opens `file` for appending (creating it), failing now rather than at the first exchange. */
  static async open(file: string): Promise<Recorder> {
    try {
      await writeFile(file, "", { flag: "a" });
    } catch (error) {
      throw new MockServerError(`cannot record to ${file}: ${(error as Error).message}`, { cause: error });
    }
    return new Recorder(file);
  }

  /** Queues `exchange`; one the upstream never answered (the proxy's own 502 or 504) is not recorded. */
  append(exchange: ForwardedExchange): void {
    if (exchange.answer.failure !== undefined) return;
    const line = `${JSON.stringify(recorded(exchange))}\n`;
    this.#written = this.#written
      .then(() => appendFile(this.#file, line))
      .catch((error: Error) => {
        this.#failure ??= error;
      });
  }

  /** Resolves once every queued exchange is on disk; rejects if one could not be written. */
  async flush(): Promise<void> {
    await this.#written;
    if (this.#failure) throw new MockServerError(`cannot record to ${this.#file}: ${this.#failure.message}`);
  }
}

function recorded({ method, target, headers, raw, answer, violations, sanitize }: ForwardedExchange): RecordedExchange {
  const [path = "/", query] = sanitize(target).split(/\?(.*)/s);
  const text = (bytes: Buffer | null) =>
    bytes === null || bytes.length === 0 ? null : sanitize(bytes.toString("utf8"));
  return {
    recordedAt: new Date().toISOString(),
    request: {
      method,
      path,
      ...(query ? { query } : {}),
      headers: recordedRequestHeaders(headers),
      ...recordedBody(text(raw)),
    },
    response: {
      status: answer.status,
      headers: recordedResponseHeaders(answer.headers, sanitize),
      ...recordedBody(text(answer.raw)),
    },
    violations,
  };
}

/** Reads a recording, naming the file and line of anything that is not a recorded exchange. */
export async function readRecording(file: string): Promise<RecordingLine[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new MockServerError(`cannot read the recording ${file}: ${(error as Error).message}`, { cause: error });
  }
  const lines: RecordingLine[] = [];
  for (const [index, source] of text.split("\n").entries()) {
    if (source.trim() === "") continue;
    const where = `${file}:${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch (error) {
      throw new MockServerError(`${where}: not JSON: ${(error as Error).message}`);
    }
    const problem = shapeProblem(value);
    if (problem) throw new MockServerError(`${where}: not a recorded exchange: ${problem}`);
    const exchange = value as RecordedExchange;
    lines.push({ line: index + 1, exchange: { ...exchange, violations: exchange.violations ?? [] } });
  }
  return lines;
}

/** What is missing from a line for it to be an exchange, or undefined. */
function shapeProblem(value: unknown): string | undefined {
  const record = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!record(value)) return "a line must be a JSON object";
  const { request, response, violations } = value;
  if (!record(request)) return "request must be an object";
  if (typeof request.method !== "string") return "request.method must be a string";
  if (typeof request.path !== "string" || !request.path.startsWith("/")) return "request.path must start with /";
  if (!record(request.headers)) return "request.headers must be an object";
  if (!record(response)) return "response must be an object";
  if (!Number.isInteger(response.status)) return "response.status must be an integer";
  if (!record(response.headers)) return "response.headers must be an object";
  for (const [side, message] of [
    ["request", request],
    ["response", response],
  ] as const) {
    if (message.bodyText !== undefined && typeof message.bodyText !== "string")
      return `${side}.bodyText must be a string`;
  }
  if (violations !== undefined && !Array.isArray(violations)) return "violations must be an array";
  return undefined;
}
