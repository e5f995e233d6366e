import { inspect } from "node:util";
import { afterEach, expect } from "vitest";
import { TEST_AAT } from "./tokens.js";

// Every error a test ends with is printed in CI logs: none may carry the AAT.
afterEach(({ task }) => {
  for (const error of task.result?.errors ?? []) {
    expect(inspect(error, { depth: 10 }), "a failing test's error contains the test AAT").not.toContain(TEST_AAT);
  }
});
