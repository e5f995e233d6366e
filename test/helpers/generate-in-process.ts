import { vi } from "vitest";
import { generateCli } from "../../src/cli/generate.js";
import type { CliResult } from "./cli.js";

/**
 * The generator's command run in this test's process, as `npm run generate`: its exit code
 * and what it wrote. For cases about the command's messages and exit codes, where a process
 * each (Node, the TypeScript loader, the compiler, two workers) costs far more than the case;
 * `runGenerator` keeps testing the process itself. One call at a time: it captures this
 * process's stdout and stderr while it runs.
 */
export async function generateInProcess(args: string[]): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const capture = (write: (text: string) => void) => (chunk: string | Uint8Array) => {
    write(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString());
    return true;
  };
  const out = vi.spyOn(process.stdout, "write").mockImplementation(capture((text) => (stdout += text)) as never);
  const err = vi.spyOn(process.stderr, "write").mockImplementation(capture((text) => (stderr += text)) as never);
  try {
    const code = await generateCli(args, "npm run generate");
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
