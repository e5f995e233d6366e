import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { camelCase, keyLiteral, NameRegistry, pascalCase, safeIdentifier } from "../../scripts/naming.js";
import { memberNames } from "../../scripts/transforms/enum-constants.js";

describe("pascalCase / camelCase", () => {
  it.each([
    { given: "auth-tokens-create", want: "AuthTokensCreate" },
    { given: "SessionTokenByRevInfoRequest", want: "SessionTokenByRevInfoRequest" },
    { given: "error_bad_request", want: "ErrorBadRequest" },
    { given: "3-toed-sloth", want: "_3ToedSloth" },
    { given: "post /pets/{petId}", want: "PostPetsPetId" },
    { given: "", want: "_" },
  ])("pascalCase($given) = $want", ({ given, want }) => {
    expect(pascalCase(given)).toBe(want);
  });

  it("camelCase lowers the first letter", () => {
    expect(camelCase("auth-tokens-create")).toBe("authTokensCreate");
    expect(camelCase("delete /pets/{petId}")).toBe("deletePetsPetId");
  });
});

describe("identifiers from any operationId or schema name", () => {
  const isDeclarable = (name: string) => {
    try {
      // Strict mode, as in a module: reserved words and `let`, `static`, `yield`... are refused.
      new Function(`"use strict"; let ${name}; function ${name}_f() {} return typeof ${name};`);
      return true;
    } catch {
      return false;
    }
  };

  it("are declarable in strict mode: reserved words, leading digits, unicode, punctuation", () => {
    const words = fc.constantFrom("delete", "import", "export", "default", "let", "yield", "await", "enum", "3d", "");
    const names = fc.oneof(words, fc.string(), fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" }));
    fc.assert(
      fc.property(names, (name) => isDeclarable(safeIdentifier(camelCase(name))) && isDeclarable(pascalCase(name))),
      { numRuns: 2000 },
    );
  });
});

describe("names a module must not export, and keys that are no numbers", () => {
  it("an operationId `then` is not exported as `then`: the module would be a thenable", () => {
    expect(safeIdentifier(camelCase("then"))).toBe("then_");
    expect(safeIdentifier(camelCase("then-later"))).toBe("thenLater");
  });

  it.each([
    { given: "400", want: "400" },
    { given: "NaN", want: '"NaN"' },
    { given: "Infinity", want: '"Infinity"' },
    { given: "-1", want: '"-1"' },
    { given: "1e3", want: '"1e3"' },
  ])("keyLiteral($given) = $want", ({ given, want }) => {
    expect(keyLiteral(given)).toBe(want);
  });
});

describe("NameRegistry", () => {
  it("gives a taken name the caller's alternative before a number", () => {
    const names = new NameRegistry(["OperationBody"]);
    expect(names.claim("OperationBody", "OperationBodySchema")).toBe("OperationBodySchema");
    expect(names.claim("OperationBody", "OperationBodySchema")).toBe("OperationBody2");
  });

  it("suffixes clashes in order of use and never hands out a reserved name", () => {
    const names = new NameRegistry(["paths"]);
    expect([names.claim("a-b"), names.claim("a-b"), names.claim("paths"), names.claim("a-b")]).toEqual([
      "a-b",
      "a-b2",
      "paths2",
      "a-b3",
    ]);
  });
});

describe("memberNames", () => {
  it.each([
    {
      given: ["INSUFFICIENT_FUNDS", "CARD_DECLINED", "USD"],
      varnames: undefined,
      want: ["InsufficientFunds", "CardDeclined", "USD"],
    },
    {
      given: ["urn:devrev:params:oauth:token-type:aat", "urn:devrev:params:oauth:token-type:aat:public"],
      varnames: undefined,
      want: ["Aat", "AatPublic"],
    },
    {
      given: ["urn:devrev:params:oauth:grant-type:token-issue", "urn:ietf:params:oauth:grant-type:token-exchange"],
      varnames: undefined,
      want: ["DevrevParamsOauthGrantTypeTokenIssue", "IetfParamsOauthGrantTypeTokenExchange"],
    },
    { given: ["a", "b"], varnames: ["First", "Second"], want: ["First", "Second"] },
    { given: ["a", "b"], varnames: ["Only"], want: ["A", "B"] },
    { given: ["a", "b"], varnames: ["not valid", "X"], want: ["A", "B"] },
    { given: ["bearer"], varnames: undefined, want: ["Bearer"] },
    { given: ["a-b", "a_b", ""], varnames: undefined, want: ["AB", "AB2", "Empty"] },
  ])("$given -> $want", ({ given, varnames, want }) => {
    expect(memberNames(given, varnames)).toEqual(want);
  });
});
