import { ConfigurationError } from "./errors.js";

/**
 * The `Origin` header values `allowedOrigins` admits, checked once at
 * creation. `URL.origin` is "null" for schemes the URL standard does not know
 * (`capacitor://localhost`, `chrome-extension://id`), yet browsers send such
 * an app's origin as `scheme://host`: compare that, exactly, or the app would
 * be refused and every sandboxed iframe (`Origin: null`) admitted.
 */
export function allowedOriginSet(entries: readonly string[]): ReadonlySet<string> {
  if (!Array.isArray(entries)) {
    throw new ConfigurationError("createSessionTokenHandler: `allowedOrigins` must be an array of origins");
  }
  return new Set(entries.map(originOf));
}

function originOf(entry: unknown): string {
  const shown = JSON.stringify(entry) ?? String(entry);
  const refuse = (why: string) =>
    new ConfigurationError(
      `createSessionTokenHandler: \`allowedOrigins\` entry ${shown} ${why}; write an origin such as https://app.example.com or capacitor://localhost`,
    );
  if (typeof entry !== "string") throw refuse("is not a string");
  if (entry.trim().toLowerCase() === "null") {
    throw refuse("would admit every sandboxed iframe and file: page, which all send `Origin: null`");
  }
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    throw refuse("is not a URL");
  }
  if (url.host === "") throw refuse("has no host");
  if (url.username || url.password) throw refuse("has a user name or password, which no origin has");
  if ((url.pathname !== "" && url.pathname !== "/") || url.search || url.hash) {
    throw refuse("has a path, query or fragment, which no origin has");
  }
  return `${url.protocol}//${url.host}`;
}
