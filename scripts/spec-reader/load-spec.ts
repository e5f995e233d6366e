import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type JsYaml from "js-yaml";
import type { OpenAPI3 } from "openapi-typescript";
import { mapPinnedValues } from "./discriminators.js";
import { GenerateError } from "./generate-error.js";
import { escapeToken, isRecord, type KeyPath, pointerOf, refToken, resolvePointer, setOwn } from "./json-pointer.js";
import { LITERAL_VALUES, NAME_MAPS, SCHEMA_NAME_MAPS } from "./openapi-keys.js";
import { loadPeer, requirePeers, SPEC_READER_PEERS } from "./peers.js";
import { bundleFiles } from "./spec-files.js";
import { positionOf } from "./yaml-position.js";

// Loaded on first use, so importing the generator or the mock without it installed still works,
// and reading a spec says it is missing.
const jsYaml = () => loadPeer<typeof JsYaml>("js-yaml");

/** The DevRev auth-tokens spec this package ships (`spec/` here, `dist/spec/` when installed). */
export const DEFAULT_SPEC = fileURLToPath(new URL("../../spec/auth-tokens.openapi.yaml", import.meta.url));

/** A parsed, checked OpenAPI document, with the digest of its bytes. */
export interface LoadedSpec {
  path: string;
  document: OpenAPI3;
  /** sha256 of the file's bytes, recorded in the generated banner. */
  hash: string;
  /**
   * Every file the spec was read from: `path`, then each file a `$ref` reached (resolved through
   * links); none for `parseSpec`'s bytes. `--watch` watches their folders.
   */
  files: string[];
}

/** Throws a GenerateError pointing at the node found at `pointer`. */
type Fail = (pointer: string, reason: string, options?: { missing?: string }) => never;

/**
 * Reads a YAML or JSON OpenAPI 3.0/3.1 file and checks what the code generator
 * relies on: every local `$ref` and every `discriminator.mapping` target must
 * resolve. Problems are reported with file, line and column.
 */
export async function loadSpec(path: string): Promise<LoadedSpec> {
  requirePeers("reading an OpenAPI spec", SPEC_READER_PEERS);
  const bytes = await readSpecFile(path);
  return withClearErrors(path, async () => {
    const { document, fail, refersOutside } = parseRoot(bytes, path);
    const hash = createHash("sha256").update(bytes);
    const files = [path];
    // Only a spec with a `$ref` to another file is walked for them: most have none.
    if (refersOutside) {
      let total = bytes.length;
      const readPart = async (file: string) => {
        const part = await readSpecFile(file);
        total += part.length;
        if (total > MAX_SPEC_BYTES) {
          throw new GenerateError(
            { file },
            `the spec's files together are larger than ${MAX_SPEC_BYTES / 1024 / 1024} MiB`,
          );
        }
        // Each file's bytes, with its place in the folder, make up the recorded hash.
        hash.update(`\0${relative(dirname(path), file)}\0`).update(part);
        const { document: parsed, fail: failHere } = parseText(part, file);
        checkAliasExpansion(parsed, failHere);
        return { document: parsed, bytes: part.length, fail: failHere };
      };
      files.push(...(await bundleFiles(document as unknown as Record<string, unknown>, path, fail, readPart)));
    }
    return checked(document, fail, path, hash.digest("hex"), files);
  });
}

/** Largest spec read, in bytes: GitHub's REST API, among the largest public specs, is about 12 MB. */
export const MAX_SPEC_BYTES = 64 * 1024 * 1024;

/**
 * Most nodes YAML aliases may add when the document is expanded. Consumers
 * (openapi-typescript, Prism, JSON) copy every alias, so a "billion laughs"
 * of a few hundred bytes would become gigabytes there.
 */
export const MAX_ALIAS_EXPANSION = 1_000_000;

/** The file's bytes, if it is a regular file within MAX_SPEC_BYTES. */
async function readSpecFile(path: string): Promise<Buffer> {
  const cannotRead = (error: unknown): never => {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "file not found" : `cannot read file (${code ?? String(error)})`;
    throw new GenerateError({ file: path }, reason, { cause: error, ...(code === "ENOENT" && { missing: path }) });
  };
  // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then says what it is.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch(cannotRead);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw new GenerateError({ file: path }, "not a regular file (a device, pipe or directory cannot be a spec)");
    }
    if (stats.size > MAX_SPEC_BYTES) {
      throw new GenerateError({ file: path }, `larger than ${MAX_SPEC_BYTES / 1024 / 1024} MiB (${stats.size} bytes)`);
    }
    return await handle.readFile().catch(cannotRead);
  } finally {
    await handle.close();
  }
}

/**
 * `loadSpec` for bytes already in memory; `path` is only used in messages. A `$ref` to
 * another file is refused: there is no folder to read it from.
 */
export function parseSpec(bytes: Buffer, path: string): LoadedSpec {
  requirePeers("reading an OpenAPI spec", SPEC_READER_PEERS);
  return withClearErrors(path, () => {
    const { document, fail } = parseRoot(bytes, path);
    return checked(document, fail, path, createHash("sha256").update(bytes).digest("hex"), []);
  });
}

/** `run`'s result; whatever it throws becomes a GenerateError naming the file. */
function withClearErrors<T>(path: string, run: () => T): T {
  const clear = (error: unknown): never => {
    if (error instanceof GenerateError) throw error;
    // Pathological input (nesting deep enough to exhaust the stack, say) still gets one clear message.
    throw new GenerateError({ file: path }, `cannot read the document: ${(error as Error).message}`, { cause: error });
  };
  try {
    const result = run();
    return (result instanceof Promise ? result.catch(clear) : result) as T;
  } catch (error) {
    return clear(error);
  }
}

/** The root file parsed and checked for what may be checked before other files are read. */
function parseRoot(bytes: Buffer, path: string): { document: OpenAPI3; fail: Fail; refersOutside: boolean } {
  const { document, fail } = parseText(bytes, path);
  checkIsOpenApi(document, fail);
  return { document, fail, ...checkAliasExpansion(document, fail) };
}

/** The checks on the whole document, once every file is in it. */
function checked(document: OpenAPI3, fail: Fail, path: string, hash: string, files: string[]): LoadedSpec {
  checkReferences(document, fail);
  mapPinnedValues(document as unknown as Record<string, unknown>);
  return { path, document, hash, files };
}

/** A YAML or JSON file's document, and a `fail` that names a place in it. */
function parseText(bytes: Buffer, path: string): { document: unknown; fail: Fail } {
  const text = bytes.toString("utf8");
  let document: unknown;
  try {
    // A `.json` spec is read as JSON, so a broken one is reported as JSON. js-yaml is the one YAML
    // parser: about ten times faster than `yaml`'s (Stripe's 4 MB spec in 0.23 s against 2.2 s, a
    // third of a whole generate), and positions, needed only for an error, come from its listener.
    document = /\.json$/i.test(path) ? parseJson(text, path) : jsYaml().load(text, { filename: path });
  } catch (error) {
    if (!(error instanceof jsYaml().YAMLException)) throw error;
    const { line, column } = error.mark ?? {};
    const at = line === undefined ? {} : { line: line + 1, column: (column ?? 0) + 1 };
    throw new GenerateError({ file: path, ...at }, `invalid YAML: ${error.reason}`);
  }

  const fail: Fail = (pointer, reason, options) => {
    throw new GenerateError({ file: path, ...positionOf(text, pointer), pointer }, reason, options);
  };
  return { document, fail };
}

/** `text` as JSON; a syntax error is reported with its line and column, as JSON's. */
function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const { message } = error as SyntaxError;
    // V8 names the offset ("at position 12"); newer versions add the line and column themselves.
    const offset = /at position (\d+)/.exec(message)?.[1];
    const before = offset === undefined ? undefined : text.slice(0, Number(offset)).split("\n");
    const at = before ? { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 } : {};
    const reason = message.replace(/ in JSON at position \d+.*$/s, "").replace(/ \(line \d+ column \d+\)$/, "");
    throw new GenerateError({ file: path, ...at }, `invalid JSON: ${reason}`);
  }
}

/**
 * Rejects a document whose YAML aliases, expanded, would add more than MAX_ALIAS_EXPANSION nodes;
 * and says, from the same walk over its nodes, whether it holds a `$ref` to another file.
 */
function checkAliasExpansion(document: unknown, fail: Fail): { refersOutside: boolean } {
  // Expanded, the document has no more nodes than that: its aliases cannot add more.
  const expanded = walkExpanded(document);
  if (expanded) return expanded;
  // Expanded size of each distinct node, counted once; aliases are shared objects.
  const sizes = new Map<object, number>();
  let refersOutside = false;
  const size = (value: unknown): number => {
    if (typeof value !== "object" || value === null) return 0;
    const known = sizes.get(value);
    if (known !== undefined) return known;
    // An alias inside its own anchor never ends when expanded.
    sizes.set(value, Number.POSITIVE_INFINITY);
    let total = 1;
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) total += size(value[index]);
    } else {
      for (const key of Object.keys(value)) {
        const child = (value as Record<string, unknown>)[key];
        if (key === "$ref" && isOutsideRef(child)) refersOutside = true;
        total += size(child);
      }
    }
    sizes.set(value, total);
    return total;
  };
  const added = size(document) - sizes.size;
  if (added > MAX_ALIAS_EXPANSION) {
    fail(
      "",
      `YAML aliases expand the document by more than ${MAX_ALIAS_EXPANSION} nodes (a "billion laughs"?): use $ref for shared parts`,
    );
  }
  return { refersOutside };
}

/**
 * Deepest a walk that does not remember the nodes it has seen goes: an alias inside its own
 * anchor never ends. Such a walk (most specs share no node at all) costs no set of every node.
 */
const UNREMEMBERING_DEPTH = 1_000;

/**
 * Whether the document holds a `$ref` to another file, from a walk of it expanded (an alias
 * walked wherever it stands); undefined, with no verdict, once that walk passes
 * MAX_ALIAS_EXPANSION nodes or UNREMEMBERING_DEPTH levels.
 */
function walkExpanded(document: unknown): { refersOutside: boolean } | undefined {
  let nodes = 0;
  let refersOutside = false;
  const walk = (value: unknown, depth: number): boolean => {
    if (typeof value !== "object" || value === null) return true;
    if (++nodes > MAX_ALIAS_EXPANSION || depth > UNREMEMBERING_DEPTH) return false;
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) if (!walk(value[index], depth + 1)) return false;
      return true;
    }
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key];
      if (key === "$ref" && isOutsideRef(child)) refersOutside = true;
      if (!walk(child, depth + 1)) return false;
    }
    return true;
  };
  return walk(document, 0) ? { refersOutside } : undefined;
}

function checkIsOpenApi(document: unknown, fail: Fail): asserts document is OpenAPI3 {
  if (!isRecord(document)) fail("", "not an OpenAPI document: the top level must be a mapping");
  const version = document.openapi;
  if (typeof version !== "string" || !/^3\.[01]\.\d+$/.test(version)) {
    const what = "swagger" in document ? "Swagger 2.0 is not supported" : "no `openapi: 3.0.x` or `3.1.x` field";
    fail("openapi" in document ? "/openapi" : "", `not an OpenAPI 3.0/3.1 document: ${what}`);
  }
  if (!isRecord(document.info)) fail("", "not an OpenAPI document: `info` is missing");
  for (const key of ["paths", "components"] as const) {
    if (key in document && !isRecord(document[key])) fail(`/${key}`, `\`${key}\` must be a mapping`);
  }
}

/**
 * Walks the document once, resolving every `$ref` and discriminator mapping
 * target, and rewrites bare schema names in mappings as references.
 */
function checkReferences(document: OpenAPI3, fail: Fail): void {
  // YAML aliases share one object between places; walk each once.
  const seen = new WeakSet<object>();
  // Where the walk stands; spelt as a pointer only for a failure.
  const keys: KeyPath = [];
  const failHere = (below: string, reason: string): never => fail(`${pointerOf(keys)}${below}`, reason);
  // A chain of `$ref`s that comes back to itself (`A: {$ref: B}`, `B: {$ref: A}`) names no schema;
  // every resolver loops on it or throws. The chain from `ref`, if it is such a loop.
  const reachesSchema = new Set<string>();
  const aliasCycle = (ref: string): string[] | undefined => {
    const chain: string[] = [];
    for (let next: unknown = ref; typeof next === "string" && next.startsWith("#"); ) {
      if (reachesSchema.has(next)) break;
      if (chain.includes(next)) return [...chain, next];
      chain.push(next);
      const target = resolvePointer(document, next.slice(1));
      next = isRecord(target) ? target.$ref : undefined;
    }
    for (const link of chain) reachesSchema.add(link);
    return undefined;
  };
  const checkRef = (ref: string): void => {
    if (!ref.startsWith("#")) {
      failHere("/$ref", `$ref "${ref}" names another file, which a spec read from memory (parseSpec) cannot follow`);
    }
    if (resolvePointer(document, ref.slice(1)) === undefined) failHere("/$ref", `unresolvable $ref "${ref}"`);
    if (ref === "#") failHere("/$ref", `$ref "#" names the whole OpenAPI document, which is not a schema`);
    const cycle = aliasCycle(ref);
    if (cycle) failHere("/$ref", `$refs that only name each other never reach a schema: ${cycle.join(" -> ")}`);
  };
  const checkMapping = (mapping: Record<string, unknown>): void => {
    for (const [key, target] of Object.entries(mapping)) {
      const isRef = typeof target === "string" && target.startsWith("#");
      const targetPointer = isRef ? target.slice(1) : `/components/schemas/${refToken(String(target))}`;
      const direct = directPointer(document, targetPointer);
      if (direct === undefined) {
        failHere(
          `/discriminator/mapping/${escapeToken(key)}`,
          `discriminator mapping "${key}" points to a missing schema "${String(target)}"`,
        );
      }
      // OpenAPI allows a bare schema name here, and a pointer that passes through `$ref`s (PagerDuty's);
      // openapi-typescript only follows a reference to where the schema stands.
      if (!isRef || direct !== targetPointer) setOwn(mapping, key, `#${direct}`);
    }
  };
  // `names` says what the keys of `value` are: OpenAPI's or JSON Schema's own words (undefined),
  // names in a map where extensions may appear ("map"), or schema or property names ("schemas").
  const visit = (value: unknown, names?: "map" | "schemas"): void => {
    if (typeof value !== "object" || value === null || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        keys.push(index);
        visit(value[index]);
        keys.pop();
      }
      return;
    }
    const record = value as Record<string, unknown>;
    if (typeof record.$ref === "string") checkRef(record.$ref);
    const mapping = isRecord(record.discriminator) ? record.discriminator.mapping : undefined;
    if (isRecord(mapping)) checkMapping(mapping);
    // Each value read as the walk reaches its key: no step below this node replaces one of its
    // values (a document without alias cycles, which checkAliasExpansion refused, has none).
    for (const key of Object.keys(record)) {
      const child = record[key];
      keys.push(key);
      if (names === "schemas") {
        visit(child);
      } else if (key.startsWith("x-") || (names !== "map" && LITERAL_VALUES.has(key))) {
        // Extensions and literal values are data, not places OpenAPI resolves references; but
        // openapi-typescript's and Prism's resolvers follow every `$ref`, so none may leave the file.
        setOwn(record, key, withoutOutsideRefs(child));
      } else if (names === "map") {
        visit(child);
      } else if (key === "examples") {
        // A map of Example Objects, each a reference or holding a literal `value`; or JSON Schema's list of values.
        if (isRecord(child)) {
          for (const name of Object.keys(child)) {
            const example = child[name];
            keys.push(name);
            if (isRecord(example) && "$ref" in example) visit({ $ref: example.$ref });
            else setOwn(child, name, withoutOutsideRefs(example));
            keys.pop();
          }
        } else {
          setOwn(record, key, withoutOutsideRefs(child));
        }
      } else {
        visit(child, SCHEMA_NAME_MAPS.has(key) ? "schemas" : NAME_MAPS.has(key) ? "map" : undefined);
      }
      keys.pop();
    }
  };
  visit(document);
}

/**
 * `data` without any `$ref` that leads outside the document: where OpenAPI resolves no reference
 * (an example, a default, an extension) a `$ref` is data, but a resolver that meets one reads the
 * file or fetches the URL it names. Such a `$ref` is dropped; the rest of the data stays. Returns
 * `data` itself when nothing changed, and copies rather than edits, since a YAML alias may share
 * the object with a place where it means something else.
 */
export function withoutOutsideRefs(data: unknown): unknown {
  if (Array.isArray(data)) {
    // Copied only once an item changes: most data holds no `$ref` at all.
    let items: unknown[] | undefined;
    for (let index = 0; index < data.length; index++) {
      const kept = withoutOutsideRefs(data[index]);
      if (kept === data[index]) continue;
      items ??= [...data];
      items[index] = kept;
    }
    return items ?? data;
  }
  if (!isRecord(data)) return data;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(data)) {
    const child = data[key];
    const outside = key === "$ref" && isOutsideRef(child);
    const kept = outside ? undefined : withoutOutsideRefs(child);
    if (!outside && kept === child) continue;
    copy ??= ownCopy(data);
    if (outside) delete copy[key];
    else setOwn(copy, key, kept);
  }
  return copy ?? data;
}

/**
 * The pointer of the first `$ref` anywhere in `document` that leads outside it, if any. The
 * loader removes or refuses every one; the generator and the mock check again before a resolver
 * (openapi-typescript's, Prism's) sees the document, so no path through the loader can reach one.
 */
export function findOutsideRef(document: unknown): string | undefined {
  const keys: KeyPath = [];
  // First without a set of the nodes seen: walking an alias again finds nothing its first walk did
  // not (that one found nothing, or the walk would have ended there), so the first found is the same.
  let nodes = 0;
  const findExpanded = (value: unknown, depth: number): boolean | undefined => {
    if (typeof value !== "object" || value === null) return false;
    if (++nodes > MAX_ALIAS_EXPANSION || depth > UNREMEMBERING_DEPTH) return undefined;
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        keys.push(index);
        const found = findExpanded(value[index], depth + 1);
        if (found !== false) return found;
        keys.pop();
      }
      return false;
    }
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key];
      keys.push(key);
      if (key === "$ref" && isOutsideRef(child)) return true;
      const found = findExpanded(child, depth + 1);
      if (found !== false) return found;
      keys.pop();
    }
    return false;
  };
  const expanded = findExpanded(document, 0);
  if (expanded !== undefined) return expanded ? pointerOf(keys) : undefined;
  // An alias inside its own anchor, or one that expands the document past the bound: each node once.
  keys.length = 0;
  const seen = new WeakSet<object>();
  const findOnce = (value: unknown): boolean => {
    if (typeof value !== "object" || value === null || seen.has(value)) return false;
    seen.add(value);
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        keys.push(index);
        if (findOnce(value[index])) return true;
        keys.pop();
      }
      return false;
    }
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key];
      keys.push(key);
      if ((key === "$ref" && isOutsideRef(child)) || findOnce(child)) return true;
      keys.pop();
    }
    return false;
  };
  return findOnce(document) ? pointerOf(keys) : undefined;
}

/** A `$ref` value that names something outside the document: a file, a URL, or the document's own file (`""`). */
function isOutsideRef(ref: unknown): boolean {
  return typeof ref === "string" && !ref.startsWith("#");
}

function ownCopy(record: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(record)) setOwn(copy, key, child);
  return copy;
}

/**
 * Where the node at `pointer` really stands: a pointer that passes through a `$ref`
 * (`/components/schemas/Alias/properties/user`, where `Alias` is a `$ref`) continues from
 * the `$ref`'s target. Undefined when nothing is there (or the `$ref`s go round).
 */
export function directPointer(root: unknown, pointer: string): string | undefined {
  if (pointer !== "" && !pointer.startsWith("/")) return undefined;
  const tokens = pointer === "" ? [] : pointer.slice(1).split("/");
  let at = "";
  let current: unknown = root;
  let followed = 0;
  for (;;) {
    // Through a `$ref` in the way. One where the pointer ends is the schema a mapping names, as
    // written, unless the way went through one: then to where it ends, as a union member names it.
    const ref = isRecord(current) && (tokens.length > 0 || followed > 0) ? current.$ref : undefined;
    if (typeof ref === "string" && ref.startsWith("#")) {
      if (++followed > 64) return undefined;
      at = ref.slice(1);
      current = resolvePointer(root, at);
      continue;
    }
    const token = tokens.shift();
    if (token === undefined) return current === undefined ? undefined : at;
    current = resolvePointer(current, `/${token}`);
    if (current === undefined) return undefined;
    at = `${at}/${token}`;
  }
}
