// Types `inject("devrevMockUrl")` in tests that use `devrev-plug-session/mock/vitest-setup`.
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the DevRev mock started by the global setup. */
    devrevMockUrl: string;
  }
}
