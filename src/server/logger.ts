import { DEFAULTS } from "./defaults.js";
import { ConfigurationError } from "./errors.js";
import { createRedactor } from "./redact.js";

/** Where log lines go: `console`, or anything shaped like it (pino, winston, a test's collector). */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** The least severe level written; `off` writes nothing. */
export type LogLevel = "debug" | "info" | "warn" | "error" | "off";

/** The options the client and the handler share. */
export interface LogOptions {
  /** Receives every line, each already free of the access token. @default console */
  logger?: Logger;
  /**
   * The least severe level written. Where the runtime has `process.env`, the
   * `DEVREV_PLUG_LOG` variable sets it when this option is absent.
   * @default "warn"
   */
  logLevel?: LogLevel;
}

/** Writes lines at or above its level, each passed through the redactor. */
export interface Log {
  /** Whether a line at `level` would be written: skip building lines nobody reads. */
  enabled(level: Exclude<LogLevel, "off">): boolean;
  write(level: Exclude<LogLevel, "off">, message: string): void;
}

const SEVERITY: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, off: 4 };
const ENV_VARIABLE = "DEVREV_PLUG_LOG";
const PREFIX = "[devrev-plug-session]";
/** A line's length past which it is cut: a ValidationError can list a hundred fields. */
const MAX_LINE_CHARS = 1_000;

/**
 * The log of a client or handler: `logLevel`, else `DEVREV_PLUG_LOG`, else
 * the default. `secrets` is read per line, as a handler learns its client's
 * token only on the first request.
 */
export function createLog(options: LogOptions, where: string, secrets: () => readonly string[]): Log {
  const { logger = console, logLevel } = options;
  if (logLevel !== undefined && !isLevel(logLevel)) {
    throw new ConfigurationError(`${where}: \`logLevel\` must be one of ${Object.keys(SEVERITY).join(", ")}`);
  }
  for (const method of ["debug", "info", "warn", "error"] as const) {
    if (typeof logger?.[method] !== "function") {
      throw new ConfigurationError(
        `${where}: \`logger\` must have debug, info, warn and error methods, as console has`,
      );
    }
  }
  const fromEnvironment = environmentLevel();
  const threshold = SEVERITY[logLevel ?? (isLevel(fromEnvironment) ? fromEnvironment : DEFAULTS.logLevel)];
  let redactorFor: readonly string[] | undefined;
  let clean = (text: string) => text;
  const log: Log = {
    enabled: (level) => SEVERITY[level] >= threshold,
    write(level, message) {
      if (SEVERITY[level] < threshold) return;
      const current = secrets();
      if (current !== redactorFor) {
        redactorFor = current;
        clean = createRedactor(current);
      }
      // One line, bounded, cut only after the redactor has seen it all.
      let line = clean(`${PREFIX} ${message}`).replace(/\s*[\r\n]+\s*/g, " ");
      if (line.length > MAX_LINE_CHARS) line = `${line.slice(0, MAX_LINE_CHARS - 1)}…`;
      // A logger that throws must not turn a logged failure into another one.
      try {
        logger[level](line);
      } catch {}
    },
  };
  if (logLevel === undefined && fromEnvironment !== undefined && !isLevel(fromEnvironment)) {
    log.write("warn", `${ENV_VARIABLE} is not one of debug, info, warn, error, off; logging at ${DEFAULTS.logLevel}`);
  }
  return log;
}

function isLevel(value: unknown): value is LogLevel {
  return typeof value === "string" && Object.hasOwn(SEVERITY, value);
}

/**
 * `DEVREV_PLUG_LOG`, lower-cased, where there is a `process.env` to read it
 * from (not on workerd; Deno without `--allow-env` throws); empty is unset.
 */
function environmentLevel(): string | undefined {
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    return env?.[ENV_VARIABLE]?.trim().toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}
