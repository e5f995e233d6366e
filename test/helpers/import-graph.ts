import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import ts from "typescript";

/** One import as written: the file that holds it, its specifier, and the file it names (ours only). */
export interface Import {
  from: string;
  specifier: string;
  /** The repository-relative file it resolves to; undefined for another package's module. */
  to: string | undefined;
}

/**
 * Every module specifier a file really imports, read by TypeScript's parser,
 * so import-shaped text inside a string or template (the generator prints
 * code) is not taken for one: static imports and re-exports (type-only ones
 * too: a type still ties the two sides together), `import()` of a literal and
 * `typeof import("…")` types.
 */
export function specifiersOf(path: string, text: string): string[] {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, scriptKind(path));
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) found.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expression = node.moduleReference.expression;
      if (ts.isStringLiteral(expression)) found.push(expression.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) found.push(argument.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = node.argument.literal;
      if (ts.isStringLiteral(literal)) found.push(literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function scriptKind(path: string): ts.ScriptKind {
  if (path.endsWith(".tsx")) return ts.ScriptKind.TSX;
  return /\.m?js$/.test(path) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}

/**
 * The repository file a specifier names: a relative one as Node and
 * TypeScript resolve it (`./x.js` is `x.ts` in the sources), this package's
 * own name through `selfImports` (tsconfig's `paths`). Undefined for another
 * package; `null` for ours when no file answers, which the caller reports.
 */
export function resolveSpecifier(
  from: string,
  specifier: string,
  selfImports: Record<string, string>,
  exists: (path: string) => boolean,
): string | undefined | null {
  if (specifier in selfImports) return selfImports[specifier];
  if (specifier === "devrev-plug-session" || specifier.startsWith("devrev-plug-session/")) return null;
  if (!specifier.startsWith(".")) return undefined;
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  const stem = base.replace(/\.(m?js|tsx?)$/, "");
  const candidates = [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.mjs`, `${stem}/index.ts`];
  return candidates.find(exists) ?? null;
}

/** The source files under `dirs` (repository-relative), without installed packages, builds or declarations. */
export function sourceFiles(root: string, dirs: string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      if (["node_modules", ".next", "dist"].includes(entry.name)) continue;
      const path = posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(tsx?|mjs)$/.test(path) && !/\.d\.m?ts$/.test(path)) found.push(path);
    }
  };
  for (const dir of dirs) walk(dir);
  return found.sort();
}

/** This package's own import names, mapped to source files by tsconfig.json's `paths`. */
export function selfImportsOf(root: string): Record<string, string> {
  const { config, error } = ts.readConfigFile(join(root, "tsconfig.json"), ts.sys.readFile);
  if (error) throw new Error(`tsconfig.json: ${ts.flattenDiagnosticMessageText(error.messageText, "\n")}`);
  const paths = (config as { compilerOptions: { paths: Record<string, string[]> } }).compilerOptions.paths;
  return Object.fromEntries(Object.entries(paths).map(([name, [target]]) => [name, posix.normalize(target ?? "")]));
}

/** Every import of every file under `dirs`; an import of ours that names no file throws, naming it. */
export function readImports(root: string, dirs: string[]): Import[] {
  const selfImports = selfImportsOf(root);
  const exists = (path: string) => existsSync(join(root, path)) && !path.endsWith("/");
  const imports: Import[] = [];
  for (const from of sourceFiles(root, dirs)) {
    for (const specifier of specifiersOf(from, readFileSync(join(root, from), "utf8"))) {
      const to = resolveSpecifier(from, specifier, selfImports, exists);
      if (to === null) throw new Error(`${from} imports "${specifier}", which names no file of this repository`);
      imports.push({ from, specifier, to });
    }
  }
  return imports;
}

/** Files that import each other in a circle: all of them, and one circle through them for the message. */
export interface ImportCycle {
  /** Every file of the strongly connected group, sorted. */
  files: string[];
  /** One shortest circle from the first file back to it: `[a, b, a]`. */
  path: string[];
}

/**
 * The import cycles between files: each strongly connected group of two or
 * more files, or a file importing itself (Tarjan's algorithm).
 */
export function importCycles(imports: readonly Pick<Import, "from" | "to">[]): ImportCycle[] {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of imports) {
    if (to === undefined) continue;
    if (!next.has(from)) next.set(from, new Set());
    next.get(from)?.add(to);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const connect = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file) as number);
    stack.push(file);
    onStack.add(file);
    for (const target of next.get(file) ?? []) {
      if (!index.has(target)) {
        connect(target);
        low.set(file, Math.min(low.get(file) as number, low.get(target) as number));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file) as number, index.get(target) as number));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      group.push(member);
    } while (member !== file);
    if (group.length > 1 || next.get(file)?.has(file)) groups.push(group.sort());
  };
  for (const file of [...next.keys()].sort()) if (!index.has(file)) connect(file);
  return groups.map((files) => ({ files, path: cycleThrough(files, next) }));
}

/** A shortest path from the group's first file back to itself, within the group. */
function cycleThrough(group: string[], next: Map<string, Set<string>>): string[] {
  const [start] = group as [string];
  const inGroup = new Set(group);
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    for (const target of [...(next.get(file) ?? [])].sort()) {
      if (!inGroup.has(target)) continue;
      if (target === start) {
        const path = [file];
        while (path[0] !== start) path.unshift(previous.get(path[0] as string) as string);
        return [...path, start];
      }
      if (!previous.has(target)) {
        previous.set(target, file);
        queue.push(target);
      }
    }
  }
  return [...group, start];
}
