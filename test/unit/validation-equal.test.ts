import fastDeepEqual from "ajv/dist/runtime/equal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { equal } from "../../scripts/runtime/validation.js";
import { propertyRuns } from "../helpers/thorough.js";

const ajvEqual = ((fastDeepEqual as { default?: unknown }).default ?? fastDeepEqual) as (
  a: unknown,
  b: unknown,
) => boolean;

/** JSON values, with keys an attacker would pick: Object.prototype's method names among them. */
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom(null, true, false, 0, -0, 1, 1.5, "", "a", "valueOf"),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom("a", "b", "valueOf", "toString", "constructor", "__proto__"), tie("value"), {
      maxKeys: 3,
    }),
  ),
})).value;

/**
 * Whether Ajv's own equal cannot judge a value: it calls an object's `valueOf` or `toString`
 * unless they are Object.prototype's (an own key of that name, or no prototype at all).
 */
const unjudgeable = (value: unknown): boolean => {
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) return value.some(unjudgeable);
  const { valueOf, toString } = value as Record<string, unknown>;
  return (
    valueOf !== Object.prototype.valueOf ||
    toString !== Object.prototype.toString ||
    Object.values(value).some(unjudgeable)
  );
};

// The validation runtime's `equal` stands in for Ajv's in the generated code (enum, const, uniqueItems).
describe("the validation runtime's equal", () => {
  it("judges JSON values as Ajv's own equal does, wherever Ajv's can judge them", () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        fc.pre(!unjudgeable(a) && !unjudgeable(b));
        expect(equal(a, b)).toBe(ajvEqual(a, b));
        expect(equal(a, a)).toBe(true);
      }),
      { numRuns: propertyRuns(500, 5000) },
    );
  });

  it("never throws, and compares objects with their own valueOf and toString keys by value", () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        expect(equal(a, b)).toBe(equal(b, a));
        // Two parses of one JSON text are two equal values, own valueOf keys and all.
        const text = JSON.stringify(a);
        expect(equal(JSON.parse(text), JSON.parse(text))).toBe(true);
      }),
      { numRuns: propertyRuns(500, 5000) },
    );
    const parsed = JSON.parse('[{"valueOf": 1}, {"valueOf": 1}, {"valueOf": 2}, {"toString": "x"}]');
    expect(equal(parsed[0], parsed[1])).toBe(true);
    expect(equal(parsed[0], parsed[2])).toBe(false);
    expect(equal(parsed[3], { toString: "x" })).toBe(true);
    expect(() => ajvEqual(parsed[0], parsed[1])).toThrow(TypeError);
  });
});
