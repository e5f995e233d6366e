import { Directory } from "./directory.js";
import { Journal } from "./journal.js";
import { Scenarios } from "./scenarios.js";

/** Everything one mock remembers between requests, and forgets on reset. */
export class MockState {
  readonly directory = new Directory();
  readonly scenarios = new Scenarios();
  readonly journal = new Journal();
  readonly #resetHooks: (() => void)[] = [];

  /** Runs `hook` on every reset, after the state is cleared (the HTTP layer drops held connections). */
  onReset(hook: () => void): void {
    this.#resetHooks.push(hook);
  }

  reset(): void {
    this.directory.clear();
    this.scenarios.clear();
    this.journal.clear();
    for (const hook of this.#resetHooks) hook();
  }
}
