import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { useGeneratedProjects } from "../helpers/generated-project.js";
import { THOROUGH } from "../helpers/thorough.js";

// DevRev's whole public spec (about 1 MB, OpenAPI 3.0) sits beside the project, never inside it.
const DEVREV_SPEC = join(ROOT, "../shared/specs/devrev-public-openapi.yaml");
const present = existsSync(DEVREV_SPEC);
if (THOROUGH && !present) {
  console.warn(
    `skipping the full-spec test: it reads DevRev's public OpenAPI spec from ${DEVREV_SPEC}, outside the project. ` +
      "Save DevRev's public spec (the OpenAPI document linked from DevRev's API reference) there to run it.",
  );
}

// A megabyte of spec to generate and type-check: `npm run test:thorough` runs it, as CI does.
describe.skipIf(!present || !THOROUGH)("DevRev's full public spec", () => {
  const generateProject = useGeneratedProjects();

  it("generates and type-checks under strict settings", { timeout: 120_000 }, async () => {
    const { files, tscOutput } = await generateProject(DEVREV_SPEC);
    const operations = files.get("operations.ts") ?? "";
    // A body-taking operation's options name its body type.
    expect(operations).toMatch(
      /export type AuthTokensCreateOptions = OperationInit<paths\["\/auth-tokens\.create"\]\["post"\]> & \{\s*params\?: paths\["\/auth-tokens\.create"\]\["post"\]\["parameters"\];\s*body: AuthTokensCreateBody;\s*\};/,
    );
    expect(operations).toContain(
      "export function authTokensCreate(client: Client<paths>, options: AuthTokensCreateOptions): Promise<AuthTokensCreateResult>",
    );
    expect(operations.match(/^export function /gm)?.length).toBeGreaterThan(200);
    expect(files.get("constants.ts")).toContain("export const AuthTokenGrantType = {");
    expect(tscOutput).toBe("");
  });
});
