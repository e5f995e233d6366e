import { ConfigurationError } from "./errors.js";
import { headerValue } from "./redact.js";

/**
 * The exact `Authorization` value a configured token is sent as, after
 * checking that value itself (not a differently trimmed copy): non-empty, and
 * printable ASCII with inner spaces or tabs only. Anything else would make
 * `Headers.set` throw a TypeError that quotes the whole token, or send bytes
 * DevRev never issued (a no-break space pasted after it). The error never
 * quotes the token.
 */
export function checkedToken(token: unknown): string {
  const sent = typeof token === "string" ? headerValue(token) : "";
  if (sent === "") {
    throw new ConfigurationError(
      "createDevRevClient needs `token`: a DevRev access token (an AAT for PLuG session tokens), such as process.env.DEVREV_AAT",
    );
  }
  if (/[^\t\x20-\x7e]/.test(sent)) {
    throw new ConfigurationError(
      "createDevRevClient: `token` contains a line break, NUL or other character a header cannot carry " +
        "(only printable ASCII is sent; often a token pasted across lines or with a no-break space); " +
        "it is not shown here. Check the value of DEVREV_AAT.",
    );
  }
  return sent;
}
