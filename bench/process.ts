import { spawn } from "node:child_process";
import { type AddressInfo, createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Wall-clock milliseconds for a whole process, from spawn to exit; throws on a non-zero exit. */
export function timeProcess(args: string[], cwd = ROOT): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c) => (stderr += c));
    child.on("exit", (code) =>
      code === 0
        ? resolve(performance.now() - started)
        : reject(new Error(`${args.join(" ")} exited ${code}: ${stderr}`)),
    );
  });
}

/** Starts a server process and resolves with the time until `ready(url)` first succeeds, and a stop function. */
export async function timeServerStart(
  args: string[],
  port: number,
  ready: (base: string) => Promise<boolean>,
): Promise<{ ms: number; stop: () => Promise<void> }> {
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
