import { beforeEach, inject } from "vitest";
import { CONTROLS, controlPath } from "./control-plane.js";
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
  const { method, status } = CONTROLS.mockReset;
  const response = await fetch(`${inject("devrevMockUrl")}${controlPath(CONTROLS.mockReset)}`, { method });
  await response.arrayBuffer();
  if (response.status !== status) throw new Error(`the DevRev mock did not reset: status ${response.status}`);
});
