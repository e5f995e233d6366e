import { createRequire } from "node:module";

// The optional peer dependencies each part of the package loads, in one place.
// The server and browser entries need none. The versions each one needs are
// the package's own `peerDependencies`, read from its package.json.

/** What `generate` (command and `devrev-plug-session/generator`) loads. */
export const GENERATOR_PEERS = ["openapi-typescript", "ts-morph", "typescript", "js-yaml"];
/** What reading a spec loads (the generator and the mock both do). */
export const SPEC_READER_PEERS = ["js-yaml"];
/** What `mock` (command, `token --mock` and `devrev-plug-session/mock`) loads. */
export const MOCK_PEERS = ["@stoplight/prism-core", "@stoplight/prism-http", "@stoplight/prism-http-server", "js-yaml"];

/** A peer that is installed, but at a version outside the range the package needs. */
export interface UnsuitablePeer {
  name: string;
  range: string;
  installed: string;
}

/**
 * Some optional peer dependencies are not installed, or not at a version this
 * package works with: `packages` names every one, and the message gives the
 * `npm install` line, with version ranges, that fixes all of them.
 */
export class MissingPeersError extends Error {
  override name = "MissingPeersError";

  constructor(
    readonly feature: string,
    /** Every package to install: the missing ones, then the unsuitable ones. */
    readonly packages: readonly string[],
    /** The installed packages among them, with the version found and the range needed. */
    readonly unsuitable: readonly UnsuitablePeer[] = [],
    ranges: Readonly<Record<string, string>> = PEER_RANGES,
  ) {
    const missing = packages.filter((name) => !unsuitable.some((peer) => peer.name === name));
    const problems = [
      ...(missing.length > 0 ? [`packages that are not installed: ${missing.join(", ")}`] : []),
      ...unsuitable.map(({ name, range, installed }) => `${name} ${range} (${installed} is installed)`),
    ];
    super(
      `${feature} needs ${problems.join("; and ")}. ` +
        `Install them with: npm install --save-dev ${packages.map((name) => installSpec(name, ranges[name])).join(" ")}`,
    );
  }
}

const require = createRequire(import.meta.url);

/**
 * The version ranges of the package's optional peers, from its own
 * package.json (found by its name, which resolves to itself from its own
 * files, in this repo and installed alike).
 */
export const PEER_RANGES: Readonly<Record<string, string>> = (
  require("devrev-plug-session/package.json") as { peerDependencies: Record<string, string> }
).peerDependencies;

/**
 * Throws a MissingPeersError naming every package of `peers` that cannot be
 * found from this package, or whose version is outside its range in
 * `ranges`, before anything tries to load one, so each entry and command
 * reports them the same way instead of Node's first ERR_MODULE_NOT_FOUND or
 * a crash deep inside an incompatible major version.
 */
export function requirePeers(
  feature: string,
  peers: readonly string[],
  ranges: Readonly<Record<string, string>> = PEER_RANGES,
): void {
  const missing: string[] = [];
  const unsuitable: UnsuitablePeer[] = [];
  for (const name of peers) {
    const installed = installedVersion(name);
    const range = ranges[name];
    if (installed === undefined) missing.push(name);
    else if (range !== undefined && installed !== "" && !satisfies(installed, range)) {
      unsuitable.push({ name, range, installed });
    }
  }
  if (missing.length + unsuitable.length > 0) {
    throw new MissingPeersError(feature, [...missing, ...unsuitable.map((peer) => peer.name)], unsuitable, ranges);
  }
}

/** The installed version of `name`; "" when its exports hide package.json; undefined when it is not installed. */
function installedVersion(name: string): string | undefined {
  try {
    return (require(`${name}/package.json`) as { version?: string }).version ?? "";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ERR_PACKAGE_PATH_NOT_EXPORTED" ? "" : undefined;
  }
}

/**
 * Whether `version` is in `range`, for the ranges peerDependencies use here:
 * caret ranges (`^5.9.0`, `^5.9`) joined by `||`. Anything else throws, so a
 * new kind of range in package.json fails the peers test instead of passing
 * every version.
 */
export function satisfies(version: string, range: string): boolean {
  // Prereleases are outside every range, as npm reads ranges without a prerelease of their own.
  const have = /^(\d+)\.(\d+)\.(\d+)(?:\+.*)?$/.exec(version)?.slice(1).map(Number);
  if (!have) return false;
  return range.split("||").some((alternative) => {
    const want = /^\s*\^(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(alternative)?.slice(1);
    if (!want) throw new Error(`unsupported peer version range "${range}"`);
    const [major, minor, patch] = want.map((part) => Number(part ?? 0)) as [number, number, number];
    const [haveMajor, haveMinor, havePatch] = have as [number, number, number];
    // ^1.2.3 allows 1.x from 1.2.3; ^0.2.3 allows 0.2.x from 0.2.3 (npm's caret).
    if (haveMajor !== major || (major === 0 && haveMinor !== minor)) return false;
    return haveMinor > minor || (haveMinor === minor && havePatch >= patch);
  });
}

/** `name@range`, quoted where a shell would split or redirect it. */
function installSpec(name: string, range: string | undefined): string {
  if (range === undefined) return name;
  const spec = `${name}@${range}`;
  return /^[\w@/.^~-]+$/.test(spec) ? spec : `'${spec}'`;
}

/** A CommonJS-loadable peer, loaded on first use once `requirePeers` has vouched for it. */
export function loadPeer<T>(name: string): T {
  return require(name) as T;
}
