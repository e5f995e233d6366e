// `npm run conformance -- --upstream FILE`: compares the spec with DevRev's.
import { fileURLToPath } from "node:url";
import { checkConformance, reportLines } from "../../scripts/repo/conformance.js";
import { parseCommand } from "./command-line.js";

const USAGE = `Usage: npm run conformance -- --upstream FILE [--spec FILE] [--conformance FILE]
       npm run conformance -- --live RECORDING [--spec FILE]

Compares POST /auth-tokens.create in the spec with DevRev's public OpenAPI
document (FILE), and fails on any difference spec/CONFORMANCE.md does not list
with its reason, on a listed difference where DevRev now says something other
than the row records, or on a listed difference that no longer exists. Run it on a
fresh copy of DevRev's spec before regenerating to learn what DevRev changed.

With --live, checks a recording made by \`mock --proxy URL --record RECORDING\`
instead: one line per place where the real API's answers (or the requests it
accepted) differ from the spec.

Exit codes: 0 every difference is listed as it is, 1 some are not (or rows are stale), 2 bad usage or input.`;

const DEFAULT_SPEC = fileURLToPath(new URL("../../spec/auth-tokens.openapi.yaml", import.meta.url));
const DEFAULT_TABLE = fileURLToPath(new URL("../../spec/CONFORMANCE.md", import.meta.url));

const values = parseCommand(
  process.argv.slice(2),
  { upstream: { type: "string" }, spec: { type: "string" }, conformance: { type: "string" }, live: { type: "string" } },
  USAGE,
);
if (typeof values === "number") process.exit(values);
if (values.live !== undefined) {
  const { liveConformanceCli } = await import("../../scripts/repo/live-conformance.js");
  process.exit(await liveConformanceCli(values.live, values.spec ?? DEFAULT_SPEC));
}
if (!values.upstream) {
  process.stderr.write(`error: pass --upstream FILE, DevRev's public OpenAPI document\n\n${USAGE}\n`);
  process.exit(2);
}
try {
  const report = await checkConformance({
    spec: values.spec ?? DEFAULT_SPEC,
    upstream: values.upstream,
    conformance: values.conformance ?? DEFAULT_TABLE,
  });
  const lines = reportLines(report);
  for (const line of lines) process.stderr.write(`${line}\n`);
  const failed = lines.length;
  process.stdout.write(
    failed === 0
      ? `conformance: all ${report.all.length} differences from DevRev's spec are listed with their reasons\n`
      : "",
  );
  process.exitCode = failed === 0 ? 0 : 1;
} catch (error) {
  process.stderr.write(`error: ${(error as Error).message}\n`);
  process.exitCode = 2;
}
