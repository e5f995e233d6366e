import { isRecord, type KeyPath, pointerOf } from "./spec-reader/json-pointer.js";

/**
 * Whether a regular expression can backtrack catastrophically: a group
 * repeated without bound (`*`, `+`, `{n,}`) whose body repeats without bound
 * too, with nothing that must match a character the inner repetition cannot
 * (`^(a+)+$`, `(\w+\s?)*`). On a long string that fails, the engine tries
 * every way of sharing the characters among the repetitions: exponential
 * time, in the validator a page's request goes through. A separator the inner
 * part cannot match (`(?:\.[^.]+)+`) splits the input one way only, so it is
 * not reported. A heuristic: it finds the nested-repetition kind, not every
 * slow pattern.
 */
export function backtracksCatastrophically(pattern: string): boolean {
  let parsed: Sequence[];
  try {
    parsed = new Parser(pattern).alternatives();
  } catch {
    // Not a pattern this reads (Ajv reports patterns it cannot compile itself).
    return false;
  }
  return parsed.some(hasNestedRepetition);
}

/** `{ pointer, pattern }` for every `pattern` keyword in the document that backtracks catastrophically. */
export function backtrackingPatterns(document: unknown): { pointer: string; pattern: string }[] {
  const found: { pointer: string; pattern: string }[] = [];
  // A spec repeats its patterns (an id's, a currency's) hundreds of times: each is judged once.
  const verdicts = new Map<string, boolean>();
  const keys: KeyPath = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        keys.push(index);
        visit(item);
        keys.pop();
      });
      return;
    }
    if (!isRecord(value)) return;
    for (const key of Object.keys(value)) {
      // Examples and extensions are data, not schemas.
      if (key === "example" || key === "examples" || key.startsWith("x-")) continue;
      const child = value[key];
      keys.push(key);
      if (key === "pattern" && typeof child === "string") {
        let backtracks = verdicts.get(child);
        if (backtracks === undefined) verdicts.set(child, (backtracks = backtracksCatastrophically(child)));
        if (backtracks) found.push({ pointer: pointerOf(keys), pattern: child });
      } else {
        visit(child);
      }
      keys.pop();
    }
  };
  visit(document);
  return found;
}

/** One item of a sequence: a character (set) or a group, repeated `min` to `max` times. */
interface Item {
  /** A regular expression source matching one character, for an atom; undefined for a group or an assertion. */
  atom?: string;
  group?: Sequence[];
  min: number;
  max: number;
}
type Sequence = Item[];

class Parser {
  #at = 0;
  constructor(readonly source: string) {}

  alternatives(): Sequence[] {
    const result: Sequence[] = [this.sequence()];
    while (this.source[this.#at] === "|") {
      this.#at++;
      result.push(this.sequence());
    }
    return result;
  }

  sequence(): Sequence {
    const items: Sequence = [];
    while (this.#at < this.source.length && this.source[this.#at] !== "|" && this.source[this.#at] !== ")") {
      const item = this.item();
      this.quantifier(item);
      items.push(item);
    }
    return items;
  }

  item(): Item {
    const s = this.source;
    const char = s[this.#at++] as string;
    if (char === "(") {
      const lookaround = /^\?<?[=!]/.exec(s.slice(this.#at));
      const prefix = lookaround?.[0] ?? /^\?(?::|<[^>]+>)/.exec(s.slice(this.#at))?.[0] ?? "";
      this.#at += prefix.length;
      const group = this.alternatives();
      if (s[this.#at++] !== ")") throw new Error("unclosed group");
      // An assertion consumes nothing: no repetition inside it shares characters with others.
      return lookaround ? { min: 0, max: 0 } : { group, min: 1, max: 1 };
    }
    if (char === "[") {
      const end = /^\^?\]?(?:\\.|[^\]\\])*\]/s.exec(s.slice(this.#at));
      if (!end) throw new Error("unclosed class");
      this.#at += end[0].length;
      return { atom: `[${end[0]}`, min: 1, max: 1 };
    }
    if (char === "\\") {
      const escaped = /^(?:u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|c[A-Za-z]|[pP]\{[^}]*\}|.)/s.exec(
        s.slice(this.#at),
      )?.[0];
      if (escaped === undefined) throw new Error("trailing backslash");
      this.#at += escaped.length;
      if (escaped === "b" || escaped === "B") return { min: 0, max: 0 };
      // A back-reference may match anything.
      return { atom: /^[1-9]$/.test(escaped) ? "[^]" : `\\${escaped}`, min: 1, max: 1 };
    }
    if (char === "^" || char === "$") return { min: 0, max: 0 };
    if (char === ".") return { atom: ".", min: 1, max: 1 };
    return { atom: char.replace(/[.*+?^${}()|[\]\\/]/, "\\$&"), min: 1, max: 1 };
  }

  quantifier(item: Item): void {
    const match = /^(?:([*+?])|\{(\d+)(?:(,)(\d*))?\})\??/.exec(this.source.slice(this.#at));
    if (!match) return;
    this.#at += match[0].length;
    const [, symbol, low, comma, high] = match;
    if (item.max === 0) return;
    if (symbol) {
      item.min = symbol === "+" ? 1 : 0;
      item.max = symbol === "?" ? 1 : Number.POSITIVE_INFINITY;
      return;
    }
    item.min = Number(low);
    item.max = comma === undefined ? Number(low) : high === "" ? Number.POSITIVE_INFINITY : Number(high);
  }
}

function hasNestedRepetition(sequence: Sequence): boolean {
  return sequence.some((item) => {
    if (!item.group) return false;
    if (item.max === Number.POSITIVE_INFINITY && item.group.some(isAmbiguous)) return true;
    return item.group.some(hasNestedRepetition);
  });
}

/**
 * Whether a repeated body can split one string among its repetitions in more
 * than one way: it repeats without bound inside, and nothing in it must match
 * a character that every inner repetition refuses.
 */
function isAmbiguous(sequence: Sequence): boolean {
  const repeated = sequence.flatMap((item) => repeatedAtoms(item, false));
  if (repeated.length === 0) return false;
  const separators = sequence.filter(
    (item) => item.atom !== undefined && item.min >= 1 && item.max !== Number.POSITIVE_INFINITY,
  );
  return !separators.some((separator) => repeated.every((atom) => disjoint(separator.atom as string, atom)));
}

/** The atoms in `item` that repeat without bound, inside it or with it. */
function repeatedAtoms(item: Item, outerUnbounded: boolean): string[] {
  const unbounded = outerUnbounded || item.max === Number.POSITIVE_INFINITY;
  if (item.atom !== undefined) return unbounded ? [item.atom] : [];
  return (item.group ?? []).flat().flatMap((inner) => repeatedAtoms(inner, unbounded));
}

/** Characters to compare atoms on: ASCII, Latin-1 and a few beyond, which the atoms of real specs speak of. */
const SAMPLE = [...Array.from({ length: 0x180 }, (_, i) => String.fromCharCode(i)), "\u2028", "\u3000", "é", "😀"];

function disjoint(a: string, b: string): boolean {
  const [x, y] = [atomTest(a), atomTest(b)];
  return !SAMPLE.some((char) => x(char) && y(char));
}

function atomTest(atom: string): (char: string) => boolean {
  let regexp: RegExp;
  try {
    regexp = new RegExp(`^(?:${atom})$`, "u");
  } catch {
    try {
      regexp = new RegExp(`^(?:${atom})$`);
    } catch {
      return () => true;
    }
  }
  return (char) => regexp.test(char);
}
