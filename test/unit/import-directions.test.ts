import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { type Import, importCycles, readImports, resolveSpecifier, specifiersOf } from "../helpers/import-graph.js";

/**
 * Which layer may import which, so imports follow the data flow: spec kernel
 * <- generator <- generated <- shared <- server, browser <- react <- mock, CLI,
 * examples; the repository's own tooling stands beside the generator, on the
 * spec kernel (and the mock, for `conformance --live`), and only the CLI
 * reaches it. A file belongs to the layer of its longest matching path (a
 * folder ends in `/`); a file in no layer fails the check, so a new folder gets
 * a place here. Each layer may import its own files and those of the layers it
 * lists; `packages`, where given, is every other package it may import.
 */
const LAYERS: Record<string, { paths: string[]; imports: string[]; packages?: RegExp }> = {
  // What the generator and the mock both read a spec with: load, peers, spec errors, JSON pointers.
  "spec kernel": {
    paths: ["scripts/spec-reader/"],
    imports: [],
  },
  generator: { paths: ["scripts/"], imports: ["spec kernel"] },
  // Not shipped: the build, the npm scripts' runner, the comparison with DevRev's spec, and
  // `conformance --live`, which checks a recording with the mock's own reader and Prism check
  // (the mock never imports it back).
  "repo tooling": { paths: ["scripts/repo/"], imports: ["spec kernel", "mock"] },
  // The package's dependencies only: generated code runs wherever the server entry does.
  generated: { paths: ["generated/"], imports: [], packages: /^(openapi-fetch|ajv|ajv-formats)(\/|$)/ },
  // Both sides of the wire, the browser bundle included: nothing at all.
  shared: { paths: ["src/shared/"], imports: [], packages: /^$/ },
  server: {
    paths: ["src/server/"],
    imports: ["generated", "shared"],
    packages: /^(openapi-fetch|ajv|ajv-formats)(\/|$)/,
  },
  node: { paths: ["src/node/"], imports: ["server", "shared"] },
  // Nothing that could hold the AAT, no openapi-fetch, no generated runtime.
  browser: { paths: ["src/browser/"], imports: ["shared"], packages: /^$/ },
  react: { paths: ["src/react/"], imports: ["browser"], packages: /^react$/ },
  mock: { paths: ["mock/"], imports: ["spec kernel", "generated", "shared", "server"] },
  // Every command (the package's bin and the npm scripts' entries) and the helpers they share.
  cli: {
    paths: ["src/cli/"],
    imports: ["spec kernel", "generator", "repo tooling", "generated", "shared", "server", "node", "mock"],
  },
  // Apps to copy (the demo, nextjs/), which import the package by name; the demo's command
  // line uses the commands' helpers.
  examples: {
    paths: ["examples/"],
    imports: ["generator", "generated", "shared", "server", "node", "browser", "react", "mock", "cli"],
  },
};

/**
 * Import cycles allowed, each a set of files that may import each other. A
 * cycle among other files, or one that draws in another file, fails; delete an
 * entry once its cycle is gone. The one left is in generated code, types only:
 * a union in schema.ts names its members' interfaces in types.ts, which are
 * built from schema.ts's components (scripts/schema-hooks/exclusive-unions.ts).
 */
const KNOWN_CYCLES = [["generated/schema.ts", "generated/types.ts"]];

const CHECKED = ["src", "scripts", "mock", "generated", "examples"];

function layerOf(path: string): string | undefined {
  let best: { layer: string; length: number } | undefined;
  for (const [layer, { paths }] of Object.entries(LAYERS)) {
    for (const prefix of paths) {
      const matches = prefix.endsWith("/") ? path.startsWith(prefix) : path === prefix;
      if (matches && prefix.length > (best?.length ?? -1)) best = { layer, length: prefix.length };
    }
  }
  return best?.layer;
}

/** One line per import that runs against the flow, naming the file and the import. */
function backEdges(imports: readonly Import[]): string[] {
  const problems: string[] = [];
  for (const { from, specifier, to } of imports) {
    const layer = layerOf(from);
    if (layer === undefined) {
      problems.push(`${from} is in no layer: add its folder to LAYERS in test/unit/import-directions.test.ts`);
      continue;
    }
    const rule = LAYERS[layer] as (typeof LAYERS)[string];
    if (to === undefined) {
      if (rule.packages && !rule.packages.test(specifier)) {
        problems.push(`${from} imports "${specifier}": the ${layer} layer may not import that package`);
      }
      continue;
    }
    const target = layerOf(to) ?? "no layer";
    if (target !== layer && !rule.imports.includes(target)) {
      problems.push(`${from} imports "${specifier}" (${target}): the ${layer} layer may import only ${allowed(layer)}`);
    }
  }
  return [...new Set(problems)];
}

const allowed = (layer: string) => [layer, ...(LAYERS[layer]?.imports ?? [])].join(", ");

/** One line per import cycle not listed in KNOWN_CYCLES. */
function newCycles(imports: readonly Import[]): string[] {
  return importCycles(imports)
    .filter(({ files }) => !KNOWN_CYCLES.some((known) => files.every((file) => known.includes(file))))
    .map(({ path }) => `import cycle: ${path.join(" -> ")}`);
}

describe("import directions", () => {
  const imports = readImports(ROOT, CHECKED);

  it("reads the real imports of the whole tree", () => {
    // The check sees the imports it is about: a parser that missed them would pass anything.
    const seen = (from: string, to: string) => imports.some((i) => i.from === from && i.to === to);
    expect(seen("src/server/handler.ts", "src/shared/session-token-response.ts")).toBe(true); // type-only
    expect(seen("scripts/worker.ts", "scripts/morph-pass.ts")).toBe(true); // import()
    expect(seen("examples/demo/page.ts", "src/browser/index.ts")).toBe(true); // by package name
    expect(seen("examples/nextjs/app/plug.tsx", "src/react/index.ts")).toBe(true); // .tsx
  });

  it("has no import against the flow", () => {
    expect(backEdges(imports)).toEqual([]);
  });

  it("has no import cycle between files, beyond the known ones", () => {
    expect(newCycles(imports)).toEqual([]);
  });

  it.each([
    {
      given: [{ from: "src/server/handler.ts", specifier: "../browser/x.js", to: "src/browser/x.ts" }],
      want: [
        'src/server/handler.ts imports "../browser/x.js" (browser): the server layer may import only server, generated, shared',
      ],
    },
    {
      given: [{ from: "scripts/generate.ts", specifier: "../mock/mock-api.js", to: "mock/mock-api.ts" }],
      want: [
        'scripts/generate.ts imports "../mock/mock-api.js" (mock): the generator layer may import only generator, spec kernel',
      ],
    },
    {
      given: [{ from: "scripts/spec-reader/load-spec.ts", specifier: "../naming.js", to: "scripts/naming.ts" }],
      want: [
        'scripts/spec-reader/load-spec.ts imports "../naming.js" (generator): the spec kernel layer may import only spec kernel',
      ],
    },
    {
      given: [{ from: "src/browser/x.ts", specifier: "openapi-fetch", to: undefined }],
      want: ['src/browser/x.ts imports "openapi-fetch": the browser layer may not import that package'],
    },
    {
      given: [{ from: "src/shared/jwt.ts", specifier: "node:crypto", to: undefined }],
      want: ['src/shared/jwt.ts imports "node:crypto": the shared layer may not import that package'],
    },
    {
      given: [{ from: "bench/x.ts", specifier: "../src/server/index.js", to: "src/server/index.ts" }],
      want: ["bench/x.ts is in no layer: add its folder to LAYERS in test/unit/import-directions.test.ts"],
    },
    { given: [{ from: "mock/tokens.ts", specifier: "../src/shared/jwt.js", to: "src/shared/jwt.ts" }], want: [] },
    { given: [{ from: "src/react/a.ts", specifier: "react", to: undefined }], want: [] },
  ])("names the file and the import of a back-edge: $given.0.from imports $given.0.specifier", ({ given, want }) => {
    expect(backEdges(given)).toEqual(want);
  });

  it("finds a new cycle, with one circle through it, and lets a known one shrink but not grow", () => {
    const edge = (from: string, to: string): Import => ({ from, specifier: to, to });
    expect(newCycles([edge("src/server/a.ts", "src/server/b.ts"), edge("src/server/b.ts", "src/server/a.ts")])).toEqual(
      ["import cycle: src/server/a.ts -> src/server/b.ts -> src/server/a.ts"],
    );
    expect(newCycles([edge("src/server/a.ts", "src/server/a.ts")])).toEqual([
      "import cycle: src/server/a.ts -> src/server/a.ts",
    ]);
    const known = [
      edge("generated/schema.ts", "generated/types.ts"),
      edge("generated/types.ts", "generated/schema.ts"),
    ];
    expect(newCycles(known)).toEqual([]);
    expect(
      newCycles([
        ...known,
        edge("generated/types.ts", "generated/index.ts"),
        edge("generated/index.ts", "generated/schema.ts"),
      ]),
    ).toEqual(["import cycle: generated/index.ts -> generated/schema.ts -> generated/types.ts -> generated/index.ts"]);
  });
});

describe("reading imports", () => {
  it("reads imports as the parser sees them: not import-shaped text in a string the generator prints", () => {
    const text = [
      'import type { A } from "./a.js";',
      'export { b } from "./b.js";',
      'const c = await import("./c.js");',
      'type D = typeof import("./d.js");',
      'const printed = `import { e } from "./e.js";`;',
      '// import { f } from "./f.js";',
      "const g = await import(name);",
    ].join("\n");
    expect(specifiersOf("x.ts", text)).toEqual(["./a.js", "./b.js", "./c.js", "./d.js"]);
  });

  it("resolves specifiers to source files as TypeScript does", () => {
    const files = new Set(["src/server/a.ts", "src/react/p.tsx", "scripts/repo/build.mjs", "src/cli/index.ts"]);
    const exists = (path: string) => files.has(path);
    const self = { "devrev-plug-session/server": "src/server/index.ts" };
    expect(resolveSpecifier("src/server/b.ts", "./a.js", self, exists)).toBe("src/server/a.ts");
    expect(resolveSpecifier("src/react/q.tsx", "./p.js", self, exists)).toBe("src/react/p.tsx");
    expect(resolveSpecifier("scripts/repo/run.mjs", "./build.mjs", self, exists)).toBe("scripts/repo/build.mjs");
    expect(resolveSpecifier("src/x.ts", "./cli", self, exists)).toBe("src/cli/index.ts");
    expect(resolveSpecifier("examples/demo/app.ts", "devrev-plug-session/server", self, exists)).toBe(
      "src/server/index.ts",
    );
    expect(resolveSpecifier("mock/x.ts", "devrev-plug-session/generator", self, exists)).toBeNull();
    expect(resolveSpecifier("mock/x.ts", "./missing.js", self, exists)).toBeNull();
    expect(resolveSpecifier("mock/x.ts", "yaml", self, exists)).toBeUndefined();
  });
});
