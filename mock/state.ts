import { Directory } from "./directory.js";
import { Journal } from "./journal.js";
import { RateLimits } from "./rate-limits.js";
import { Scenarios } from "./scenarios.js";

/** Which access token the mock accepts, as `startMockServer`'s `aat` and `aatKind` set it. */
export interface MockAccess {
  /** The one AAT accepted (raw or as `Bearer`); without it, any non-empty token is. */
  aat?: string;
  /** `aat:public` mints users DevRev reports as unverified (`is_verified: false`). */
  aatKind?: "aat" | "aat:public";
}

/** Everything one mock remembers between requests, and forgets on reset. */
export class MockState {
  readonly directory = new Directory();
  readonly scenarios = new Scenarios();
  readonly journal = new Journal();
  readonly rateLimits = new RateLimits();
  readonly #resetHooks: (() => void)[] = [];

  constructor(readonly access: MockAccess = {}) {}

  /** Runs `hook` on every reset, after the state is cleared (the HTTP layer drops held connections). */
  onReset(hook: () => void): void {
    this.#resetHooks.push(hook);
  }

  reset(): void {
    this.directory.clear();
    this.scenarios.clear();
    this.journal.clear();
    this.rateLimits.clear();
    for (const hook of this.#resetHooks) hook();
  }
}
