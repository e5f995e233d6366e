import { type ChildProcess, spawn } from "node:child_process";
import { cp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parse, stringify } from "yaml";
import { GeneratorWorkers, generate } from "../../scripts/generate.js";
import { PassCache } from "../../scripts/pass-cache.js";
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

/** An in-process watch's report function, and a wait for the next report that matches a pattern. */
function reportLines() {
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  return {
    lines,
    report(line: string) {
      lines.push(line);
      for (const waiter of waiters.slice()) {
        if (!waiter.pattern.test(line)) continue;
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    },
    /** Resolves with the first report from now on that matches `pattern`. */
    next(pattern: RegExp): Promise<string> {
      return new Promise((resolve) => waiters.push({ pattern, resolve }));
    },
  };
}

/** Generates `spec` into `dir/generated`, then watches it in this process, in the first generation's workers. */
async function watchInProcess(spec: string, dir: string) {
  const options = { spec, out: join(dir, "generated"), cache: false as const };
  const workers = new GeneratorWorkers();
  await writeGenerated(options.out, await generate(options, workers));
  const { report, next } = reportLines();
  const handle = watchSpec(options, report, String, workers);
  await handle.ready;
  return { options, handle, next };
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

  it("reports a save before storing it in the cache, and close waits for the store", async () => {
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
    // The save's entry is held back until the report has come.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const set = PassCache.prototype.set;
    const storing = vi.spyOn(PassCache.prototype, "set").mockImplementation(async function (this: PassCache, ...args) {
      await held;
      return set.apply(this, args);
    });
    try {
      const { report, next } = reportLines();
      const handle = watchSpec(options, report, String, workers);
      const reported = next(/saved: regenerated/);
      await writeFile(spec, original.replace("lives:\n          type: integer", "lives:\n          type: string"));
      await reported;
      expect(storing).toHaveBeenCalledOnce();
      expect(await stored()).toEqual(first);
      const closed = handle.close();
      release();
      await closed;
    } finally {
      storing.mockRestore();
    }
    const after = await stored();
    expect(after.filter((name) => name.endsWith(".files"))).toHaveLength(2);
    expect(after).toEqual(expect.arrayContaining(first));
    expect(after.filter((name) => name.endsWith(".blocks"))).toHaveLength(1);
  });

  it("writes the output again when a save generates what it last wrote but a file of it was edited since", async () => {
    const dir = await tempDir();
    const spec = join(dir, "openapi.yaml");
    const original = await readFile(join(ROOT, "test/fixtures/pets/spec.yaml"), "utf8");
    const edited = original.replace("description: Kept for old clients.", "description: Kept for a while.");
    await writeFile(spec, original);
    const { options, handle, next } = await watchInProcess(spec, dir);
    try {
      let saved = next(/saved: regenerated/);
      await writeFile(spec, edited);
      await saved;
      const types = await readFile(join(options.out, "types.ts"), "utf8");
      // The same spec again: nothing to write while the output is as the last save left it.
      saved = next(/saved: output unchanged/);
      await writeFile(spec, edited);
      await saved;
      // A generated file edited by hand is put back by the next save, though the spec's output is what was written.
      await writeFile(join(options.out, "types.ts"), `${types}// edited by hand\n`);
      saved = next(/saved: regenerated types\.ts in/);
      await writeFile(spec, edited);
      await saved;
      expect(await readFile(join(options.out, "types.ts"), "utf8")).toEqual(types);
    } finally {
      await handle.close();
    }
  });

  it("runs a save that named a file not yet written again when the file appears", async () => {
    const dir = await tempDir();
    const spec = join(dir, "openapi.yaml");
    const document = parse(await readFile(join(ROOT, "test/fixtures/pets/spec.yaml"), "utf8"));
    await writeFile(spec, stringify(document));
    const { options, handle, next } = await watchInProcess(spec, dir);
    try {
      const failed = next(/file not found/);
      document.components.schemas.Tag = { $ref: "./schemas/Tag.yaml" };
      await writeFile(spec, stringify(document));
      expect(await failed).toContain("./schemas/Tag.yaml");
      // Its folder too is new: the nearest folder there is waits for it, then the folder for the file.
      const regenerated = next(/saved: regenerated/);
      await mkdir(join(dir, "schemas"));
      await writeFile(join(dir, "schemas/Tag.yaml"), "type: object\nproperties:\n  label: {type: string}\n");
      await regenerated;
      expect(await readFile(join(options.out, "schema.ts"), "utf8")).toContain("label?: string;");
    } finally {
      await handle.close();
    }
  });

  it("keeps watching a folder of the spec that was removed and made again", async () => {
    const dir = await tempDir();
    await cp(join(ROOT, "test/fixtures/real-world/multi-file"), join(dir, "api"), { recursive: true });
    const { options, handle, next } = await watchInProcess(join(dir, "api/openapi.yaml"), dir);
    try {
      const schemas = join(dir, "api/src/schemas");
      const copy = join(dir, "schemas-copy");
      await cp(schemas, copy, { recursive: true });
      // As `git checkout` or `rm -r && cp -r` do: the folder goes, and another of its name comes.
      await rm(schemas, { recursive: true });
      // The same files again: the output of before the removal.
      const back = next(/saved: output unchanged/);
      await cp(copy, schemas, { recursive: true });
      await back;
      const address = join(schemas, "Address.yaml");
      const edited = next(/saved: regenerated/);
      await writeFile(
        address,
        (await readFile(address, "utf8")).replace("city: {type: string}", "city: {type: integer}"),
      );
      await edited;
      expect(await readFile(join(options.out, "schema.ts"), "utf8")).toContain("city?: number;");
    } finally {
      await handle.close();
    }
  });
});
