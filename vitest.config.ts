import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One Prism mock for the whole run, as a consumer's suite would start it.
    globalSetup: ["mock/vitest-setup.ts"],
    setupFiles: ["test/helpers/no-secrets-in-failures.ts", "test/helpers/no-secrets-in-logs.ts"],
    // The library's log lines (thousands from the hostile-input suites) are checked for secrets by
    // no-secrets-in-logs.ts and asserted where they matter, not printed.
    onConsoleLog: (log) => !log.startsWith("[devrev-plug-session]"),
    // Type tests run through tsc as part of every `npm test`.
    typecheck: { enabled: true, include: ["test/types/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // `expect.poll` waits for a state the page or server reaches by itself (Chromium rendering,
    // a widget's init): vitest's 1 s default gave up under load. A passing poll ends at once, so
    // only a real failure pays the wait.
    expect: { poll: { timeout: 15_000 } },
    // Vitest's default, one worker fewer than cores, runs files one at a time on two cores, while
    // most files spend their time waiting on a process, a server or Chromium.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
