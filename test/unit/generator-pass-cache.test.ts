import { randomInt } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdir, readdir, readFile, symlink, utimes, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { serialize } from "node:v8";
import fc from "fast-check";
import { afterAll, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { type GeneratedFiles, GeneratorWorkers, generate } from "../../scripts/generate.js";
import {
  defaultCacheDir,
  dependencyClosure,
  MAX_CACHE_ENTRIES,
  PassCache,
  STALE_TEMP_MS,
} from "../../scripts/pass-cache.js";
import { GenerateError } from "../../scripts/spec-reader/generate-error.js";
import { loadSpec } from "../../scripts/spec-reader/load-spec.js";
import { generateCli } from "../../src/cli/generate.js";
import { ROOT } from "../helpers/cli.js";
import { useTempDirs } from "../helpers/temp-dir.js";
import { propertyRuns } from "../helpers/thorough.js";

const tempDir = useTempDirs();
// One pair of workers for the file, as --watch keeps one.
const workers = new GeneratorWorkers();
afterAll(() => workers.stop());

const PETS = join(ROOT, "test/fixtures/pets/spec.yaml");

/** Three schemas that refer to each other and an operation whose body is the first; `limits[i]` is Si's name's maxLength. */
function spec(limits: readonly number[]): string {
  const schema = (i: number) => ({
    type: "object",
    required: ["name"],
    properties: {
      name: { type: "string", maxLength: limits[i] },
      next: { $ref: `#/components/schemas/S${(i + 1) % limits.length}` },
    },
  });
  return stringify({
    openapi: "3.1.0",
    info: { title: "limits", version: "1" },
    paths: {
      "/s": {
        post: {
          operationId: "postS",
          requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/S0" } } } },
          responses: { "204": { description: "done" } },
        },
      },
    },
    components: { schemas: Object.fromEntries(limits.map((_, i) => [`S${i}`, schema(i)])) },
  });
}

async function run(file: string, cache: string | false): Promise<GeneratedFiles> {
  return generate({ spec: file, out: join(file, "..", "out"), cache }, workers);
}

async function entries(cache: string): Promise<string[]> {
  return (await readdir(cache)).filter((name) => name.endsWith(".files"));
}

describe("the generator's cache of its passes' output", () => {
  it("changes no byte of the output, on the run that fills it and the run that reads it", async () => {
    const cache = join(await tempDir(), "cache");
    const uncached = await run(PETS, false);
    const filling = await run(PETS, cache);
    expect(await entries(cache)).toHaveLength(1);
    const reading = await run(PETS, cache);
    expect(filling).toEqual(uncached);
    expect(reading).toEqual(uncached);
    expect([...reading.keys()]).toEqual([...uncached.keys()]);
  });

  it("serves an entry only to the document it was made from, and treats a damaged entry as a miss", async () => {
    const dir = await tempDir();
    const cache = join(dir, "cache");
    const file = join(dir, "spec.yaml");
    await writeFile(file, spec([10, 20, 30]));
    await run(file, cache);
    const [entry] = await entries(cache);
    const path = join(cache, entry as string);
    // An entry altered on disk is what the next run of the same document prints: the run read it.
    const altered = (await readFile(path, "utf8")).replace(/limit: 20\b/g, "limit: 21");
    expect(altered).not.toEqual(await readFile(path, "utf8"));
    await writeFile(path, altered);
    expect((await run(file, cache)).get("ajv-validators.js")).toContain("limit: 21");
    // A changed document does not read it.
    await writeFile(file, spec([10, 20, 31]));
    const changed = await run(file, cache);
    expect(changed.get("ajv-validators.js")).toContain("limit: 20");
    expect(changed).toEqual(await run(file, false));
    // Nor does a damaged entry stop a run.
    await writeFile(file, spec([10, 20, 30]));
    await writeFile(path, "{ not json");
    const recovered = await run(file, cache);
    expect(recovered).toEqual(await run(file, false));
  });

  it("after a change to one schema's constraint, gives the uncached output, which differs only in that schema's validator", async () => {
    const dir = await tempDir();
    const cache = join(dir, "cache");
    const file = join(dir, "spec.yaml");
    const before = [100, 200, 300];
    await writeFile(file, spec(before));
    const original = (await run(file, cache)).get("ajv-validators.js") ?? "";
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 99 }), async (changed, limit) => {
        const after = before.map((value, i) => (i === changed ? limit : value));
        await writeFile(file, spec(after));
        const cached = await run(file, cache);
        expect(cached).toEqual(await run(file, false));
        const code = cached.get("ajv-validators.js") ?? "";
        // The banner's spec hash aside.
        const lines = code.split("\n").filter((line) => !line.startsWith("// spec sha256:"));
        const was = original.split("\n").filter((line) => !line.startsWith("// spec sha256:"));
        expect(lines).toHaveLength(was.length);
        const differing = lines.flatMap((line, i) => (line === was[i] ? [] : [i]));
        expect(differing.length).toBeGreaterThan(0);
        // Each differing line names the new limit, and is S{changed}'s schema as Ajv keeps it or a
        // line of the function that \`S{changed}\` exports.
        const fn = new RegExp(`^export const S${changed} = ([\\w$]+);`, "m").exec(code)?.[1];
        const start = lines.findIndex((line) => line.startsWith(`function ${fn}(`));
        const end = lines.findIndex((line, i) => i > start && line === "return errors === 0;" && lines[i + 1] === "}");
        expect(start).toBeGreaterThan(-1);
        expect(end).toBeGreaterThan(start);
        for (const i of differing) {
          expect(lines[i]).toContain(String(limit));
          if (/^const [\w$]+\$schema\d+ = /.test(lines[i] ?? "")) expect(lines[i]).toContain(`"maxLength":${limit}`);
          else expect(start < i && i < end).toBe(true);
        }
        await writeFile(file, spec(before));
      }),
      { numRuns: propertyRuns(3, 15) },
    );
  });
});

describe("the Ajv pass's blocks in the cache", () => {
  it("start a new process's run on an edited spec: only the schemas the edit changed are compiled", async () => {
    const dir = await tempDir();
    const cache = join(dir, "cache");
    const file = join(dir, "spec.yaml");
    const out = join(dir, "out");
    await writeFile(file, spec([100, 200, 300]));
    // Each run in workers of its own, as each `generate` process has.
    await generate({ spec: file, out, cache });
    const store = await PassCache.open(cache);
    const stored = await store?.getBlocks();
    expect(stored?.entries).toHaveLength(3);
    // Marked, so the next run shows which blocks it took from the store rather than compiled.
    const marker = "// (kept from an earlier run)";
    await store?.setBlocks(stored?.entries.map(([key, block]) => [key, `${block}\n${marker}`]) ?? []);
    await writeFile(file, spec([100, 250, 300]));
    const code = (await generate({ spec: file, out, cache })).get("ajv-validators.js") ?? "";
    const blocks = code.split(/\n(?=(?:const|function) S\d\$)/);
    const marked = (name: string) => blocks.filter((block) => block.includes(`function ${name}$validate0(`))[0];
    expect(marked("S0")).toContain(marker);
    expect(marked("S2")).toContain(marker);
    expect(marked("S1")).not.toContain(marker);
    expect(marked("S1")).toContain("limit: 250");
    // And what the run stores for the next one is what it used: the kept blocks and the new one.
    const after = await store?.getBlocks();
    expect(after?.entries.filter(([, block]) => block.includes(marker))).toHaveLength(2);
    expect(after?.entries).toHaveLength(3);
  });

  it("are taken by a new worker only from the generator that compiled them", async () => {
    const { document } = await loadSpec(PETS);
    const first = new GeneratorWorkers();
    const { blocks, fingerprints } = await first.run(document, { wantBlocks: true }).finally(() => first.stop());
    expect(blocks?.length).toBeGreaterThan(0);
    const marker = "// (kept from an earlier run)";
    const entries = (blocks ?? []).map(([key, block]): [string, string] => [key, `${block}\n${marker}`]);
    for (const [generator, taken] of [
      ["another generator's fingerprint", false],
      [fingerprints[1] as string, true],
    ] as const) {
      const fresh = new GeneratorWorkers();
      const { files } = await fresh.run(document, { blocks: { generator, entries } }).finally(() => fresh.stop());
      const code = files.find(([name]) => name === "ajv-validators.js")?.[1] ?? "";
      expect(code.includes(marker), generator).toBe(taken);
    }
  });

  it("are a miss, never an error, when their file is damaged", async () => {
    const cache = join(await tempDir(), "cache");
    const store = await PassCache.open(cache);
    await store?.setBlocks([
      ["a", "function a$validate0(){}"],
      ["b", 'const b$schema0 = "é\\n";'],
    ]);
    expect((await store?.getBlocks())?.entries).toEqual([
      ["a", "function a$validate0(){}"],
      ["b", 'const b$schema0 = "é\\n";'],
    ]);
    const [name] = (await readdir(cache)).filter((entry) => entry.endsWith(".blocks"));
    const bytes = await readFile(join(cache, name as string));
    for (const damaged of [
      bytes.subarray(0, bytes.length - 1),
      Buffer.concat([bytes, Buffer.from("x")]),
      Buffer.from("{"),
    ]) {
      await writeFile(join(cache, name as string), damaged);
      expect(await store?.getBlocks()).toBeUndefined();
    }
  });
});

describe("an explicit cache folder", () => {
  it.each([
    ["the output folder itself", "out"],
    ["a folder inside it", "out/.cache/generator"],
    ["a path that leads back into it", "elsewhere/../out/cache"],
    ["a folder inside it through a symbolic link", "link/cache"],
  ])("is refused when it is %s, by a GenerateError naming both folders", async (_, cache) => {
    const dir = await tempDir();
    const out = join(dir, "out");
    await mkdir(out);
    await symlink(out, join(dir, "link"));
    const folder = join(dir, cache);
    const refused = generate({ spec: PETS, out, cache: folder }, workers);
    await expect(refused).rejects.toBeInstanceOf(GenerateError);
    await expect(refused).rejects.toThrow(`${folder}: the cache folder is`);
    await expect(refused).rejects.toThrow(`the output folder ${out}:`);
    // Nothing made: `out` is the test's own.
    expect(existsSync(folder)).toBe(cache === "out");
  });

  it("is accepted beside the output folder, even with a name that starts like it", async () => {
    const dir = await tempDir();
    const cache = join(dir, "out-cache");
    expect((await generate({ spec: PETS, out: join(dir, "out"), cache }, workers)).size).toBeGreaterThan(0);
    // Opened: made (mode 0700) to keep entries in.
    expect(existsSync(cache)).toBe(true);
  });
});

describe("the main thread's fingerprint of the generator's code", () => {
  it("is taken as the generator's modules load, before any run, as each worker's is", async () => {
    const taken = vi.fn();
    vi.resetModules();
    vi.doMock("../../scripts/pass-cache.js", async (original) => {
      const actual = await original<typeof import("../../scripts/pass-cache.js")>();
      return {
        ...actual,
        generatorFingerprint: () => {
          taken();
          return actual.generatorFingerprint();
        },
      };
    });
    try {
      await import("../../scripts/generate.js");
      expect(taken).toHaveBeenCalled();
    } finally {
      vi.doUnmock("../../scripts/pass-cache.js");
      vi.resetModules();
    }
  });
});

describe("PassCache", () => {
  it("keeps the most recently used entries, up to its limit", async () => {
    const dir = join(await tempDir(), "cache");
    const cache = await PassCache.open(dir);
    if (!cache) throw new Error("a fresh folder of this user's was refused");
    const keys = Array.from({ length: MAX_CACHE_ENTRIES + 3 }, (_, i) => cache.key(new Uint8Array([i])));
    for (const [i, key] of keys.entries()) await cache.set(key, [["a.ts", `// ${i}`]]);
    expect(await entries(dir)).toHaveLength(MAX_CACHE_ENTRIES);
    expect(await cache.get(keys.at(-1) as string)).toEqual([["a.ts", `// ${MAX_CACHE_ENTRIES + 2}`]]);
  });

  it("removes the temp files of runs killed mid-write once they are older than STALE_TEMP_MS, and no other", async () => {
    const dir = join(await tempDir(), "cache");
    const cache = await PassCache.open(dir);
    if (!cache) throw new Error("a fresh folder of this user's was refused");
    const temp = (key: string) => `.${key}.12345-0123abcd.tmp`;
    const dead = temp(cache.key(new Uint8Array([1])));
    const live = temp(cache.key(new Uint8Array([2])));
    const foreign = "notes.tmp";
    const now = Date.now();
    for (const [name, age] of [
      [dead, STALE_TEMP_MS + 60_000],
      [live, STALE_TEMP_MS - 60_000],
      [foreign, STALE_TEMP_MS * 10],
    ] as const) {
      await writeFile(join(dir, name), "[");
      const at = new Date(now - age);
      await utimes(join(dir, name), at, at);
    }
    await cache.set(cache.key(new Uint8Array([3])), [["a.ts", "// 3"]]);
    const names = await readdir(dir);
    expect(names).not.toContain(dead);
    expect(names).toContain(live);
    expect(names).toContain(foreign);
    expect(await entries(dir)).toHaveLength(1);
  });

  it("refuses a folder others may write to, since its entries become code in the output", async () => {
    const dir = join(await tempDir(), "shared");
    await mkdir(dir);
    await chmod(dir, 0o777);
    expect(await PassCache.open(dir)).toBeUndefined();
  });

  it("is neither read nor written by `generate --no-cache`, and written by `generate`", async () => {
    const dir = await tempDir();
    const file = join(dir, "spec.yaml");
    // A document no other test generates, so its entry can only come from this test.
    await writeFile(file, spec([randomInt(1, 1_000_000_000), 1, 2]));
    const folder = await defaultCacheDir();
    const cache = await PassCache.open(folder);
    const entry = join(folder, `${cache?.key(serialize((await loadSpec(file)).document))}.files`);
    expect(await generateCli(["--spec", file, "--out", join(dir, "out"), "--no-cache"])).toBe(0);
    expect(existsSync(entry)).toBe(false);
    expect(await generateCli(["--spec", file, "--out", join(dir, "out")])).toBe(0);
    expect(existsSync(entry)).toBe(true);
  });

  it("by default keeps its entries outside an output folder that holds the project's node_modules (`generate --out .` at its root)", async () => {
    const project = await tempDir();
    await mkdir(join(project, "node_modules"));
    const file = join(project, "spec.yaml");
    // A document no other test generates, so its entry can only come from this test.
    await writeFile(file, spec([randomInt(1, 1_000_000_000), 1, 2]));
    const folder = (await defaultCacheDir(dirname(project))) as string;
    const entry = join(
      folder,
      `${(await PassCache.open(folder))?.key(serialize((await loadSpec(file)).document))}.files`,
    );
    const cwd = vi.spyOn(process, "cwd").mockReturnValue(project);
    try {
      await generate({ spec: file, out: project }, workers);
    } finally {
      cwd.mockRestore();
    }
    expect(existsSync(join(project, "node_modules", ".cache"))).toBe(false);
    expect(existsSync(entry)).toBe(true);
  });

  it("lives in node_modules/.cache of the nearest folder that has a node_modules", async () => {
    expect(await defaultCacheDir(join(ROOT, "test/fixtures/pets"))).toBe(
      join(ROOT, "node_modules/.cache/devrev-plug-session"),
    );
  });
});

describe("the libraries the cache key names", () => {
  /** Writes `node_modules/NAME/package.json` under `dir` for each package. */
  async function install(dir: string, packages: Record<string, { version: string; dependencies?: object }>) {
    for (const [name, manifest] of Object.entries(packages)) {
      const folder = join(dir, "node_modules", name);
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, "package.json"), JSON.stringify({ name, ...manifest }));
    }
  }

  it("include what the generator's libraries depend on, as installed", () => {
    const closure = dependencyClosure(["openapi-typescript", "ts-morph", "ajv"], join(ROOT, "scripts"));
    for (const name of ["code-block-writer", "@ts-morph/common", "change-case", "fast-uri"]) {
      const { version } = JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8"));
      expect(closure).toContain(`${name}@${version}`);
    }
  });

  it("change with the version of a dependency's dependency, found as Node finds it, and not with an unrelated package", async () => {
    const root = await tempDir();
    const from = join(root, "project", "tools");
    await mkdir(from, { recursive: true });
    await install(join(root, "project"), {
      printer: { version: "1.0.0", dependencies: { writer: "^2.0.0" } },
      writer: { version: "1.0.0" },
      unrelated: { version: "1.0.0" },
    });
    // printer's own copy of writer (nested), which depends on a package installed above the project.
    await install(join(root, "project", "node_modules", "printer"), {
      writer: { version: "2.0.0", dependencies: { chars: "^3.0.0" } },
    });
    await install(root, { chars: { version: "3.0.0" } });
    expect(dependencyClosure(["printer"], from)).toEqual(["chars@3.0.0", "printer@1.0.0", "writer@2.0.0"]);
    await install(root, { chars: { version: "3.0.1" } });
    expect(dependencyClosure(["printer"], from)).toEqual(["chars@3.0.1", "printer@1.0.0", "writer@2.0.0"]);
    await install(join(root, "project"), { unrelated: { version: "1.0.1" } });
    expect(dependencyClosure(["printer"], from)).toEqual(["chars@3.0.1", "printer@1.0.0", "writer@2.0.0"]);
    expect(dependencyClosure(["absent"], from)).toEqual(["absent@"]);
  });
});
