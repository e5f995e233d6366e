import { describe, expect, it } from "vitest";
import { regenerateCommand } from "../../scripts/generate.js";

// The banner of generated code names the command that regenerates it; `npm run generate` exists
// only in this repository.
describe("regenerateCommand", () => {
  it.each([
    [
      { spec: "/p/spec/api.yaml", out: "/p/src/generated" },
      "npx devrev-plug-session generate --spec ../spec/api.yaml --out generated",
    ],
    [
      { spec: "/p/openapi.yaml", out: "/p/generated" },
      "npx devrev-plug-session generate --spec openapi.yaml --out generated",
    ],
    [
      { spec: "/p/my specs/it's.yaml", out: "/p/out dir" },
      "npx devrev-plug-session generate --spec 'my specs/it'\\''s.yaml' --out 'out dir'",
    ],
  ])("%j: %s", (options, command) => {
    expect(regenerateCommand(options)).toBe(command);
  });
});
