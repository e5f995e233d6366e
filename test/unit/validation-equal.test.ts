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
      // As JSON.parse makes them.
      noNullPrototype: true,
    }),
  ),
})).value;

/** Whether Ajv's own equal can judge the pair: it calls an object's own `valueOf` or `toString`. */
const hasOwnMethods = (value: unknown): boolean =>
  typeof value === "object" &&
  value !== null &&
  (Object.hasOwn(value, "valueOf") || Object.hasOwn(value, "toString") || Object.values(value).some(hasOwnMethods));

// The validation runtime's `equal` stands in for Ajv's in the generated code (enum, const, uniqueItems).
describe("the validation runtime's equal", () => {
  it("judges JSON values as Ajv's own equal does, wherever Ajv's can judge them", () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        fc.pre(!hasOwnMethods(a) && !hasOwnMethods(b));
        expect(equal(a, b)).toBe(ajvEqual(a, b));
        expect(equal(a, structuredClone(a))).toBe(true);
      }),
      { numRuns: propertyRuns(500, 5000) },
    );
  });

  it("never throws, and compares objects with their own valueOf and toString keys by value", () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        expect(equal(a, b)).toBe(equal(b, a));
        expect(equal(a, JSON.parse(JSON.stringify(a)))).toBe(true);
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
