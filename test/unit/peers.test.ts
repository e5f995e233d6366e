import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import {
  GENERATOR_PEERS,
  MissingPeersError,
  MOCK_PEERS,
  PEER_RANGES,
  requirePeers,
  satisfies,
} from "../../scripts/spec-reader/peers.js";
import { ROOT } from "../helpers/cli.js";

function thrownBy(run: () => void): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("requirePeers", () => {
  it("names every missing package, and only those, with the command that installs them", () => {
    const error = thrownBy(() =>
      requirePeers("the thing", ["js-yaml", "no-such-package-a", "@no-such/package-b"], {
        "no-such-package-a": "^1.2.0",
      }),
    );
    expect(error).toBeInstanceOf(MissingPeersError);
    expect(error).toMatchObject({ feature: "the thing", packages: ["no-such-package-a", "@no-such/package-b"] });
    expect((error as Error).message).toBe(
      "the thing needs packages that are not installed: no-such-package-a, @no-such/package-b. " +
        "Install them with: npm install --save-dev no-such-package-a@^1.2.0 @no-such/package-b",
    );
  });

  it("refuses a peer at a version outside its range, naming the version found and the one needed", () => {
    const error = thrownBy(() =>
      requirePeers("`generate`", ["typescript", "js-yaml"], { typescript: "^5.9.0", "js-yaml": "^5.0.0" }),
    );
    expect(error).toMatchObject({
      packages: ["js-yaml"],
      unsuitable: [{ name: "js-yaml", range: "^5.0.0", installed: expect.stringMatching(/^4\./) }],
    });
    expect((error as Error).message).toMatch(
      /^`generate` needs js-yaml \^5\.0\.0 \(4\.\d+\.\d+ is installed\)\. Install them with: npm install --save-dev js-yaml@\^5\.0\.0$/,
    );
  });

  it("prints the package's own peer ranges, quoted where a shell would split them", () => {
    const error = thrownBy(() => requirePeers("x", ["react"], { react: "^99.0.0 || ^100.0.0" }));
    expect((error as Error).message).toContain("npm install --save-dev 'react@^99.0.0 || ^100.0.0'");
    const generator = new MissingPeersError("`generate`", GENERATOR_PEERS);
    expect(generator.message).toContain(
      "npm install --save-dev openapi-typescript@^7.13.0 ts-morph@^28.0.0 typescript@^5.9.0 js-yaml@^4.1.0",
    );
  });

  it("passes when everything is installed in range, even a package whose exports hide package.json", () => {
    expect(() => requirePeers("the generator", GENERATOR_PEERS)).not.toThrow();
    expect(() => requirePeers("the mock", MOCK_PEERS)).not.toThrow();
    // code-block-writer (a ts-morph dependency) exports no ./package.json: its version cannot be read.
    expect(() => requirePeers("ts-morph", ["code-block-writer"], { "code-block-writer": "^1.0.0" })).not.toThrow();
  });

  it("reads every range from package.json's peerDependencies, and understands each", async () => {
    const { peerDependencies } = JSON.parse(await readFile(`${ROOT}/package.json`, "utf8"));
    expect(PEER_RANGES).toEqual(peerDependencies);
    for (const name of [...GENERATOR_PEERS, ...MOCK_PEERS]) expect(PEER_RANGES[name], name).toBeDefined();
    for (const range of Object.values(PEER_RANGES)) expect(() => satisfies("1.0.0", range)).not.toThrow();
  });
});

describe("satisfies (npm's caret ranges)", () => {
  it.each([
    ["5.9.3", "^5.9.0", true],
    ["5.9.0", "^5.9", true],
    ["5.10.0", "^5.9.0", true],
    ["5.8.9", "^5.9.0", false],
    ["7.0.2", "^5.9.0", false],
    ["6.0.0", "^5.9.0", false],
    ["12.2.1", "^12.2.2", false],
    ["19.3.1", "^18.0.0 || ^19.0.0", true],
    ["17.0.2", "^18.0.0 || ^19.0.0", false],
    ["0.3.5", "^0.3.2", true],
    ["0.4.0", "^0.3.2", false],
    ["5.9.0-beta", "^5.9.0", false],
    ["not-a-version", "^5.9.0", false],
  ])("%s in %s: %s", (version, range, expected) => {
    expect(satisfies(version, range)).toBe(expected);
  });

  it("refuses a kind of range it does not understand rather than passing every version", () => {
    expect(() => satisfies("1.0.0", ">=1 <2")).toThrow('unsupported peer version range ">=1 <2"');
  });
});
