// The generated output, described once: every file the generator can write, which pass writes
// it, whether the index re-exports it, and in what order. The passes, the index, the golden
// test and any other list of the output read this table rather than spelling the names.
import type { SpecModel } from "./spec-model.js";

/** Who writes a file: openapi-typescript on the main thread, a worker's pass, or `generate` itself. */
export type Producer = "openapi-typescript" | "morph pass" | "ajv pass" | "generate";

/** How the output's `index.ts` re-exports a module: its types only, everything, or not at all. */
export type Exported = "types" | "all" | "internal";

/** Every file the generator can write, in index order: a module before the modules that use it. */
export const OUTPUT_FILES = [
  // The spec's `paths`, `components` and `operations` types.
  { name: "schema.ts", producer: "openapi-typescript", exported: "types" },
  // A name per component schema.
  { name: "types.ts", producer: "morph pass", exported: "all" },
  // An object of values and a type per string enum.
  { name: "constants.ts", producer: "morph pass", exported: "all" },
  // The validators' runtime, copied from scripts/runtime/.
  { name: "validation.ts", producer: "morph pass", exported: "internal" },
  // Ajv's standalone code for every schema, and its declarations.
  { name: "ajv-validators.js", producer: "ajv pass", exported: "internal" },
  { name: "ajv-validators.d.ts", producer: "morph pass", exported: "internal" },
  // A typed validateX and an isX guard per schema, around Ajv's code.
  { name: "validators.ts", producer: "morph pass", exported: "all" },
  // The operations' runtime, copied from scripts/runtime/, and a function per operation.
  { name: "operation.ts", producer: "morph pass", exported: "internal" },
  { name: "operations.ts", producer: "morph pass", exported: "all" },
  // The re-exports of the public modules above.
  { name: "index.ts", producer: "generate", exported: "internal" },
] as const satisfies readonly { name: string; producer: Producer; exported: Exported }[];

/** The name of a file the generator can write. */
export type OutputName = (typeof OUTPUT_FILES)[number]["name"];

/** The files one transform contributes, name -> text; a file it has nothing for is left out. */
export type OutputModules = Partial<Record<OutputName, string>>;

/** A transform: the files it builds from the spec. Every one in `scripts/transforms/` has this shape. */
export type Transform = (model: SpecModel) => OutputModules;

/**
 * Runs a pass's transforms in order (the order in which they claim names) and returns their
 * files as entries, which a worker can post. Refuses a file the table does not give this pass.
 */
export function runTransforms(producer: Producer, model: SpecModel, transforms: Transform[]): [string, string][] {
  const files: [string, string][] = [];
  for (const transform of transforms) {
    for (const [name, text] of Object.entries(transform(model))) {
      if (producerOf(name) !== producer) throw new Error(`the ${producer} has no file named ${name}`);
      if (text !== undefined) files.push([name, text]);
    }
  }
  return files;
}

function producerOf(name: string): Producer | undefined {
  return OUTPUT_FILES.find((file) => file.name === name)?.producer;
}

/**
 * The whole output from the passes' files (each given its banner) in the table's order, with
 * the index that re-exports the public ones. Refuses a file the table does not list.
 */
export function layOut(files: Iterable<[string, string]>, banner: string): Map<string, string> {
  const byName = new Map(files);
  for (const name of byName.keys()) {
    if (producerOf(name) === undefined) throw new Error(`no output file is named ${name}`);
  }
  const output = new Map<string, string>();
  const index: string[] = [];
  for (const { name, exported } of OUTPUT_FILES) {
    const text = name === "index.ts" ? `${index.join("\n")}\n` : byName.get(name);
    if (text === undefined) continue;
    output.set(name, banner + text);
    const from = `"./${name.replace(/\.ts$/, ".js")}"`;
    if (exported === "types") index.push(`export type * from ${from};`);
    if (exported === "all") index.push(`export * from ${from};`);
  }
  return output;
}
