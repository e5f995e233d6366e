import { startMockServer } from "./server.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the DevRev mock started by `devrev-plug-session/mock/vitest-setup`. */
    devrevMockUrl: string;
  }
}

/**
 * A vitest `globalSetup`: one mock for the whole run, its URL provided to
 * tests as `inject("devrevMockUrl")` and set as `DEVREV_MOCK_URL`.
 *
 *   // vitest.config.ts
 *   export default defineConfig({ test: { globalSetup: ["devrev-plug-session/mock/vitest-setup"] } });
 */
export default async function setup({ provide }: { provide: (key: "devrevMockUrl", value: string) => void }) {
  const server = await startMockServer();
  provide("devrevMockUrl", server.url);
  process.env.DEVREV_MOCK_URL = server.url;
  return () => server.close();
}
