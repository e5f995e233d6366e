import type JsYaml from "js-yaml";
import { pointerKeys } from "./json-pointer.js";
import { loadPeer } from "./peers.js";

/** One node as js-yaml composed it: where it starts, and what it held. */
interface Composed {
  start: number;
  kind: string | null;
  result: unknown;
  /** A mapping's keys and values, alternating; a sequence's items. */
  children: Composed[];
}

/**
 * Line and column of the node at `pointer` in a YAML or JSON text, for a
 * message that points there; `{}` when the text does not parse. Positions are
 * only needed for an error, so the fast parse that reads every spec keeps
 * none: this parses again, with js-yaml's listener recording where each node
 * starts. A pointer that leaves the text (through an alias, say) points at
 * the last node on its way.
 */
export function positionOf(text: string, pointer: string): { line?: number; column?: number } {
  const root = composedTree(text);
  let found = root;
  let current = root;
  for (const key of pointerKeys(pointer)) {
    let next: Composed | undefined;
    if (current?.kind === "mapping") {
      // The last of equal keys, as JSON.parse keeps.
      const at = current.children.findLastIndex((child, index) => index % 2 === 0 && String(child.result) === key);
      // Point at the key itself when its value has no node of its own.
      next = at < 0 ? undefined : (current.children[at + 1] ?? current.children[at]);
    } else if (current?.kind === "sequence") {
      next = current.children[Number(key)];
    }
    current = unwrapped(next);
    if (!current) break;
    found = current;
  }
  if (!found) return {};
  // An empty node (`key:` and nothing) has no content to skip to: it stands where it starts.
  const offset = found.kind === null && found.result === null ? found.start : contentStart(text, found.start);
  const lines = text.slice(0, offset).split("\n");
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/** The document's root node, or undefined when the text does not parse. */
function composedTree(text: string): Composed | undefined {
  const top: Composed = { start: 0, kind: null, result: undefined, children: [] };
  const open = [top];
  try {
    // `json`: equal keys keep the last, as JSON.parse does, where js-yaml would throw.
    loadPeer<typeof JsYaml>("js-yaml").load(text, {
      json: true,
      listener(event, state) {
        if (event === "open") {
          const node: Composed = { start: state.position, kind: null, result: undefined, children: [] };
          open.at(-1)?.children.push(node);
          open.push(node);
        } else {
          const node = open.pop() as Composed;
          node.kind = state.kind;
          node.result = state.result;
        }
      },
    });
  } catch {
    // A JSON file is read by JSON.parse, which accepts a little that js-yaml does not.
    return undefined;
  }
  return unwrapped(top.children[0]);
}

/**
 * The node itself, past the wrappers js-yaml leaves around it: a node in
 * block context is first tried as a mapping's implicit key, which composes
 * it one level down and keeps that result.
 */
function unwrapped(node: Composed | undefined): Composed | undefined {
  let current = node;
  while (current?.children.length === 1 && Object.is(current.children[0]?.result, current.result)) {
    current = current.children[0];
  }
  return current;
}

/** Where a node's content begins: past the space, comments, anchor and tag before it. */
function contentStart(text: string, from: number): number {
  let at = from;
  for (;;) {
    const char = text[at];
    if (char === " " || char === "\t" || char === "\r" || char === "\n") at += 1;
    else if (char === "#") at = lineEnd(text, at);
    else if (char === "&" || char === "!") {
      PROPERTY.lastIndex = at;
      PROPERTY.exec(text);
      at = PROPERTY.lastIndex;
    } else return at;
  }
}

/** An anchor (`&name`) or a tag (`!name`), read from `lastIndex`. */
const PROPERTY = /[&!]\S*/y;

function lineEnd(text: string, from: number): number {
  const end = text.indexOf("\n", from);
  return end < 0 ? text.length : end;
}
