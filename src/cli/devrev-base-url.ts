import { DEFAULTS } from "../server/defaults.js";

/**
 * Where the commands (`token`, and the demo's `npm start`) reach real DevRev:
 * `DEVREV_BASE_URL`, else the client's default. It lives beside the commands,
 * not in the command-line helpers under scripts/, which the generator uses and
 * which must not import the server entry.
 */
export function devrevBaseUrl(): string {
  return process.env.DEVREV_BASE_URL || DEFAULTS.baseUrl;
}
