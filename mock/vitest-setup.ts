import type { TestProject } from "vitest/node";
import { startMockServer } from "./mock-server.js";
import type {} from "./vitest-context.js";

/**
 * A vitest `globalSetup`: one mock for the whole run, its URL provided to
 * tests as `inject("devrevMockUrl")` and set as `DEVREV_MOCK_URL`.
 *
 *   // vitest.config.ts
 *   export default defineConfig({ test: { globalSetup: ["devrev-plug-session/mock/vitest-setup"] } });
 */
export default async function setup(project: TestProject) {
  const server = await startMockServer();
  project.provide("devrevMockUrl", server.url);
  process.env.DEVREV_MOCK_URL = server.url;
  return () => server.close();
}
