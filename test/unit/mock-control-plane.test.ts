import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONTROL_PREFIX, CONTROLS, controlFor, controlPath, controlPlaneDocument } from "../../mock/control-plane.js";

const controls = Object.entries(CONTROLS);

describe("the test controls, defined once in control-plane.ts", () => {
  it("are the operations of the document Prism serves, each at its path and method with its status", () => {
    const document = controlPlaneDocument([200, 429]) as {
      paths: Record<string, Record<string, { operationId: string; responses: object; requestBody?: object }>>;
    };
    const served = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
    );
    expect(served.map(({ operation }) => operation.operationId).sort()).toEqual(controls.map(([id]) => id).sort());
    for (const { path, method, operation } of served) {
      const control = CONTROLS[operation.operationId as keyof typeof CONTROLS];
      expect({ path, method }).toEqual({ path: controlPath(control), method: control.method });
      expect(path.startsWith(CONTROL_PREFIX)).toBe(true);
      const statuses = Object.keys(operation.responses);
      // A control that takes a body refuses one that breaks its schema.
      expect(statuses).toEqual(operation.requestBody ? [String(control.status), "400"] : [String(control.status)]);
    }
  });

  it("offer a scenario's status from the statuses the served spec documents", () => {
    const body = CONTROLS.mockAddScenario.body([201, 503]) as { properties: { status: { enum: number[] } } };
    expect(body.properties.status.enum).toEqual([201, 503]);
  });

  it("are found by operation ID, and nothing else is", () => {
    expect(controlFor("mockReset")).toBe(CONTROLS.mockReset);
    expect(controlFor("authTokensCreate")).toBeUndefined();
    expect(controlFor("toString")).toBeUndefined();
    expect(controlFor(undefined)).toBeUndefined();
  });

  it("are the rows of the README's controls table, which names each one's method and path", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const rows = [...readme.matchAll(/^\| `(GET|POST|PUT|PATCH|DELETE) (\/__mock\/[^`]*)`/gm)].map(
      ([, method, path]) => `${method} ${path}`,
    );
    expect(rows.sort()).toEqual(controls.map(([, c]) => `${c.method.toUpperCase()} ${controlPath(c)}`).sort());
  });
});
