import { enableCompileCache } from "../../scripts/compile-cache.js";
import { GeneratorWorkers, generate, regenerateCommand } from "../../scripts/generate.js";
import { missingRuntimeWarning } from "../../scripts/output-dependencies.js";
import { GenerateError } from "../../scripts/spec-reader/generate-error.js";
import { DEFAULT_SPEC } from "../../scripts/spec-reader/load-spec.js";
import { watchSpec } from "../../scripts/watch.js";
import { compareOutput, writeGenerated } from "../../scripts/write-output.js";
import { parseCommand, untilStopped } from "./command-line.js";

const USAGE = `Usage: devrev-plug-session generate [--spec FILE] [--out DIR] [--check | --watch] [--no-cache] [--verbose]

Generates TypeScript types, constants, guards and operation functions from an
OpenAPI 3.0/3.1 document.

  --spec FILE   the OpenAPI document (default: DevRev's auth-tokens spec, shipped with this package)
  --out DIR     the output folder, replaced as a whole (default: generated)
  --check       write nothing; exit 1 and name the stale files if DIR is out of date
  --watch       regenerate on every save of FILE
  --no-cache    compile everything again: read and keep no output in node_modules/.cache/devrev-plug-session
  --verbose     print stack traces with errors
  --help        show this text

Exit codes: 0 success, 1 stale output (--check), 2 bad input or usage.`;

function describe(error: unknown, verbose: boolean): string {
  if (verbose && error instanceof Error) return error.stack ?? error.message;
  if (error instanceof GenerateError) return `error: ${error.message}`;
  return `error: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * The `generate` command: returns the exit code (0 done, 1 stale with --check, 2 bad input or usage).
 * `command` is how the output's banner and `--check` say to regenerate; by default the package's command.
 */
export async function generateCli(argv: string[], command?: string): Promise<number> {
  // Before openapi-typescript and the TypeScript compiler load, on this thread.
  enableCompileCache();
  const values = parseCommand(
    argv,
    {
      spec: { type: "string", default: DEFAULT_SPEC },
      out: { type: "string", default: "generated" },
      check: { type: "boolean", default: false },
      watch: { type: "boolean", default: false },
      "no-cache": { type: "boolean", default: false },
      verbose: { type: "boolean", default: false },
    },
    USAGE,
  );
  if (typeof values === "number") return values;
  if (values.check && values.watch) {
    process.stderr.write(`error: --check and --watch cannot be combined\n\n${USAGE}\n`);
    return 2;
  }
  const options = {
    spec: values.spec,
    out: values.out,
    command: command ?? regenerateCommand(values),
    ...(values["no-cache"] && { cache: false as const }),
  };
  const verbose = values.verbose;

  // One pair of workers for the first generation and every save after it (see watchSpec).
  const workers = values.watch ? new GeneratorWorkers() : undefined;
  try {
    const started = performance.now();
    const files = await generate(options, workers);
    if (values.check) {
      const { stale, hashOnly } = await compareOutput(options.out, files);
      if (stale.length > 0 || hashOnly.length > 0) {
        // Every banner records the spec's hash: name the files that say something else, not every file.
        const what =
          stale.length === 0
            ? "only the banners' spec hash differs"
            : `stale: ${stale.join(", ")}${hashOnly.length > 0 ? " (the other files differ only in their banner's spec hash)" : ""}`;
        process.stderr.write(
          `${options.out}/ is out of date with ${options.spec}; ${what}\nRun \`${options.command}\` and commit the result.\n`,
        );
        return 1;
      }
      process.stdout.write(`${options.out}/ is up to date with ${options.spec}\n`);
      return 0;
    }
    await writeGenerated(options.out, files);
    const ms = Math.round(performance.now() - started);
    process.stdout.write(`generated ${files.size} files in ${options.out}/ from ${options.spec} in ${ms} ms\n`);
    const warning = missingRuntimeWarning(options.out, files);
    if (warning) process.stderr.write(`${warning}\n`);
  } catch (error) {
    process.stderr.write(`${describe(error, verbose)}\n`);
    if (!values.watch) return 2;
  }

  if (values.watch) {
    const stopped = untilStopped();
    const watcher = watchSpec(
      options,
      (line) => process.stdout.write(`${line}\n`),
      (error) => describe(error, verbose),
      workers,
    );
    await watcher.ready;
    process.stdout.write(`watching ${options.spec} (Ctrl-C to stop)\n`);
    await stopped;
    // A save in progress finishes writing before the process ends.
    await watcher.close();
  }
  return 0;
}
