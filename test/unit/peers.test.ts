import { describe, expect, it } from "vitest";
import { MissingPeersError, requirePeers } from "../../scripts/peers.js";

describe("requirePeers", () => {
  it("names every missing package, and only those, with the command that installs them", () => {
    const error = (() => {
      try {
        requirePeers("the thing", ["yaml", "no-such-package-a", "@no-such/package-b"]);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(MissingPeersError);
    expect(error).toMatchObject({ feature: "the thing", packages: ["no-such-package-a", "@no-such/package-b"] });
    expect((error as Error).message).toBe(
      "the thing needs packages that are not installed: no-such-package-a, @no-such/package-b. " +
        "Install them with: npm install --save-dev no-such-package-a @no-such/package-b",
    );
  });

  it("passes when everything is installed, even a package whose exports hide package.json", () => {
    expect(() => requirePeers("the generator", ["yaml", "js-yaml", "typescript", "ajv-formats"])).not.toThrow();
    // code-block-writer (a ts-morph dependency) exports no ./package.json.
    expect(() => requirePeers("ts-morph", ["code-block-writer"])).not.toThrow();
  });
});
