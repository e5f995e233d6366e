import { realpath } from "node:fs/promises";
import { basename, dirname, extname, isAbsolute, relative, resolve, sep } from "node:path";
import {
  decodePercent,
  escapeToken,
  isRecord,
  pointerKeys,
  refFragment,
  resolvePointer,
  setOwn,
} from "./json-pointer.js";
import { LITERAL_VALUES, NAME_MAPS, SCHEMA_NAME_MAPS } from "./openapi-keys.js";

/** Most files one spec may span (Lago's has about 500). */
export const MAX_SPEC_FILES = 10_000;

/** A file of the spec, read and parsed through the loader's limits; `fail` reports a place in it. */
export interface SpecFile {
  document: unknown;
  bytes: number;
  fail: (pointer: string, reason: string, options?: { missing?: string }) => never;
}

/**
 * Brings the parts of a multi-file spec into its root document (Lago's: a root
 * file and hundreds under `src/`). A `$ref` to a file, where OpenAPI resolves
 * references, is followed when the file lies inside the root file's folder
 * (`./schemas/Pet.yaml`, `../common.yaml#/Error` from a subfolder): a schema
 * gets a home under `components/schemas` (the entry that names the file, when
 * there is one) and every reference to it points there, so recursive schemas
 * stay references; anything else is copied in where it is referenced. A URL,
 * an absolute path or a path out of the folder is refused, as is anything in
 * an example, a default or an extension. Each file is read through `read`,
 * which applies the loader's limits; `onFile` sees each one's path, once.
 */
export async function bundleFiles(
  root: Record<string, unknown>,
  rootPath: string,
  rootFail: SpecFile["fail"],
  read: (path: string) => Promise<SpecFile>,
): Promise<string[]> {
  const rootFile = await realpath(rootPath);
  const folder = dirname(rootFile);
  const files = new Map<string, SpecFile>([[rootFile, { document: root, bytes: 0, fail: rootFail }]]);
  const order: string[] = [];
  /** `file#pointer` -> where it stands in the root document. */
  const homes = new Map<string, string>();
  /** `file#pointer`s being copied in, outermost first. */
  const copying = new Set<string>();
  const schemas = () => {
    const components = isRecord(root.components) ? root.components : {};
    if (!isRecord(root.components)) setOwn(root, "components", components);
    if (!isRecord(components.schemas)) setOwn(components, "schemas", {});
    return components.schemas as Record<string, unknown>;
  };

  /** The file and pointer a `$ref` written in `from` names, once it is known to be allowed. */
  const target = async (ref: string, from: string, fail: () => SpecFile["fail"], at: string) => {
    const hash = ref.indexOf("#");
    const path = hash < 0 ? ref : ref.slice(0, hash);
    const pointer = hash < 0 ? "" : decodePercent(ref.slice(hash + 1));
    if (path === "") return { file: from, pointer };
    if (/^[a-z][a-z0-9+.-]*:/i.test(path) || isAbsolute(path)) {
      fail()(at, `$ref "${ref}" leaves the spec's folder: a URL or an absolute path is never followed`);
    }
    const named = resolve(dirname(from), decodePercent(path));
    const file = await realpath(named).catch(() => fail()(at, `$ref "${ref}": file not found`, { missing: named }));
    // Compared after following symbolic links, so none leads out either.
    const inside = relative(folder, file);
    if (inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
      fail()(at, `$ref "${ref}" leaves the spec's folder (${folder})`);
    }
    if (!files.has(file)) {
      if (files.size >= MAX_SPEC_FILES) fail()(at, `the spec spans more than ${MAX_SPEC_FILES} files`);
      files.set(file, await read(file));
      order.push(file);
    }
    return { file, pointer };
  };

  const contentOf = (file: string, pointer: string, fail: SpecFile["fail"], at: string): unknown => {
    const found = resolvePointer((files.get(file) as SpecFile).document, refFragment(pointer));
    if (found === undefined) fail(at, `unresolvable $ref: nothing at "#${pointer}" in ${relative(folder, file)}`);
    return structuredClone(found);
  };

  /**
   * Rewrites the `$ref`s in `node` (written in `file`, standing at `at` in the root document) so
   * that every one is local to the root document. `src` is where `node` is written in `file`.
   */
  const visit = async (node: unknown, file: string, src: string, at: string, schema: boolean, names?: string) => {
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) await visit(item, file, `${src}/${i}`, `${at}/${i}`, schema);
      return;
    }
    if (!isRecord(node)) return;
    const fail = () => (files.get(file) as SpecFile).fail;
    const ref = node.$ref;
    if (typeof ref === "string" && (file !== rootFile || !ref.startsWith("#"))) {
      const found = await target(ref, file, fail, `${src}/$ref`);
      const key = `${found.file}#${found.pointer}`;
      if (found.file === rootFile) {
        node.$ref = `#${refFragment(found.pointer)}`;
        return;
      }
      const home = homes.get(key);
      if (home !== undefined && home !== at) {
        node.$ref = `#${refFragment(home)}`;
        return;
      }
      if (home === undefined && schema) {
        const name = homeName(schemas(), found.pointer, found.file);
        const place = `/components/schemas/${escapeToken(name)}`;
        homes.set(key, place);
        const content = contentOf(found.file, found.pointer, fail(), `${src}/$ref`);
        setOwn(schemas(), name, content);
        node.$ref = `#${refFragment(place)}`;
        await visit(content, found.file, found.pointer, place, true);
        return;
      }
      // Copied in where it is referenced (or into the component entry that names it).
      const content = contentOf(found.file, found.pointer, fail(), `${src}/$ref`);
      const record = isRecord(content) ? content : fail()(`${src}/$ref`, `$ref "${ref}" must name an object here`);
      // A copy that holds a `$ref` to itself would be copied forever.
      if (copying.has(key))
        fail()(`${src}/$ref`, `$ref "${ref}" is part of a cycle of files that never reaches a schema`);
      delete node.$ref;
      for (const [k, v] of Object.entries(record)) setOwn(node, k, v);
      copying.add(key);
      await visit(node, found.file, found.pointer, at, schema, names);
      copying.delete(key);
      return;
    }
    for (const [key, child] of Object.entries(node)) {
      const down = (childSchema: boolean, childNames?: string) =>
        visit(child, file, `${src}/${escapeToken(key)}`, `${at}/${escapeToken(key)}`, childSchema, childNames);
      if (names === "schemas") await down(true);
      else if (key.startsWith("x-") || (names !== "map" && LITERAL_VALUES.has(key))) continue;
      else if (names === "map") await down(false);
      else if (key === "examples") {
        // Example Objects may be references; their values are data.
        if (!isRecord(child)) continue;
        for (const [name, example] of Object.entries(child)) {
          if (!isRecord(example) || !("$ref" in example)) continue;
          const token = `/${escapeToken(key)}/${escapeToken(name)}`;
          await visit(example, file, `${src}${token}`, `${at}${token}`, false);
        }
      } else if (schema && (key === "allOf" || key === "anyOf" || key === "oneOf" || key === "prefixItems")) {
        await down(true);
      } else {
        await down(
          SUBSCHEMA_KEYS.has(key),
          SCHEMA_NAME_MAPS.has(key) ? "schemas" : NAME_MAPS.has(key) ? "map" : undefined,
        );
      }
    }
  };

  // A components entry that is a `$ref` to a file is that file's home: other refs point to it.
  const components = isRecord(root.components) ? root.components : {};
  for (const [section, entries] of Object.entries(components)) {
    if (!isRecord(entries)) continue;
    for (const [name, entry] of Object.entries(entries)) {
      const ref = isRecord(entry) ? entry.$ref : undefined;
      if (typeof ref !== "string" || ref.startsWith("#")) continue;
      const at = `/components/${escapeToken(section)}/${escapeToken(name)}`;
      const found = await target(ref, rootFile, () => rootFail, `${at}/$ref`);
      if (!homes.has(`${found.file}#${found.pointer}`)) homes.set(`${found.file}#${found.pointer}`, at);
    }
  }
  await visit(root, rootFile, "", "", false);
  return order;
}

/** Keys whose value is a schema. */
const SUBSCHEMA_KEYS = new Set([
  ...["schema", "items", "additionalItems", "additionalProperties", "unevaluatedItems", "unevaluatedProperties"],
  ...["not", "if", "then", "else", "contains", "propertyNames"],
]);
/** A free `components/schemas` key for a schema from another file: its own name, or its file's. */
function homeName(schemas: Record<string, unknown>, pointer: string, file: string): string {
  const last = pointerKeys(pointer).at(-1);
  const base = last || basename(file, extname(file));
  let name = base;
  for (let n = 2; Object.hasOwn(schemas, name); n++) name = `${base}_${n}`;
  return name;
}
