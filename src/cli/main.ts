#!/usr/bin/env node
// The package's command line: `devrev-plug-session <command>`.
import { GENERATOR_PEERS, MissingPeersError, MOCK_PEERS, requirePeers } from "../../scripts/spec-reader/peers.js";
import { VERSION } from "../server/defaults.js";

const USAGE = `Usage: devrev-plug-session <command> [options]

Commands:
  generate   TypeScript types, constants, guards and operation functions from an OpenAPI spec
  mock       a Prism mock of DevRev's auth-tokens API with a fake PLuG SDK
  token      mint a PLuG session token (real DevRev with DEVREV_AAT, or --mock)

Run \`devrev-plug-session <command> --help\` for a command's options.
Exit codes: 0 success, 1 the operation failed, 2 bad input or usage.`;

// Each command loads only what it needs: the generator and the mock rest on optional peer dependencies.
const COMMANDS: Record<string, { load: () => Promise<(argv: string[]) => Promise<number>>; peers: string[] }> = {
  generate: { load: async () => (await import("./generate.js")).generateCli, peers: GENERATOR_PEERS },
  mock: { load: async () => (await import("./mock.js")).mockCli, peers: MOCK_PEERS },
  // `token --mock` checks the mock's peers itself.
  token: { load: async () => (await import("./token.js")).tokenCli, peers: [] },
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "--version" || command === "-v") {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command === undefined) {
    process.stderr.write(`error: name a command\n\n${USAGE}\n`);
    return 2;
  }
  const entry = COMMANDS[command];
  if (!entry) {
    process.stderr.write(`error: unknown command "${command}"\n\n${USAGE}\n`);
    return 2;
  }
  try {
    // A command's help needs none of its peers; its module loads them only when used.
    if (!rest.includes("--help")) requirePeers(`\`${command}\``, entry.peers);
    return await (await entry.load())(rest);
  } catch (error) {
    if (!(error instanceof MissingPeersError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    return 2;
  }
}

// A reader that stops early (`| head`) closes the pipe: end quietly, as other
// command-line tools do, instead of crashing on the next write with a stack.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await main(process.argv.slice(2));
