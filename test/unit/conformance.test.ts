import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkConformance, listedIds } from "../../scripts/conformance.js";
import { ROOT } from "../helpers/cli.js";
import { useTempDirs } from "../helpers/temp-dir.js";

const SPEC = join(ROOT, "spec/auth-tokens.openapi.yaml");
const TABLE = join(ROOT, "spec/CONFORMANCE.md");
// DevRev's full public document is a shared test input, never part of the project.
const DEVREV_SPEC = join(ROOT, "../shared/specs/devrev-public-openapi.yaml");
const present = existsSync(DEVREV_SPEC);
if (!present) console.warn(`skipping the DevRev conformance tests: ${DEVREV_SPEC} is absent`);
const tempDir = useTempDirs();

describe("the conformance check", () => {
  it("reads the difference ids from the table's first column", async () => {
    const ids = listedIds(await readFile(TABLE, "utf8"));
    expect(ids.has("request.rev_info.user_ref required")).toBe(true);
    expect(ids.size).toBeGreaterThanOrEqual(15);
  });

  it("finds no difference between the spec and itself, and calls every row stale", async () => {
    const report = await checkConformance({ spec: SPEC, upstream: SPEC, conformance: TABLE });
    expect(report.all).toEqual([]);
    expect(report.stale).toEqual([...listedIds(await readFile(TABLE, "utf8"))].sort());
  });

  it("names a field the upstream changed", async () => {
    const dir = await tempDir();
    const drifted = join(dir, "upstream.yaml");
    const text = await readFile(SPEC, "utf8");
    await writeFile(drifted, text.replace("      maximum: 1440\n", "      maximum: 720\n"));
    const empty = join(dir, "CONFORMANCE.md");
    await writeFile(empty, "");
    const report = await checkConformance({ spec: SPEC, upstream: drifted, conformance: empty });
    expect(report.unlisted).toEqual([{ id: "request.expires_in_mins maximum", upstream: "720", ours: "1440" }]);
  });
});

describe.skipIf(!present)("conformance with DevRev's public spec", () => {
  it("lists every difference, and no row is stale", async () => {
    const report = await checkConformance({ spec: SPEC, upstream: DEVREV_SPEC, conformance: TABLE });
    expect(report.unlisted).toEqual([]);
    expect(report.stale).toEqual([]);
  }, 60_000);

  it("fails on a hand-made drift of DevRev's spec, naming it", async () => {
    const dir = await tempDir();
    const drifted = join(dir, "devrev.yaml");
    const text = await readFile(DEVREV_SPEC, "utf8");
    // DevRev adds a request field.
    const anchor = "    auth-tokens-create-request:\n      type: object\n";
    const at = text.indexOf(anchor);
    expect(at).toBeGreaterThan(0);
    const properties = text.indexOf("      properties:\n", at) + "      properties:\n".length;
    const withField = `${text.slice(0, properties)}        locale:\n          type: string\n${text.slice(properties)}`;
    await writeFile(drifted, withField);
    const report = await checkConformance({ spec: SPEC, upstream: drifted, conformance: TABLE });
    expect(report.unlisted.map((d) => d.id)).toEqual(["request.locale presence"]);
    expect(report.stale).toEqual([]);
  }, 60_000);
});
