import { afterEach, expect } from "vitest";
import { TEST_AAT } from "./tokens.js";

// Every line written to the console in a test file, whoever wrote it: the library's own lines
// (the handler's failure lines, the client's debug lines) must carry neither the AAT nor a
// session token. Lines are passed on to the original console methods as they were.
const lines: string[] = [];
for (const level of ["log", "debug", "info", "warn", "error"] as const) {
  const original = console[level].bind(console);
  console[level] = (...args: unknown[]) => {
    lines.push(args.map(String).join(" "));
    original(...args);
  };
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
