import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bodyTextOf, credentialForms, REMOVED_SIGNATURE, recordedBody, sanitizer } from "../../mock/exchange.js";
import { TEST_AAT } from "../helpers/tokens.js";

// The recorder and the replayer must agree on every body, and the recording must
// hold no form of the AAT whatever the upstream echoes: properties over drawn inputs.

describe("a recorded body replays as the same bytes", () => {
  it("for any JSON value, however it was printed", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, "\t"), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        expect(bodyTextOf(recordedBody(text))).toBe(text);
      }),
    );
  });

  it("for any text at all", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", minLength: 1 }), (text) => {
        expect(bodyTextOf(recordedBody(text))).toBe(text);
      }),
    );
  });

  it("keeps compact JSON readable as JSON, and anything else as text", () => {
    expect(recordedBody('{"a":1}')).toEqual({ body: { a: 1 } });
    expect(recordedBody('{ "a": 1 }')).toEqual({ bodyText: '{ "a": 1 }' });
    expect(recordedBody("")).toEqual({});
  });
});

describe("the recording holds no form of the AAT and no usable token", () => {
  const forms = (aat: string) => [
    aat,
    encodeURIComponent(aat),
    JSON.stringify(aat).slice(1, -1),
    JSON.stringify(aat).slice(1, -1).replaceAll("/", "\\/"),
  ];

  it("wherever the credential, sent raw or as Bearer, is echoed, in any encoding", () => {
    const aat = fc.oneof(
      fc.constant(TEST_AAT),
      fc.string({ minLength: 16, maxLength: 60 }).filter((s) => s.trim() === s && !/\s/.test(s)),
    );
    fc.assert(
      fc.property(
        aat,
        fc.boolean(),
        fc.array(fc.string(), { minLength: 1, maxLength: 4 }),
        fc.nat(3),
        (secret, bearer, pieces, form) => {
          const echoed = pieces.join(forms(secret)[form] as string);
          const clean = sanitizer(bearer ? `Bearer ${secret}` : secret)(
            `${echoed}${forms(secret)[form]}${JSON.stringify({ message: secret })}`,
          );
          for (const encoded of forms(secret)) expect(clean).not.toContain(encoded);
        },
      ),
    );
  });

  it("lists the forms it removes, the bare token behind Bearer among them", () => {
    expect(credentialForms(`Bearer ${TEST_AAT}`)).toContain(TEST_AAT);
    expect(credentialForms(undefined)).toEqual([]);
  });

  it("replaces every JWT's signature, keeping its header and claims", () => {
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.base64String({ minLength: 4 }),
        (claims, signature) => {
          const head = `${part({ alg: "RS256" })}.${part(claims)}`;
          const sig = signature.replace(/[+/=]/g, "A");
          const text = JSON.stringify({ access_token: `${head}.${sig}` });
          expect(sanitizer(undefined)(text)).toBe(JSON.stringify({ access_token: `${head}.${REMOVED_SIGNATURE}` }));
        },
      ),
    );
  });
});
