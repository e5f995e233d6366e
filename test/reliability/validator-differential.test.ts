import { getHttpOperationsFromSpec } from "@stoplight/prism-http";
import { validateBody } from "@stoplight/prism-http/dist/validator/validators/index.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as generated from "../../generated/index.js";
import { loadSpec } from "../../scripts/spec-reader/load-spec.js";
import { REQUEST_VARIANTS as VARIANTS } from "../fixtures/seed-bodies.js";
import { ROOT } from "../helpers/cli.js";
import { arbitraryFor, mutated } from "../helpers/schema-arbitrary.js";
import { propertyRuns } from "../helpers/thorough.js";

// The mock's verdict is Prism's own body validator, called as Prism's request
// pipeline calls it, on the operation Prism builds from the spec. Ours is the
// generated validator. They must agree on every body, valid or broken, and
// every guard must answer exactly as its schema does.
const RUNS = propertyRuns(2_000, 10_000);

const document = (await loadSpec(`${ROOT}/spec/auth-tokens.openapi.yaml`)).document;
const [operation] = await getHttpOperationsFromSpec(document as object);
if (!operation?.request?.body) throw new Error("the spec's operation has no request body");
const contents = operation.request.body.contents ?? [];
const bundle = (operation as unknown as { __bundled__?: unknown }).__bundled__;
const bodySchema = contents[0]?.schema as { oneOf: Record<string, unknown>[] };

/** Prism's answer for a body, against the whole union or against one member. */
function prismAccepts(body: unknown, schema?: Record<string, unknown>): boolean {
  const target = schema ? [{ ...contents[0], schema }] : contents;
  const result = validateBody(body, target as never, 0 as never, "application/json", undefined, bundle as never);
  return result._tag === "Right";
}

const guards = VARIANTS.map((name) => generated[`is${name}`] as (value: unknown) => boolean);

describe("the generated validator and the mock's Prism agree", () => {
  it("the spec's union lists the variants in the order the guards are checked", () => {
    expect(bodySchema.oneOf).toHaveLength(VARIANTS.length);
  });

  VARIANTS.forEach((variant, index) => {
    const member = bodySchema.oneOf[index] as Record<string, unknown>;
    const valid = arbitraryFor(member);
    const bodies = fc.oneof(valid, mutated(valid));

    it(`${variant}: ${RUNS} bodies, valid and broken, get one verdict; every guard is sound`, () => {
      let accepted = 0;
      fc.assert(
        fc.property(bodies, (body) => {
          const mock = prismAccepts(body);
          const ours = generated.validateAuthTokensCreateRequest(body);
          expect(ours.valid).toBe(mock);
          if (!ours.valid) expect(ours.issues.length).toBeGreaterThan(0);
          expect(generated.isAuthTokensCreateRequest(body)).toBe(mock);
          expect(generated.validateAuthTokensCreateBody(body).valid).toBe(mock);
          // Each guard is true exactly when Prism accepts the body against that member alone.
          const members = guards.map((guard) => guard(body));
          members.forEach((said, i) => {
            expect(said).toBe(prismAccepts(body, bodySchema.oneOf[i]));
          });
          // A valid body is exactly one variant.
          if (mock) expect(members.filter(Boolean)).toHaveLength(1);
          if (mock) accepted++;
        }),
        { numRuns: RUNS },
      );
      // The generator must exercise both verdicts, or the agreement proves little.
      expect(accepted).toBeGreaterThan(RUNS / 10);
      expect(accepted).toBeLessThan(RUNS * 0.95);
    }, 120_000);
  });
});
