import { describeViolation } from "../../mock/exchange.js";
import { checkExchanges } from "../../mock/exchange-check.js";
import { httpOperations } from "../../mock/prism-operations.js";
import { readRecording } from "../../mock/recording.js";
import { loadSpec } from "../spec-reader/load-spec.js";

export interface LiveReport {
  /** How many exchanges the recording holds. */
  exchanges: number;
  /** One line per difference: `devrev.jsonl:3 POST /auth-tokens.create -> 201: response body: ...`. */
  differences: string[];
}

/**
 * `npm run conformance -- --live FILE`: where the real API's answers in a
 * recording (`mock --proxy URL --record FILE`) differ from the spec as it is
 * now, found by the same Prism validators as the proxy's, so a user with an
 * AAT can send the file as evidence. Requests the spec rejects are listed
 * too: DevRev accepting one is a difference as well.
 */
export async function checkLiveRecording(options: { recording: string; spec: string }): Promise<LiveReport> {
  const operations = await httpOperations((await loadSpec(options.spec)).document as object);
  const lines = await readRecording(options.recording);
  const differences = [];
  for (const { line, exchange, violations } of await checkExchanges(operations, lines)) {
    const title = `${exchange.request.method} ${exchange.request.path} -> ${exchange.response.status}`;
    for (const violation of violations) {
      differences.push(`${options.recording}:${line} ${title}: ${describeViolation(violation)}`);
    }
  }
  return { exchanges: lines.length, differences };
}

/** The `--live` command: prints one line per difference and returns the exit code (0 none, 1 some, 2 bad input). */
export async function liveConformanceCli(recording: string, spec: string): Promise<number> {
  try {
    const report = await checkLiveRecording({ recording, spec });
    if (report.exchanges === 0)
      throw new Error(`${recording} holds no exchange: record one with mock --proxy --record`);
    for (const line of report.differences) process.stderr.write(`live difference: ${line}\n`);
    if (report.differences.length === 0) {
      process.stdout.write(`conformance: all ${report.exchanges} recorded exchanges in ${recording} match the spec\n`);
    }
    return report.differences.length === 0 ? 0 : 1;
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    return 2;
  }
}
