import { type ChildProcess, spawn } from "node:child_process";
import { cp, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parse, stringify } from "yaml";
import { GeneratorWorkers, generate } from "../../scripts/generate.js";
import { watchSpec } from "../../scripts/watch.js";
import { writeGenerated } from "../../scripts/write-output.js";
import { ROOT } from "../helpers/cli.js";
import { useTempDirs } from "../helpers/temp-dir.js";

const tempDir = useTempDirs();
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGTERM");
});

/** Starts `generate --watch` and returns a function that waits for output matching a pattern. */
function startWatch(spec: string, out: string) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(ROOT, "src/cli/npm-generate.ts"), "--watch", "--spec", spec, "--out", out],
    {
      cwd: ROOT,
    },
  );
  children.push(child);
  let output = "";
  const waiters: { pattern: RegExp; from: number; resolve: (text: string) => void }[] = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of waiters.slice()) {
      const text = output.slice(waiter.from);
      if (waiter.pattern.test(text)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(text);
      }
    }
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  return {
    child,
    /** Resolves with the output printed since the call once it matches `pattern`. */
    next(pattern: RegExp): Promise<string> {
      return new Promise((resolve) => waiters.push({ pattern, from: output.length, resolve }));
    },
  };
}

describe("generate --watch", () => {
  // One watcher for the whole story, ending with SIGTERM: a process each would cost more than the steps.
  it("regenerates on save, survives a broken save with the last good output, recovers, and stops on SIGTERM", async () => {
    const dir = await tempDir();
    const spec = join(dir, "spec.yaml");
    const out = join(dir, "generated");
    const original = await readFile(join(ROOT, "test/fixtures/pets/spec.yaml"), "utf8");
    await writeFile(spec, original);

    const watch = startWatch(spec, out);
    await watch.next(/watching .*spec\.yaml/);
    const firstTypes = await readFile(join(out, "types.ts"), "utf8");

    const changed = watch.next(/spec\.yaml saved: regenerated (.+) in \d+ ms/);
    await writeFile(spec, original.replace("description: Kept for old clients.", "description: Kept for a while."));
    // Only the files whose code changed: every banner's spec hash changes too.
    expect(await changed).toMatch(/regenerated schema\.ts, types\.ts in/);
    const secondTypes = await readFile(join(out, "types.ts"), "utf8");
    expect(secondTypes).not.toEqual(firstTypes);
    expect(secondTypes).toContain("Kept for a while.");

    const broken = watch.next(/keeping the last good output/);
    await writeFile(spec, original.replace("  /pets:", "  /pets: [oops"));
    expect(await broken).toMatch(new RegExp(`error: ${spec.replaceAll(".", "\\.")}:\\d+:\\d+: invalid YAML`));
    expect(await readFile(join(out, "types.ts"), "utf8")).toEqual(secondTypes);
    expect(watch.child.exitCode).toBeNull();

    const recovered = watch.next(/spec\.yaml saved: regenerated/);
    await writeFile(spec, original);
    await recovered;
    expect(await readFile(join(out, "types.ts"), "utf8")).toEqual(firstTypes);

    const exited = new Promise<number | null>((resolve) => watch.child.on("exit", (code) => resolve(code)));
    watch.child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("regenerates when a file of a spec in several files is saved", async () => {
    const dir = await tempDir();
    await cp(join(ROOT, "test/fixtures/real-world/multi-file"), join(dir, "api"), { recursive: true });
    const out = join(dir, "generated");
    const watch = startWatch(join(dir, "api/openapi.yaml"), out);
    await watch.next(/watching/);

    const changed = watch.next(/saved: regenerated (.+) in \d+ ms/);
    const address = join(dir, "api/src/schemas/Address.yaml");
    await writeFile(
      address,
      (await readFile(address, "utf8")).replace("city: {type: string}", "city: {type: integer}"),
    );
    expect(await changed).toMatch(/regenerated .*schema\.ts/);
    expect(await readFile(join(out, "schema.ts"), "utf8")).toContain("city?: number;");
  });

  it("watches a folder a save starts to read a file from, with the output folder inside the spec's", async () => {
    const dir = await tempDir();
    const spec = join(dir, "openapi.yaml");
    const document = parse(await readFile(join(ROOT, "test/fixtures/pets/spec.yaml"), "utf8"));
    await writeFile(spec, stringify(document));
    // The output's staging and previous folders come and go inside the watched folder on every save.
    const out = join(dir, "generated");
    const watch = startWatch(spec, out);
    await watch.next(/watching/);

    const tag = join(dir, "extra/Tag.yaml");
    await mkdir(join(dir, "extra"));
    await writeFile(tag, "type: object\nproperties:\n  label: {type: string}\n");
    const referred = watch.next(/saved: regenerated .* in \d+ ms/);
    document.components.schemas.Tag = { $ref: "./extra/Tag.yaml" };
    await writeFile(spec, stringify(document));
    await referred;
    expect(await readFile(join(out, "schema.ts"), "utf8")).toContain("label?: string;");

    // A file of the spec in a folder that no file of it was in when the watch started.
    const edited = watch.next(/saved: regenerated .* in \d+ ms/);
    await writeFile(tag, "type: object\nproperties:\n  label: {type: integer}\n");
    await edited;
    expect(await readFile(join(out, "schema.ts"), "utf8")).toContain("label?: number;");
    expect(watch.child.exitCode).toBeNull();
  });

  it("runs every save in the workers of the first generation, which kept what a save reuses, and stops them on close", async () => {
    const dir = await tempDir();
    const spec = join(dir, "spec.yaml");
    const out = join(dir, "generated");
    const original = await readFile(join(ROOT, "test/fixtures/pets/spec.yaml"), "utf8");
    await writeFile(spec, original);
    const options = { spec, out, cache: false as const };
    const workers = new GeneratorWorkers();
    const run = vi.spyOn(workers, "run");
    const stop = vi.spyOn(workers, "stop");
    await writeGenerated(out, await generate(options, workers));
    let saved: (line: string) => void = () => {};
    const reported = new Promise<string>((resolve) => {
      saved = resolve;
    });
    const handle = watchSpec(options, (line) => saved(line), String, workers);
    try {
      const lives = "lives:\n          type: integer";
      expect(original).toContain(lives);
      await writeFile(spec, original.replace(lives, `${lives}\n          maximum: 9`));
      expect(await reported).toMatch(/saved: regenerated ajv-validators\.js/);
      expect(run).toHaveBeenCalledTimes(2);
      // The second run was given no stored blocks: the workers held the first run's. A new limit
      // leaves the types key as it was, so the ts-morph pass and schema.ts reuse the first run's text.
      const firstKey = run.mock.calls[0]?.[1]?.typesKey;
      expect(firstKey).toMatch(/^[0-9a-f]{64}$/);
      expect(run.mock.calls[1]?.[1]).toEqual({ blocks: undefined, wantBlocks: false, typesKey: firstKey });
      expect(await readFile(join(out, "ajv-validators.js"), "utf8")).toContain("limit: 9");
      // What a run in new workers writes for the edited spec.
      for (const [name, text] of await generate(options)) {
        expect(await readFile(join(out, name), "utf8"), name).toBe(text);
      }
    } finally {
      await handle.close();
    }
    expect(stop).toHaveBeenCalledOnce();
  });

  it("stores a save's output and blocks in the cache after reporting it; close waits for that", async () => {
    const dir = await tempDir();
    const spec = join(dir, "spec.yaml");
    const cache = join(dir, "cache");
    const options = { spec, out: join(dir, "generated"), cache };
    const original = await readFile(join(ROOT, "test/fixtures/pets/spec.yaml"), "utf8");
    await writeFile(spec, original);
    const workers = new GeneratorWorkers();
    await writeGenerated(options.out, await generate(options, workers));
    const stored = async () => (await readdir(cache)).filter((name) => /\.(files|blocks)$/.test(name)).sort();
    const first = await stored();
    expect(first.filter((name) => name.endsWith(".files"))).toHaveLength(1);
    let saved: (line: string) => void = () => {};
    const reported = new Promise<string>((resolve) => {
      saved = resolve;
    });
    const handle = watchSpec(options, (line) => saved(line), String, workers);
    await writeFile(spec, original.replace("lives:\n          type: integer", "lives:\n          type: string"));
    expect(await reported).toMatch(/saved: regenerated/);
    await handle.close();
    const after = await stored();
    expect(after.filter((name) => name.endsWith(".files"))).toHaveLength(2);
    expect(after).toEqual(expect.arrayContaining(first));
    expect(after.filter((name) => name.endsWith(".blocks"))).toHaveLength(1);
  });
});
