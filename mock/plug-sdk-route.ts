import { readFile } from "node:fs/promises";

/** Where the real SDK lives on DevRev's host, and the fake one on the mock. */
export const PLUG_SDK_PATH = "/static/plug.js";

/**
 * A one-route OpenAPI document that serves the fake PLuG SDK at the real
 * SDK's path, so Prism itself serves the file next to the API and a page
 * switches to the real widget by changing only the host.
 */
export async function plugSdkDocument(): Promise<Record<string, unknown>> {
  const script = await readFile(new URL("./static/plug.js", import.meta.url), "utf8");
  return {
    openapi: "3.1.0",
    info: { title: "Fake PLuG web SDK", version: "1.0.0" },
    paths: {
      [PLUG_SDK_PATH]: {
        get: {
          operationId: "getPlugSdk",
          security: [],
          responses: {
            "200": {
              description: "The fake SDK script.",
              content: { "text/javascript": { schema: { type: "string" }, example: script } },
            },
          },
        },
      },
    },
  };
}
