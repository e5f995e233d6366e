import { type ParseArgsConfig, parseArgs } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;

const HELP = { help: { type: "boolean", default: false } } as const;

/**
 * The flags of one command, or the exit code to end with: 0 after printing
 * the usage for `--help`, 2 after printing a usage error. Every command line
 * in the project goes through here, so they fail alike and all take `--help`.
 */
export function parseCommand<const O extends Options>(
  argv: string[],
  options: O,
  usage: string,
): ReturnType<typeof parseArgs<{ args: string[]; options: O & typeof HELP; strict: true }>>["values"] | 0 | 2 {
  try {
    const { values } = parseArgs({ args: argv, options: { ...options, ...HELP }, strict: true });
    if ((values as { help?: boolean }).help) {
      process.stdout.write(`${usage}\n`);
      return 0;
    }
    return values as never;
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n\n${usage}\n`);
    return 2;
  }
}

/** A port number from a flag's text, or undefined after printing why it is not one. */
export function parsePort(text: string, flag: string): number | undefined {
  const port = Number(text);
  if (Number.isInteger(port) && port >= 0 && port <= 65535 && text.trim() !== "") return port;
  process.stderr.write(`error: ${flag} must be a whole number from 0 to 65535, not "${text}"\n`);
  return undefined;
}

/**
 * Resolves on Ctrl-C or SIGTERM, for a clean shutdown; a second one exits at
 * once. Call it before starting: a signal that arrives before the listener
 * would kill the process mid-start, and one during the start is seen by
 * `unlessStopped`.
 */
export function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      process.once("SIGINT", exitNow);
      process.once("SIGTERM", exitNow);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

/**
 * What `starting` resolves to, unless a stop comes first: then the process
 * exits at once, without waiting for a start that may take long (a large spec).
 */
export async function unlessStopped<T>(starting: Promise<T>, stopped: Promise<void>): Promise<T> {
  let settled = false;
  void stopped.then(() => {
    if (!settled) exitNow();
  });
  try {
    return await starting;
  } finally {
    settled = true;
  }
}

/** 130 is what a shell reports for a process ended by Ctrl-C. */
function exitNow(): never {
  process.exit(130);
}
