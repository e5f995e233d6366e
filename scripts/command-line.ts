import { type ParseArgsConfig, parseArgs } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * The flags of one command, or undefined after printing the usage error and
 * the usage text (the caller exits with 2). Shared by every command line in
 * the project so they fail alike.
 */
export function parseCommand<const O extends Options>(
  argv: string[],
  options: O,
  usage: string,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true }>>["values"] | undefined {
  try {
    return parseArgs({ args: argv, options, strict: true }).values;
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n\n${usage}\n`);
    return undefined;
  }
}

/**
 * Resolves on Ctrl-C or SIGTERM. Call it before announcing readiness: a
 * signal that arrives before the listener would kill the process mid-start.
 */
export function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
}
