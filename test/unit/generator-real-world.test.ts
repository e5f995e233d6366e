import { join } from "node:path";
import createClient from "openapi-fetch";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { useGeneratedProjects } from "../helpers/generated-project.js";

// `npm run test:corpus` runs the whole public corpus; this fixture keeps each construct that
// stopped it, so CI covers them without the corpus.
describe("constructs from real-world specs", () => {
  const generateProject = useGeneratedProjects();

  it("generates, type-checks, and validates as the schemas mean", { timeout: 120_000 }, async () => {
    const { out, tscOutput } = await generateProject(join(ROOT, "test/fixtures/real-world/spec.yaml"));
    expect(tscOutput).toBe("");

    const { validateGroup } = await import(join(out, "index.ts"));
    expect(validateGroup({ name: "a:b-c", size: 1, note: null, legacy: "x" }).valid).toBe(true);
    // `exclusiveMinimum: true` beside `minimum: 0` excludes 0 itself.
    expect(validateGroup({ name: "a", size: 0 }).valid).toBe(false);
    // The pattern keeps its meaning once its needless escapes are dropped.
    expect(validateGroup({ name: "a b" }).valid).toBe(false);

    // A schema `$ref` to a parameter means the parameter's schema, as openapi-typescript reads it.
    const { validatePage, is_400, validateLabels } = await import(join(out, "index.ts"));
    expect(validatePage({ limit: 10 }).valid).toBe(true);
    expect(validatePage({ limit: "10" }).valid).toBe(false);
    expect(is_400({ message: "bad" })).toBe(true);
    expect(validateLabels({ count: 1, tag: "x" }).valid).toBe(true);
    expect(validateLabels({ tag: 2 }).valid).toBe(false);

    // Nested string enums get constants named from their path; a clash with a component gets a number.
    const { GroupVisibility, GroupVisibility2, GroupTagsItem, GroupSettingsValue } = await import(
      join(out, "index.ts")
    );
    expect(GroupVisibility).toEqual({ Hidden: "hidden" });
    expect(GroupVisibility2).toEqual({ Public: "public", Private: "private" });
    expect(GroupTagsItem).toEqual({ Red: "urn:acme:tag:red", Blue: "urn:acme:tag:blue" });
    expect(GroupSettingsValue).toEqual({ On: "on", Off: "off" });
    const { GroupColour } = await import(join(out, "index.ts"));
    expect(GroupColour).toEqual({ Crimson: "urn:acme:colour:red", Lime: "urn:acme:colour:green" });
    const { ResponseFormat2, isResponseFormat } = await import(join(out, "index.ts"));
    expect(ResponseFormat2).toEqual({ None: "none", Auto: "auto" });
    expect(isResponseFormat(ResponseFormat2.Auto)).toBe(true);

    // operationIds that are reserved words become valid names; an operation without `responses` takes any status.
    const generated = await import(join(out, "index.ts"));
    expect(typeof generated.delete_).toBe("function");
    expect(typeof generated.import_).toBe("function");
    expect(generated.operationTable.delete_).toMatchObject({ statuses: [], anyStatus: true });
    expect(generated.operationTable.import_).toMatchObject({ statuses: [204], anyStatus: false });
    const client = createClient({
      baseUrl: "http://127.0.0.1:1",
      fetch: async () => new Response(null, { status: 418 }),
    });
    await expect(generated.delete_(client, { params: { path: { id: "g" } } })).resolves.toMatchObject({ status: 418 });
  });
});
