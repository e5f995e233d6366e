import { mkdir, symlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultCacheDir, isInside } from "../../scripts/pass-cache.js";
import { useTempDirs } from "../helpers/temp-dir.js";

// The default pass cache is a project's node_modules/.cache, and never inside the output folder:
// `generate --out .` at a project root would otherwise keep its entries in the folder it replaces.

const tempDir = useTempDirs();

/** A folder tree under a fresh temp folder: each path made, as a folder. */
async function tree(...paths: string[]): Promise<string> {
  const base = await tempDir();
  for (const path of paths) await mkdir(join(base, path), { recursive: true });
  return base;
}

const CACHE = join("node_modules", ".cache", "devrev-plug-session");

describe("the default cache folder", () => {
  it("is the nearest node_modules' when the output folder is elsewhere, made yet or not", async () => {
    const base = await tree("project/node_modules", "project/app/generated");
    const cwd = join(base, "project/app");
    expect(await defaultCacheDir(cwd, join(cwd, "generated"))).toBe(join(base, "project", CACHE));
    expect(await defaultCacheDir(cwd, join(cwd, "not-made-yet/generated"))).toBe(join(base, "project", CACHE));
  });

  it("skips a node_modules inside the output folder for the next one up", async () => {
    const base = await tree("outer/node_modules", "outer/project/node_modules");
    const project = join(base, "outer/project");
    expect(await defaultCacheDir(project)).toBe(join(project, CACHE));
    expect(await defaultCacheDir(project, project)).toBe(join(base, "outer", CACHE));
  });

  it("is where a project without node_modules keeps it when every node_modules at hand is in the output folder", async () => {
    const base = await tree("project/node_modules");
    const project = join(base, "project");
    const chosen = await defaultCacheDir(project, base);
    // What a folder above the output folder, with no node_modules of its own, gets: the OS temp
    // folder's (or one further up's).
    expect(chosen).toBe(await defaultCacheDir(dirname(base)));
    expect(isInside(chosen as string, base)).toBe(false);
  });

  it("sees the output folder through a link to it, as the write follows one", async () => {
    const base = await tree("outer/node_modules", "outer/project/node_modules");
    const project = join(base, "outer/project");
    const link = join(base, "out-link");
    await symlink(project, link);
    expect(await defaultCacheDir(project, link)).toBe(join(base, "outer", CACHE));
  });

  it("is none when even the temp folder's is in the output folder", async () => {
    const base = await tree("project/node_modules");
    expect(await defaultCacheDir(join(base, "project"), "/")).toBeUndefined();
  });
});

describe("isInside", () => {
  it("is the folder itself and what is below it, not a sibling that shares its name's start", () => {
    expect(isInside("/a/b", "/a/b")).toBe(true);
    expect(isInside("/a/b/c/d", "/a/b")).toBe(true);
    expect(isInside("/a/bc", "/a/b")).toBe(false);
    expect(isInside("/a", "/a/b")).toBe(false);
    expect(isInside("/a/..b", "/a")).toBe(true);
  });
});
