// Types `inject("devrevMockUrl")` for tests run with `devrev-plug-session/mock/vitest-setup`.
// One line in any test file (or a setup file) brings it in:
//   import "devrev-plug-session/mock/vitest-context";
// The module is empty at run time, so the import is harmless wherever vitest runs it.
import type {} from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the DevRev mock started by the global setup. */
    devrevMockUrl: string;
  }
}

export {};
