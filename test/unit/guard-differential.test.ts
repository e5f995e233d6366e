import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { useGeneratedProjects } from "../helpers/generated-project.js";
import { guardDifferential } from "../helpers/guard-differential.js";

// `npm run test:corpus` runs the same comparison over every schema of the public corpus.
describe("every generated guard agrees with a reference Ajv on its schema", () => {
  const fixtures = [
    "discriminators/spec.yaml",
    "pets/spec.yaml",
    "real-world/openapi-30-dialect.yaml",
    "real-world/parameter-ref.yaml",
    "real-world/nested-enums.yaml",
    "real-world/discriminator-through-refs.yaml",
    "real-world/pinned-discriminator.yaml",
    "real-world/nullable-reference.yaml",
    // Blocks that refer into other schemas, identical schemas compiled once, formats as literals,
    // and the runtime's equality. (Not pattern-properties.yaml: a reference Ajv cannot compile its
    // patternProperties key, which the generator repairs.)
    "real-world/refs-into-schemas.yaml",
    "real-world/format-literals.yaml",
    "real-world/object-equality.yaml",
  ];
  // generator-real-world.test.ts and discriminators.test.ts type-check these outputs (pets' is golden).
  const generateProject = useGeneratedProjects({
    specs: fixtures.map((fixture) => join(ROOT, "test/fixtures", fixture)),
    typecheck: false,
  });

  for (const fixture of fixtures) {
    it(`${fixture}: no value judged differently`, { timeout: 120_000 }, async () => {
      const spec = join(ROOT, "test/fixtures", fixture);
      const { out } = await generateProject(spec);
      const result = await guardDifferential(spec, out, 300);
      expect(result.disagreements).toEqual([]);
      expect(result.uncompiled).toEqual([]);
      expect(result.schemas).toBeGreaterThan(0);
    });
  }
});
