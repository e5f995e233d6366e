import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";

/**
 * Compiles snippets against the generated types, in one program (most of a
 * compile is loading the standard library and the generated code, shared by
 * every snippet), and returns each snippet's messages, as a user would see
 * them in their editor.
 */
function diagnosticsFor<K extends string>(sources: Record<K, string>): Record<K, string[]> {
  const files = new Map(Object.entries<string>(sources).map(([name, source]) => [fileFor(name), source]));
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
  host.readFile = (name) => files.get(name) ?? readFile(name);
  const fileExists = host.fileExists;
  host.fileExists = (name) => files.has(name) || fileExists(name);
  const program = ts.createProgram([...files.keys()], options, host);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  return Object.fromEntries(
    Object.keys(sources).map((name) => [
      name,
      diagnostics
        .filter((d) => d.file?.fileName === fileFor(name))
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")),
    ]),
  ) as Record<K, string[]>;
}

function fileFor(name: string): string {
  return join(ROOT, `test/types/__variant-names-${name}__.ts`);
}

const messages = diagnosticsFor({
  wrongVariant: `
    import type { AuthTokensCreateRequest } from "../../generated/index.js";
    export const body: AuthTokensCreateRequest = { rev_info: { user_ref: "u" }, subject_token: "x" };
  `,
  valid: `
    import type { AuthTokensCreateRequest } from "../../generated/index.js";
    export const body: AuthTokensCreateRequest = { rev_info: { user_ref: "u" } };
  `,
  // The form the README shows first: a body written into the call.
  callForm: `
    import createClient from "openapi-fetch";
    import { authTokensCreate, type paths } from "../../generated/index.js";
    const client = createClient<paths>({ baseUrl: "https://api.devrev.ai" });
    void authTokensCreate(client, { body: { rev_info: { user_ref: "u" }, subject_token: "x" } });
  `,
  validCall: `
    import createClient from "openapi-fetch";
    import { authTokensCreate, type paths } from "../../generated/index.js";
    const client = createClient<paths>({ baseUrl: "https://api.devrev.ai" });
    void authTokensCreate(client, { body: { rev_info: { user_ref: "u" } } });
  `,
});

describe("compile errors on a request body", () => {
  it("name the variant the body was checked against, not its expanded shape", () => {
    expect(messages.wrongVariant.length).toBeGreaterThan(0);
    const text = messages.wrongVariant.join("\n");
    expect(text).toMatch(/SessionTokenByRevInfoRequest|SessionTokenBySubjectTokenRequest/);
    expect(text).not.toContain("more ...");
  });

  it("compile cleanly for a valid body, so the check above is about the error", () => {
    expect(messages.valid).toEqual([]);
  });

  it("name every variant in a call to the generated function too, without the expanded union", () => {
    expect(messages.callForm).toHaveLength(1);
    const [message] = messages.callForm;
    for (const variant of [
      "SessionTokenBySubjectTokenRequest",
      "SessionTokenByRevInfoRequest",
      "AatIssueRequest",
      "OtherTokenIssueRequest",
      "TokenExchangeRequest",
    ]) {
      expect(message).toContain(variant);
    }
    expect(message).not.toContain("urn:devrev:params");
    expect(messages.validCall).toEqual([]);
  });
});
