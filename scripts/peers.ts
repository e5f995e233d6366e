import { createRequire } from "node:module";

// The optional peer dependencies each part of the package loads, in one place.
// The server and browser entries need none.

/** What `generate` (command and `devrev-plug-session/generator`) loads. */
export const GENERATOR_PEERS = ["openapi-typescript", "ts-morph", "typescript", "yaml", "js-yaml"];
/** What reading a spec loads (the generator and the mock both do). */
export const SPEC_READER_PEERS = ["yaml", "js-yaml"];
/** What `mock` (command, `token --mock` and `devrev-plug-session/mock`) loads. */
export const MOCK_PEERS = [
  "@stoplight/prism-core",
  "@stoplight/prism-http",
  "@stoplight/prism-http-server",
  "yaml",
  "js-yaml",
];

/** Some optional peer dependencies are not installed; `packages` names every one. */
export class MissingPeersError extends Error {
  override name = "MissingPeersError";

  constructor(
    readonly feature: string,
    readonly packages: readonly string[],
  ) {
    super(
      `${feature} needs packages that are not installed: ${packages.join(", ")}. ` +
        `Install them with: npm install --save-dev ${packages.join(" ")}`,
    );
  }
}

const require = createRequire(import.meta.url);

/**
 * Throws a MissingPeersError naming every package of `peers` that cannot be
 * found from this package, before anything tries to load one, so each entry
 * and command reports them the same way instead of Node's first
 * ERR_MODULE_NOT_FOUND.
 */
export function requirePeers(feature: string, peers: readonly string[]): void {
  const missing = peers.filter((name) => !isInstalled(name));
  if (missing.length > 0) throw new MissingPeersError(feature, missing);
}

function isInstalled(name: string): boolean {
  try {
    require.resolve(`${name}/package.json`);
    return true;
  } catch (error) {
    // The package is there, but its exports do not list package.json.
    return (error as NodeJS.ErrnoException).code === "ERR_PACKAGE_PATH_NOT_EXPORTED";
  }
}

/** A CommonJS-loadable peer, loaded on first use once `requirePeers` has vouched for it. */
export function loadPeer<T>(name: string): T {
  return require(name) as T;
}
