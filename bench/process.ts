import { execFileSync, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

const CPU_AT_EXIT = fileURLToPath(new URL("./cpu-at-exit.mjs", import.meta.url));

/**
 * `timeProcess`, with the CPU time the process used, every thread's, in milliseconds (see
 * cpu-at-exit.mjs): three threads on two cores take about the wall clock of the longest and the
 * CPU of all three, and a machine with more cores pays only the first.
 */
async function timeProcessCpu(args: string[], cwd = ROOT): Promise<{ ms: number; cpuMs: number }> {
  const folder = await mkdtemp(join(tmpdir(), "bench-cpu-"));
  try {
    const file = join(folder, "cpu");
    const ms = await timeProcess(["--import", pathToFileURL(CPU_AT_EXIT).href, ...args], cwd, { BENCH_CPU_FILE: file });
    return { ms, cpuMs: Number(await readFile(file, "utf8")) };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** A process's wall clock, its CPU time pushed onto `cpu` (see timeProcessCpu): for `interleaved`, which takes one number a run. */
export async function wallAndCpu(cpu: number[], args: string[], cwd?: string): Promise<number> {
  const { ms, cpuMs } = await timeProcessCpu(args, cwd);
  cpu.push(cpuMs);
  return ms;
}

/** Wall-clock milliseconds for a whole process, from spawn to exit; throws on a non-zero exit. */
export function timeProcess(args: string[], cwd = ROOT, env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      cwd,
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, ...env },
    });
    let stderr = "";
    child.stderr.on("data", (c) => (stderr += c));
    child.on("exit", (code) =>
      code === 0
        ? resolve(performance.now() - started)
        : reject(new Error(`${args.join(" ")} exited ${code}: ${stderr}`)),
    );
  });
}

/**
 * Starts a server process and resolves with the time until `ready(url)`
 * first succeeds, the CPU time it has used so far (every thread; Linux only,
 * else NaN) and a stop function.
 */
export async function timeServerStart(
  args: string[],
  port: number,
  ready: (base: string) => Promise<boolean>,
): Promise<{ ms: number; cpuMs: () => number; stop: () => Promise<void> }> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (c) => (stderr += c));
  const base = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${args.join(" ")} exited before answering: ${stderr}`);
    if (i > 12_000) throw new Error(`${args.join(" ")} never answered`);
    if (await ready(base).catch(() => false)) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const ms = performance.now() - started;
  return {
    ms,
    cpuMs: () => processCpuMs(child.pid),
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** A port the OS says is free right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Clock ticks per second, the unit of /proc's CPU times. */
let ticksPerSecond: number | undefined;

/**
 * The user and system CPU time a process and its live descendants have used,
 * in milliseconds (the Prism CLI answers from a cluster worker it forks). On
 * a shared machine a server's throughput follows the share of the cores it is
 * given; its CPU time per answer does not.
 */
function processCpuMs(pid: number | undefined): number {
  try {
    ticksPerSecond ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    let ticks = 0;
    for (const id of processTree(pid as number)) {
      const stat = readFileSync(`/proc/${id}/stat`, "utf8");
      // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are 14 and 15.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    }
    return (ticks * 1000) / ticksPerSecond;
  } catch {
    return Number.NaN;
  }
}

/** `pid` and every live descendant of it. */
function processTree(pid: number): number[] {
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const task of readdirSync(`/proc/${tree[i]}/task`)) {
      const children = readFileSync(`/proc/${tree[i]}/task/${task}/children`, "utf8").trim();
      if (children) tree.push(...children.split(" ").map(Number));
    }
  }
  return tree;
}
