import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll } from "vitest";
import { type GeneratedFiles, GeneratorWorkers, generate } from "../../scripts/generate.js";
import { writeGenerated } from "../../scripts/write-output.js";
import { ROOT } from "./cli.js";

export interface GeneratedProject {
  /** The output folder, importable from a test. */
  out: string;
  files: GeneratedFiles;
  /** What strict `tsc` printed over the output; empty when it type-checks (and when `typecheck` is off). */
  tscOutput: string;
}

export interface GeneratedProjectsOptions {
  /**
   * Every spec the file will ask for: the first request generates them all and
   * type-checks them with one `tsc`, which costs little more than one does
   * (most of a `tsc` run is loading the compiler and the standard library).
   */
  specs?: readonly string[];
  /** Run strict `tsc` over the output. @default true */
  typecheck?: boolean;
}

/**
 * Generates specs into folders inside the project (so the output resolves
 * openapi-fetch from node_modules) and type-checks them with the project's
 * strict settings. One pair of generator workers serves the whole file, as
 * `--watch` keeps one pair: each worker loads its libraries once. Folders are
 * removed, and the workers stopped, after the calling file's tests.
 */
export function useGeneratedProjects(
  options: GeneratedProjectsOptions = {},
): (spec: string) => Promise<GeneratedProject> {
  const { specs = [], typecheck = true } = options;
  const dirs: string[] = [];
  let workers: GeneratorWorkers | undefined;
  let batch: Promise<Map<string, GeneratedProject | Error>> | undefined;
  afterAll(async () => {
    workers?.stop();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  /** Generates each spec into its own folder of one temp project; a spec that fails to generate maps to its error. */
  async function generateAll(wanted: readonly string[]): Promise<Map<string, GeneratedProject | Error>> {
    workers ??= new GeneratorWorkers();
    const dir = await mkdtemp(join(ROOT, ".tmp-generated-"));
    dirs.push(dir);
    const projects = new Map<string, GeneratedProject | Error>();
    for (const [index, spec] of wanted.entries()) {
      const out = join(dir, `out-${index}`);
      await mkdir(out, { recursive: true });
      try {
        const files = await generate({ spec, out }, workers);
        await writeGenerated(out, files);
        projects.set(spec, { out, files, tscOutput: "" });
      } catch (error) {
        projects.set(spec, error as Error);
      }
    }
    if (!typecheck) return projects;
    await writeFile(
      join(dir, "tsconfig.json"),
      // Without unused names too, as a user's strictest project would check the output.
      JSON.stringify({
        extends: "../tsconfig.json",
        include: ["out-*/**/*"],
        compilerOptions: { types: [], noUnusedLocals: true, noUnusedParameters: true },
      }),
    );
    const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
    const printed = await promisify(execFile)(process.execPath, [tsc, "-p", dir], { cwd: ROOT }).then(
      () => "",
      (error: { stdout?: string }) => error.stdout || String(error),
    );
    for (const project of projects.values()) {
      if (!(project instanceof Error)) project.tscOutput = linesAbout(printed, relative(ROOT, project.out));
    }
    return projects;
  }

  return async (spec) => {
    if (!specs.includes(spec)) return found(await generateAll([spec]), spec);
    batch ??= generateAll(specs);
    return found(await batch, spec);
  };
}

function found(projects: Map<string, GeneratedProject | Error>, spec: string): GeneratedProject {
  const project = projects.get(spec);
  if (project instanceof Error || project === undefined) throw project ?? new Error(`${spec} was not generated`);
  return project;
}

/**
 * The part of tsc's output about files under `folder`: each diagnostic starts
 * a line with its file's path, and its continuation lines are indented.
 * Diagnostics without a file (a broken tsconfig) concern every folder.
 */
function linesAbout(printed: string, folder: string): string {
  const kept: string[] = [];
  let keeping = false;
  for (const line of printed.split("\n")) {
    if (line === "") continue;
    if (!/^\s/.test(line)) keeping = line.startsWith(`${folder}/`) || !/^\S+\(\d+,\d+\): /.test(line);
    if (keeping) kept.push(line);
  }
  return kept.length > 0 ? `${kept.join("\n")}\n` : "";
}
