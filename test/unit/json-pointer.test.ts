import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodePercent,
  escapeToken,
  followRefs,
  pointerKeys,
  refToken,
  refTokenKey,
  resolvePointer,
  setOwn,
  unescapeToken,
} from "../../scripts/spec-reader/json-pointer.js";
import { propertyRuns } from "../helpers/thorough.js";

const user = { type: "object", properties: { ref: { type: "string" } } };
const document = {
  components: {
    schemas: {
      User: user,
      Alias: { $ref: "#/components/schemas/User" },
      AliasOfAlias: { $ref: "#/components/schemas/Alias" },
      "a/b~c": { type: "string" },
      Loop: { $ref: "#/components/schemas/Loop" },
      Ping: { $ref: "#/components/schemas/Pong" },
      Pong: { $ref: "#/components/schemas/Ping" },
    },
  },
};

describe("followRefs", () => {
  it.each([
    { given: user, want: user, why: "a node that is not a reference is itself" },
    { given: "text", want: "text", why: "so is a value that is not an object" },
    { given: undefined, want: undefined, why: "and nothing" },
    { given: { $ref: "#/components/schemas/User" }, want: user, why: "one hop" },
    { given: { $ref: "#/components/schemas/AliasOfAlias" }, want: user, why: "a chain, to its end" },
    { given: { $ref: "#/components/schemas/a~1b~0c" }, want: { type: "string" }, why: "escaped tokens" },
    { given: { $ref: "#/components/schemas/Missing" }, want: undefined, why: "a name with nothing there" },
    { given: { $ref: "other.yaml#/User" }, want: undefined, why: "another file" },
    { given: { $ref: "#/components/schemas/Loop" }, want: undefined, why: "a $ref to itself" },
    { given: { $ref: "#/components/schemas/Ping" }, want: undefined, why: "$refs that name each other" },
  ])("$why", ({ given, want }) => {
    expect(followRefs(document, given)).toEqual(want);
  });
});

/** Keys made mostly of what the escapes are about, so collisions like `~01` and `%257E` come up often. */
const key = fc.oneof(
  fc.string({ unit: fc.constantFrom("~", "/", "%", "0", "1", "2", "5", "7", "E", "a", " ", "é") }),
  fc.string({ unit: "binary" }),
);

describe("decoding pointer tokens", () => {
  it.each([
    { given: "a~1b", want: "a/b", why: "~1 is a slash" },
    { given: "a~0b", want: "a~b", why: "~0 is a tilde" },
    { given: "~01", want: "~1", why: "~1 is read before ~0, so an escaped tilde before a 1 stays a tilde" },
    { given: "a%b", want: "a%b", why: "a pointer that is not a $ref has no percent escapes" },
  ])("unescapeToken: $why", ({ given, want }) => {
    expect(unescapeToken(given)).toBe(want);
  });

  it.each([
    { given: "~1a%2520b", want: "/a%20b", why: "percent escapes once, then RFC 6901's: a path with a %20 in it" },
    { given: "a%20b", want: "a b", why: "a percent escape" },
    { given: "%7E1", want: "/", why: "percent escapes first (RFC 6901, section 6), so an escaped ~1 is a slash" },
    { given: "100%", want: "100%", why: "a % that starts no valid escape stays as written" },
    { given: "%E2%82", want: "%E2%82", why: "and so does an escape of half a character" },
  ])("refTokenKey: $why", ({ given, want }) => {
    expect(refTokenKey(given)).toBe(want);
  });

  it.each([
    { given: "", want: [], why: "the whole document" },
    { given: "/", want: [""], why: "the empty key" },
    { given: "/paths/~1auth-tokens.create/post", want: ["paths", "/auth-tokens.create", "post"], why: "each token" },
  ])("pointerKeys: $why", ({ given, want }) => {
    expect(pointerKeys(given)).toEqual(want);
  });

  it("decodePercent leaves text with a malformed escape whole", () => {
    expect(decodePercent("a%20b%")).toBe("a%20b%");
    expect(decodePercent("a%20b")).toBe("a b");
  });

  it("escapeToken and unescapeToken, refToken and refTokenKey are inverses for any key", () => {
    fc.assert(
      fc.property(key, (name) => {
        expect(unescapeToken(escapeToken(name))).toBe(name);
        expect(refTokenKey(refToken(name))).toBe(name);
      }),
      { numRuns: propertyRuns(500, 20_000) },
    );
  });

  it("a pointer of escaped keys reads back as its keys, and a $ref's leads to the value stored under them", () => {
    fc.assert(
      fc.property(fc.array(key, { maxLength: 5 }), (keys) => {
        expect(pointerKeys(keys.map((name) => `/${escapeToken(name)}`).join(""))).toEqual(keys);
        const leaf = { found: true };
        let document: unknown = leaf;
        for (const name of keys.toReversed()) {
          const parent = {};
          setOwn(parent, name, document);
          document = parent;
        }
        expect(resolvePointer(document, keys.map((name) => `/${refToken(name)}`).join(""))).toBe(leaf);
      }),
      { numRuns: propertyRuns(300, 10_000) },
    );
  });
});
