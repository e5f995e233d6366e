import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it, vi } from "vitest";
import { GeneratorWorkers, schemaSourceFor } from "../../scripts/generate.js";
import { morphPass } from "../../scripts/morph-pass.js";
import { loadSpec } from "../../scripts/spec-reader/load-spec.js";
import { ROOT } from "../helpers/cli.js";

const FIXTURES = join(ROOT, "test/fixtures");

describe("GeneratorWorkers", () => {
  const workers = new GeneratorWorkers();
  afterAll(() => workers.stop());

  it("sends each idle worker its document before returning, so they run while this thread writes schema.ts", async () => {
    const { document } = await loadSpec(join(FIXTURES, "pets/spec.yaml"));
    const post = vi.spyOn(Worker.prototype, "postMessage");
    try {
      const first = workers.run(document);
      // Synchronously: no promise callback has run yet.
      expect(post).toHaveBeenCalledTimes(2);
      // A run while both are busy waits for their answers, then is sent.
      const second = workers.run(document);
      expect(post).toHaveBeenCalledTimes(2);
      await first;
      await second;
      expect(post).toHaveBeenCalledTimes(4);
    } finally {
      post.mockRestore();
    }
  });

  it("answers a document with the last keyed run's ts-morph modules when its key is that run's, and runs the pass for a new key", async () => {
    const { document: pets } = await loadSpec(join(FIXTURES, "pets/spec.yaml"));
    const { document: other } = await loadSpec(join(FIXTURES, "discriminators/spec.yaml"));
    const first = await workers.run(pets, { typesKey: "k1" });
    // Another document under the same key: the key, not the document, decides.
    const reused = await workers.run(other, { typesKey: "k1" });
    expect(reused.files.filter(([name]) => name !== "ajv-validators.js")).toEqual(
      first.files.filter(([name]) => name !== "ajv-validators.js"),
    );
    const fresh = await workers.run(other, { typesKey: "k2" });
    expect(fresh.files.find(([name]) => name === "types.ts")).toEqual(
      morphPass(structuredClone(other)).find(([name]) => name === "types.ts"),
    );
    expect(fresh.files).not.toEqual(first.files);
  });

  it("writes schema.ts again only for a new key", () => {
    const written: string[] = [];
    const write = (text: string) => () => {
      written.push(text);
      return text;
    };
    expect(schemaSourceFor(workers, "a", write("one"))).toBe("one");
    expect(schemaSourceFor(workers, "a", write("two"))).toBe("one");
    expect(schemaSourceFor(workers, "b", write("three"))).toBe("three");
    expect(schemaSourceFor(workers, undefined, write("four"))).toBe("four");
    expect(schemaSourceFor(workers, "b", write("five"))).toBe("five");
    expect(written).toEqual(["one", "three", "four", "five"]);
    // Kept per pair of workers.
    const others = new GeneratorWorkers();
    others.stop();
    expect(schemaSourceFor(others, "b", write("six"))).toBe("six");
  });
});

describe("GeneratorWorkers after a worker has exited", () => {
  it("fails every later run at once with how the worker ended, instead of waiting for an answer", async () => {
    const { document } = await loadSpec(join(FIXTURES, "pets/spec.yaml"));
    const workers = new GeneratorWorkers();
    expect((await workers.run(document)).files.length).toBeGreaterThan(0);
    // As a worker that ran out of memory would.
    workers.stop();
    await expect(workers.run(document)).rejects.toThrow(/worker exited with code/);
    // A thread that has exited exits no more: this run would otherwise wait forever.
    await expect(workers.run(document)).rejects.toThrow(/worker exited with code/);
  });
});
