/**
 * Answers a test has asked for ahead of time: the next `times` API requests
 * get this status or fault instead of the normal answer. Queued in order, so
 * `{ status: 429, times: 1 }` then `{ status: 503, times: 1 }` fails the next
 * two calls with 429 and then 503.
 */
export interface Scenario {
  /** Answer with this documented status and a DevRev body valid for it. */
  status?: number;
  /** How many requests get this answer; without it, every request until reset. */
  times?: number;
  /** Seconds for `Retry-After` (and `retry_after` in a 429 body). */
  retryAfter?: number;
  /** Wait this long before answering (or before the fault). */
  delayMs?: number;
  /** Fail below HTTP: drop the connection, answer JSON that does not parse, or never answer. */
  fault?: "reset" | "malformed-json" | "hang";
  /**
   * Requests each access token may make per rate-limit window while this
   * scenario applies (otherwise `DEFAULT_RATE_LIMIT`): past it the mock
   * answers 429 with `Retry-After` until the window ends, as DevRev does. Its
   * `X-Ratelimit-*` headers count down on the way.
   */
  rateLimit?: number;
}

/** The most scenarios queued at once: a test that queues more is looping by mistake. */
export const SCENARIO_LIMIT = 100;

/**
 * One mock's scenarios: the queue the controls fill, and the scenario each
 * API request was given. The HTTP layer takes a request's scenario before
 * Prism runs (it carries out the delay and faults); the mock component, which
 * Prism calls with the request object it was handed, answers with its status.
 */
export class Scenarios {
  #queue: { scenario: Scenario; left: number }[] = [];
  // Keyed by request object, so an answer never outlives its request; a reset
  // leaves it alone, as a request in flight keeps the scenario it was given.
  readonly #given = new WeakMap<object, Scenario>();

  /** Queues `scenario`; false when {@link SCENARIO_LIMIT} are already queued. */
  add(scenario: Scenario): boolean {
    if (this.#queue.length >= SCENARIO_LIMIT) return false;
    this.#queue.push({ scenario, left: scenario.times ?? Number.POSITIVE_INFINITY });
    return true;
  }

  /** The scenario for the next API request, if any, counting it as used. */
  take(): Scenario | undefined {
    const next = this.#queue[0];
    if (!next) return undefined;
    next.left -= 1;
    if (next.left <= 0) this.#queue.shift();
    return next.scenario;
  }

  /** Records that `request`, the request object Prism will hand the mock component, was given `scenario`. */
  give(request: object, scenario: Scenario): void {
    this.#given.set(request, scenario);
  }

  /** The scenario {@link give} recorded for `request`, if any. */
  givenTo(request: object): Scenario | undefined {
    return this.#given.get(request);
  }

  clear(): void {
    this.#queue = [];
  }
}
