import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  checkConformance,
  compareDocuments,
  judge,
  listedRows,
  type Row,
  reportLines,
} from "../../scripts/repo/conformance.js";
import { loadSpec } from "../../scripts/spec-reader/load-spec.js";
import { ROOT } from "../helpers/cli.js";
import { useTempDirs } from "../helpers/temp-dir.js";

const SPEC = join(ROOT, "spec/auth-tokens.openapi.yaml");
const TABLE = join(ROOT, "spec/CONFORMANCE.md");
// DevRev's full public document is a shared test input, never part of the project.
const DEVREV_SPEC = join(ROOT, "../shared/specs/devrev-public-openapi.yaml");
const present = existsSync(DEVREV_SPEC);
if (!present) console.warn(`skipping the DevRev conformance tests: ${DEVREV_SPEC} is absent`);
const tempDir = useTempDirs();

const ours = (await loadSpec(SPEC)).document;
const rows = listedRows(await readFile(TABLE, "utf8"));

/** A parsed YAML document, which the mutations reach into. */
type Doc = any;

describe("the conformance check", () => {
  it("reads each row's id and the value DevRev had when it was written", () => {
    const row = rows.find((r) => r.id === "request.rev_info.user_ref required");
    expect(row).toEqual({ id: "request.rev_info.user_ref required", upstream: "optional" });
    expect(rows.find((r) => r.id === "security scheme")?.upstream).toBe("http bearer");
    expect(rows.length).toBeGreaterThanOrEqual(25);
  });

  it("reports a row with no recorded value rather than trusting it", () => {
    const [row] = listedRows("| `request.x required` | optional | required | why | PLuG docs | no |");
    expect(row?.upstream).toMatch(/^\(no value recorded/);
    const report = judge([{ id: "request.x required", upstream: "optional", ours: "required" }], [row as Row]);
    expect(reportLines(report)).toEqual([
      "DevRev changed `request.x required`: the row records (no value recorded: optional), DevRev now says optional (we say required)",
    ]);
  });

  it("finds no difference between the spec and itself, and calls every row stale", async () => {
    const report = await checkConformance({ spec: SPEC, upstream: SPEC, conformance: TABLE });
    expect(report.all).toEqual([]);
    expect(report.stale).toEqual(rows.map((r) => r.id).sort());
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

  it("npm run conformance exits 1 with one line per change, and 0 once the row records DevRev's value", async () => {
    const dir = await tempDir();
    const upstream = join(dir, "upstream.yaml");
    await writeFile(upstream, (await readFile(SPEC, "utf8")).replace("      maximum: 1440\n", "      maximum: 720\n"));
    const table = join(dir, "CONFORMANCE.md");
    const run = () =>
      spawnSync(
        process.execPath,
        ["--import", "tsx", join(ROOT, "src/cli/npm-conformance.ts"), "--upstream", upstream, "--conformance", table],
        { cwd: ROOT, encoding: "utf8" },
      );
    await writeFile(table, "| `request.expires_in_mins maximum` | `1440` | 1440 | why | source | no |\n");
    const changed = run();
    expect(changed.status).toBe(1);
    expect(changed.stderr).toBe(
      "DevRev changed `request.expires_in_mins maximum`: the row records 1440, DevRev now says 720 (we say 1440)\n",
    );
    await writeFile(table, "| `request.expires_in_mins maximum` | `720` | 1440 | why | source | no |\n");
    const listed = run();
    expect([listed.status, listed.stderr]).toEqual([0, ""]);
    expect(listed.stdout).toMatch(/all 1 differences/);
  });

  it("reads a document whose schemas are shared many times over once per pair of schemas", () => {
    // Six properties per level, twelve levels, all the same schema below: 6^12 paths
    // (two billion) if walked path by path. The walk visits each pair of schemas once,
    // so the one difference at the bottom is reported once, at its first location.
    const layered = (leafType: string): Doc => {
      const schemas: Record<string, unknown> = { L12: { type: "object", properties: { leaf: { type: leafType } } } };
      for (let level = 11; level >= 0; level--) {
        const next = { $ref: `#/components/schemas/L${level + 1}` };
        schemas[`L${level}`] = {
          type: "object",
          properties: Object.fromEntries(["a", "b", "c", "d", "e", "f"].map((name) => [name, next])),
        };
      }
      const body = { content: { "application/json": { schema: { $ref: "#/components/schemas/L0" } } } };
      return {
        openapi: "3.1.0",
        paths: { "/auth-tokens.create": { post: { requestBody: body, responses: { "201": body } } } },
        components: { schemas },
      };
    };
    const found = compareDocuments(layered("string"), layered("integer"));
    expect(found.map((d) => d.id)).toEqual([
      "request.a.a.a.a.a.a.a.a.a.a.a.a.leaf type",
      "response.201.body.a.a.a.a.a.a.a.a.a.a.a.a.leaf type",
    ]);
  });
});

describe.skipIf(!present)("conformance with DevRev's public spec", async () => {
  const devrev = present ? ((await loadSpec(DEVREV_SPEC)).document as Doc) : undefined;
  /** The check's lines for a copy of DevRev's document changed by `mutate`. */
  const linesAfter = (mutate: (doc: Doc) => void): string[] => {
    const copy = structuredClone(devrev);
    mutate(copy);
    return reportLines(judge(compareDocuments(ours, copy), rows));
  };
  const schemas = (doc: Doc) => doc.components.schemas;
  const requestedTypes = (doc: Doc) => schemas(doc)["auth-token-requested-token-type"].enum as string[];
  const URN = "urn:devrev:params:oauth:token-type:";

  it("lists every difference, as DevRev's document says it today, and no row is stale", async () => {
    const report = await checkConformance({ spec: SPEC, upstream: DEVREV_SPEC, conformance: TABLE });
    expect(reportLines(report)).toEqual([]);
    expect(report.all.length).toBe(rows.length);
  }, 60_000);

  it("catches DevRev adding a request field", () => {
    expect(
      linesAfter((doc) => {
        schemas(doc)["auth-tokens-create-request"].properties.locale = { type: "string" };
      }),
    ).toEqual(["unlisted difference: `request.locale presence`: DevRev says present, we say absent"]);
  });

  it.each([
    ["session", `${URN}session`],
    ["rat", `${URN}rat`],
  ])("catches DevRev removing the requested_token_type value %s", (_name, value) => {
    const lines = linesAfter((doc) => {
      const list = requestedTypes(doc);
      list.splice(list.indexOf(value), 1);
    });
    expect(lines).toEqual([
      `DevRev changed \`request.requested_token_type values\` since the row was written: removed ${value}`,
    ]);
  });

  it("catches DevRev adding a requested_token_type value", () => {
    const lines = linesAfter((doc) => requestedTypes(doc).push(`${URN}session:new`));
    expect(lines).toEqual([
      `DevRev changed \`request.requested_token_type values\` since the row was written: added ${URN}session:new`,
    ]);
  });

  it("catches a new 401 type", () => {
    const lines = linesAfter((doc) => {
      schemas(doc)["error-unauthorized-type"].enum.push("token_expired");
      const member = { type: "object", additionalProperties: false };
      schemas(doc)["error-unauthorized-token-expired"] = member;
      const ref = "#/components/schemas/error-unauthorized-token-expired";
      const part = schemas(doc)["error-unauthorized"].allOf[1];
      part.oneOf.push({ $ref: ref });
      part.discriminator.mapping.token_expired = ref;
    });
    expect(lines).toEqual([
      "DevRev changed `response.401.body.type values` since the row was written: added token_expired",
    ]);
  });

  it("catches a new field an error type requires", () => {
    const lines = linesAfter((doc) => schemas(doc)["error-bad-request-invalid-field"].required.push("value"));
    expect(lines).toEqual([
      "unlisted difference: `response.400.body[type=invalid_field] required`: DevRev says field_name, type, value, we say field_name, type",
    ]);
  });

  it("catches a changed security scheme", () => {
    expect(
      linesAfter((doc) => {
        doc.components.securitySchemes["auth-token"] = { type: "oauth2", flows: {} };
      }),
    ).toEqual([
      "DevRev changed `security scheme`: the row records http bearer, DevRev now says oauth2 (we say apiKey header Authorization)",
    ]);
  });

  it("catches a 429 without a Retry-After header", () => {
    expect(linesAfter((doc) => delete doc.components.responses["too-many-requests"].headers)).toEqual([
      "unlisted difference: `response.429.headers.Retry-After presence`: DevRev says absent, we say present",
    ]);
  });

  it("catches a 429 without retry_after in the body", () => {
    expect(linesAfter((doc) => delete schemas(doc)["error-too-many-requests"].allOf[1].properties.retry_after)).toEqual(
      ["unlisted difference: `response.429.body.retry_after presence`: DevRev says absent, we say present"],
    );
  });

  it("names the media type of a form-encoded request body, in one line", () => {
    const lines = linesAfter((doc) => {
      const body = doc.paths["/auth-tokens.create"].post.requestBody;
      body.content = { "application/x-www-form-urlencoded": body.content["application/json"] };
    });
    expect(lines).toEqual([
      "unlisted difference: `request media types`: DevRev says application/x-www-form-urlencoded, we say application/json",
    ]);
  });

  it("catches DevRev documenting one of our extra statuses, calling its row stale", () => {
    const lines = linesAfter((doc) => {
      doc.paths["/auth-tokens.create"].post.responses["404"] = { $ref: "#/components/responses/not-found" };
    });
    expect(lines).toEqual(["listed but no longer different: `response.404 presence`"]);
  });
});
