import { DEFAULTS } from "../server/defaults.js";

/**
 * Where the commands (`token`, and the demo's `npm start`) reach real DevRev:
 * `DEVREV_BASE_URL`, else the client's default. A module of its own, not part
 * of the argument helpers in command-line.ts, which `generate` loads too and
 * which so stay free of the server's code.
 */
export function devrevBaseUrl(): string {
  return process.env.DEVREV_BASE_URL || DEFAULTS.baseUrl;
}
