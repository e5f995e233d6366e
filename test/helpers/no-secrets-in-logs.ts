import { afterEach, expect } from "vitest";
import { TEST_AAT } from "./tokens.js";

// Every line written to the console in a test file, whoever wrote it: the library's own lines
// (the handler's failure lines, the client's debug lines) must carry neither the AAT nor a
// session token. Lines are passed on to the original console methods as they were.
// Without isolation (vitest.config.ts) this file runs again before each test file in the same
// process: one list for the process, and a console method wrapped already is not wrapped again.
const WRAPPED = Symbol.for("devrev-plug-session/no-secrets-in-logs");
type Wrapper = ((...args: unknown[]) => void) & { [WRAPPED]?: true };
const shared = globalThis as { [WRAPPED]?: string[] };
const lines = (shared[WRAPPED] ??= []);
for (const level of ["log", "debug", "info", "warn", "error"] as const) {
  if ((console[level] as Wrapper)[WRAPPED]) continue;
  const original = console[level].bind(console);
  const wrapper: Wrapper = (...args: unknown[]) => {
    lines.push(args.map(String).join(" "));
    original(...args);
  };
  wrapper[WRAPPED] = true;
  console[level] = wrapper;
}

/** A JWT, the shape of every session token DevRev (and the mock) mints. */
const JWT = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*/;

afterEach(() => {
  const written = lines.splice(0);
  for (const line of written) {
    expect(line, "a console line contains the test AAT").not.toContain(TEST_AAT);
    if (line.startsWith("[devrev-plug-session]")) expect(line, "a log line contains a session token").not.toMatch(JWT);
  }
});
