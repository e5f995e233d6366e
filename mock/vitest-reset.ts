import { beforeEach, inject } from "vitest";
import type {} from "./vitest-context.js";

/**
 * A vitest `setupFiles` entry: resets the mock of `vitest-setup` before every
 * test, so each starts with no scenarios, an empty journal and nothing
 * provisioned. The mock is shared by the whole run, so use it with
 * `fileParallelism: false`, or give each file its own `startMockServer()`.
 *
 *   test: {
 *     globalSetup: ["devrev-plug-session/mock/vitest-setup"],
 *     setupFiles: ["devrev-plug-session/mock/vitest-reset"],
 *     fileParallelism: false,
 *   }
 */
beforeEach(async () => {
  const response = await fetch(`${inject("devrevMockUrl")}/__mock/reset`, { method: "POST" });
  await response.arrayBuffer();
  if (response.status !== 204) throw new Error(`the DevRev mock did not reset: status ${response.status}`);
});
