import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import type { GeneratedFiles } from "./generate.js";

// Generated code imports a few packages at run time (openapi-fetch, Ajv's
// runtime helpers). In this repository they resolve because this package
// depends on them; in someone else's project they resolve only if that
// project installs them, or npm happened to hoist them there.

/**
 * An `import` or `export … from` statement of a package (not a relative path), its specifier
 * captured: the clause before `from` holds at most one `{…}` list, so a declaration that is no
 * such statement (`export interface A extends B {}`, of which `types.ts` has one per schema) is
 * given up at its second brace rather than read on to the file's next `;`, which made the
 * search quadratic in the number of such declarations (83 ms on a Stripe-sized spec's output).
 * It reads imports as the generator prints them, each at the start of a line, with no comment in
 * the clause.
 */
const PACKAGE_IMPORT = /^(?:import|export)\b[^;{}]*?(?:\{[^{}]*\}[^;{}]*?)?\bfrom\s+"([^".][^"]*)"/gm;

/** The packages the generated files import, by package name, sorted. */
export function runtimePackages(files: GeneratedFiles): string[] {
  const names = new Set<string>();
  for (const text of files.values()) {
    for (const [, specifier] of text.matchAll(PACKAGE_IMPORT)) {
      const parts = (specifier as string).split("/");
      names.add(specifier?.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] as string));
    }
  }
  return [...names].filter((name) => !name.startsWith("node:")).sort();
}

/** Those of `packages` that Node cannot find from `folder` (walking up its node_modules folders). */
export function unresolvedFrom(folder: string, packages: readonly string[]): string[] {
  const require = createRequire(join(resolve(folder), "index.js"));
  return packages.filter((name) => {
    try {
      require.resolve(`${name}/package.json`);
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code !== "ERR_PACKAGE_PATH_NOT_EXPORTED";
    }
  });
}

/**
 * A warning for output whose run-time imports cannot be found from its folder,
 * with the install line (at the versions this package depends on), or
 * undefined when they all resolve.
 */
export function missingRuntimeWarning(out: string, files: GeneratedFiles): string | undefined {
  const missing = unresolvedFrom(out, runtimePackages(files));
  if (missing.length === 0) return undefined;
  const { dependencies } = createRequire(import.meta.url)("devrev-plug-session/package.json") as {
    dependencies: Record<string, string>;
  };
  const install = missing.map((name) => (dependencies[name] ? `${name}@${dependencies[name]}` : name));
  return (
    `warning: ${out}/ imports ${missing.join(", ")} at run time, which cannot be found from there; ` +
    `install them in the project that uses it: npm install ${install.join(" ")}`
  );
}
