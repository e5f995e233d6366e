import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";

/**
 * Compiles a snippet against the generated types and returns the compiler's
 * messages, as a user would see them in their editor.
 */
function diagnosticsFor(source: string): string[] {
  const file = join(ROOT, "test/types/__variant-names__.ts");
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile;
  host.readFile = (name) => (name === file ? source : readFile(name));
  const fileExists = host.fileExists;
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === file)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

describe("compile errors on a request body", () => {
  it("name the variant the body was checked against, not its expanded shape", () => {
    const messages = diagnosticsFor(`
      import type { AuthTokensCreateRequest } from "../../generated/index.js";
      export const body: AuthTokensCreateRequest = { rev_info: { user_ref: "u" }, subject_token: "x" };
    `);
    expect(messages.length).toBeGreaterThan(0);
    const text = messages.join("\n");
    expect(text).toMatch(/SessionTokenByRevInfoRequest|SessionTokenBySubjectTokenRequest/);
    expect(text).not.toContain("more ...");
  }, 60_000);

  it("compile cleanly for a valid body, so the check above is about the error", () => {
    const messages = diagnosticsFor(`
      import type { AuthTokensCreateRequest } from "../../generated/index.js";
      export const body: AuthTokensCreateRequest = { rev_info: { user_ref: "u" } };
    `);
    expect(messages).toEqual([]);
  }, 60_000);
});
