import { availableParallelism } from "node:os";
import { configDefaults, defineConfig } from "vitest/config";

/**
 * Files that each need a process of their own: they replace a module (`vi.mock`) or rely on
 * state no earlier file in the process may have touched. Every other file shares its worker's
 * process with the files before it (`isolate: false`): what it loads stays loaded (the compiler,
 * ts-morph, Prism, Ajv, and this project's modules with their module-level state), which saves
 * about a third of the suite's CPU time. So a shared file restores what it changes (process.env,
 * globals, timers: vi.unstubAllGlobals, vi.useRealTimers) and needs no module loaded afresh
 * (or calls vi.resetModules itself); one that cannot belongs here.
 */
const ISOLATED = [
  // Chromium's tests, as they always ran.
  "test/browser/**/*.test.ts",
  // vi.mock of the mock's entry.
  "test/unit/cli-token.test.ts",
  // Its cache entries are written only when the workers' and this thread's generator code
  // agree, which a process that loaded the generator for earlier files does not promise.
  "test/unit/generator-pass-cache.test.ts",
];

/** What every file gets, whichever project runs it. */
const common = {
  setupFiles: ["test/helpers/no-secrets-in-failures.ts", "test/helpers/no-secrets-in-logs.ts"],
  testTimeout: 30_000,
  hookTimeout: 30_000,
};

export default defineConfig({
  test: {
    // One Prism mock for the whole run, as a consumer's suite would start it.
    globalSetup: ["mock/vitest-setup.ts"],
    // The library's log lines (thousands from the hostile-input suites) are checked for secrets by
    // no-secrets-in-logs.ts and asserted where they matter, not printed.
    onConsoleLog: (log) => !log.startsWith("[devrev-plug-session]"),
    // Vitest's default, one worker fewer than cores, runs files one at a time on two cores, while
    // most files spend their time waiting on a process, a server or Chromium.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        test: {
          name: "shared",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...ISOLATED],
          isolate: false,
          // Type tests run through tsc as part of every `npm test`.
          typecheck: { enabled: true, include: ["test/types/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
          ...common,
        },
      },
      { test: { name: "isolated", include: ISOLATED, ...common } },
    ],
  },
});
