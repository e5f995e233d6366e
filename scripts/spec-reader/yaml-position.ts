import type JsYaml from "js-yaml";
import { pointerKeys } from "./json-pointer.js";
import { loadPeer } from "./peers.js";

/** One node as js-yaml composed it: where it starts, and what it held. */
interface Composed {
  start: number;
  /** Where it ends (where js-yaml stopped reading it). */
  end: number;
  kind: string | null;
  result: unknown;
  /**
   * A mapping's keys and values; a sequence's items. Not every key has a value nor every item a
   * node: js-yaml composes none for a key with nothing after it (`? a`, `{a}`) nor for an item
   * with nothing after its `-`.
   */
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
      const entry = entries(text, current).findLast(([name]) => String(name.result) === key);
      // Point at the key itself when its value has no node of its own.
      next = entry && (entry[1] ?? entry[0]);
    } else if (current?.kind === "sequence") {
      next = item(text, current, Number(key));
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
  const top: Composed = { start: 0, end: 0, kind: null, result: undefined, children: [] };
  const open = [top];
  try {
    // `json`: equal keys keep the last, as JSON.parse does, where js-yaml would throw.
    loadPeer<typeof JsYaml>("js-yaml").load(text, {
      json: true,
      listener(event, state) {
        if (event === "open") {
          const node: Composed = {
            start: state.position,
            end: state.position,
            kind: null,
            result: undefined,
            children: [],
          };
          open.at(-1)?.children.push(node);
          open.push(node);
        } else {
          const node = open.pop() as Composed;
          node.end = state.position;
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

/** A mapping's keys, each with its value's node when it has one: a key's value follows its `:`. */
function entries(text: string, mapping: Composed): [Composed, Composed | undefined][] {
  const pairs: [Composed, Composed | undefined][] = [];
  for (let at = 0; at < mapping.children.length; at += 1) {
    const name = mapping.children[at] as Composed;
    const value = mapping.children[at + 1];
    const hasValue = value !== undefined && text[contentStart(text, name.end)] === ":";
    pairs.push([name, hasValue ? value : undefined]);
    if (hasValue) at += 1;
  }
  return pairs;
}

/**
 * A sequence's item at `index`. When some item has no node (`-` and nothing, which only a block
 * sequence can hold), each `-` is read from the text: the node of an item is the next one that
 * starts where the content after its `-` does, and an empty item stands at its `-`.
 */
function item(text: string, sequence: Composed, index: number): Composed | undefined {
  const items = sequence.result;
  if (!Array.isArray(items) || sequence.children.length === items.length) return sequence.children[index];
  let cursor = sequence.start;
  let next = 0;
  for (let at = 0; at <= index && at < items.length; at += 1) {
    const dash = contentStart(text, cursor);
    const child = sequence.children[next];
    const own = child !== undefined && contentStart(text, child.start) === contentStart(text, dash + 1);
    if (at === index)
      return own ? child : { start: dash, end: dash + 1, kind: "indicator", result: null, children: [] };
    if (own) next += 1;
    cursor = own ? child.end : dash + 1;
  }
  return undefined;
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
