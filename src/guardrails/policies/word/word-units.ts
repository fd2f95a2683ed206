import { CharKind, foldCodePoint, LEET_READINGS } from '../text/fold-code-point.js';

/**
 * What separates two neighbouring units of the letter stream, weakest first. Matching may begin or end at any gap but
 * `Joined` (that is the word boundary that keeps "Scunthorpe" clean); it may run across `Joined`, `LeetSoft` and `Soft`
 * freely ("f.u.c.k", "sh!t"), and across `Space` only where the configured phrase has a space too, or between two
 * letters standing alone ("b a d w o r d").
 */
export const Gap = {
  /** Adjacent letters, possibly with invisible characters between them. */
  Joined: 0,
  /** Beside a symbol read as a letter ("@john" may still match "john"). */
  LeetSoft: 1,
  /** Punctuation between, or a letter of a script written without spaces. */
  Soft: 2,
  Space: 3,
} as const;
export type Gap = (typeof Gap)[keyof typeof Gap];

export const MAX_READINGS = 6;

/**
 * The text as a stream of units, each one folded character with up to six readings (a leetspeak "1" reads as i, l
 * or 1; a masking "*" as any vowel) and the span of original UTF-16 text it came from. Punctuation and spaces are not units; they only decide
 * the gaps. Struct-of-arrays because a word filter folds every request and objects per character were its garbage.
 */
export interface WordUnits {
  count: number;
  start: Int32Array;
  end: Int32Array;
  /** `MAX_READINGS` code points per unit, the unused ones -1; the first is the reading a configured word uses. */
  readings: Int32Array;
  /** `gap[k]` separates unit k-1 from unit k; `gap[0]` and `gap[count]` are the edges of the span (always `Space`). */
  gap: Uint8Array;
}

/** Leetspeak symbols that may stand at the edge of a word ("$hit", "a$$"); the others need letters on both sides. */
const EDGE_LEET = new Set(['@', '$', '€', '§', '¢']);
const MARK = /^\p{M}$/u;

/**
 * Folds `text.slice(from, to)` into units. In `pattern` mode every unit keeps only its first reading, so a configured
 * word is one path through the matcher's trie; in `text` mode the readings branch.
 */
export function wordUnits(text: string, from = 0, to = text.length, mode: 'text' | 'pattern' = 'text'): WordUnits {
  const raw = collectRaw(text, from, to);
  const out = new UnitBuffer(raw.count);
  let pending: Gap = Gap.Space;
  let previousKind: CharKind = CharKind.Space;
  let i = 0;
  while (i < raw.count) {
    if (raw.kind[i] === CharKind.Space) {
      pending = Gap.Space;
      previousKind = CharKind.Space;
      i++;
      continue;
    }
    let tokenEnd = i;
    let hasLetter = false;
    let firstWordy = -1;
    let lastWordy = -1;
    while (tokenEnd < raw.count && raw.kind[tokenEnd] !== CharKind.Space) {
      const kind = raw.kind[tokenEnd];
      if (kind === CharKind.Letter) hasLetter = true;
      if (kind === CharKind.Letter || kind === CharKind.Digit) {
        if (firstWordy < 0) firstWordy = tokenEnd;
        lastWordy = tokenEnd;
      }
      tokenEnd++;
    }
    let previousEdgeLeet = false;
    for (let k = i; k < tokenEnd; k++) {
      let kind = raw.kind[k] as CharKind;
      const ch = String.fromCodePoint(raw.char[k]!);
      if (kind === CharKind.LeetSymbol && !(hasLetter && leetInside(raw.kind, k, i, tokenEnd, ch))) {
        kind = CharKind.Punctuation;
      }
      if (kind === CharKind.Punctuation) {
        if (pending < Gap.Soft) pending = Gap.Soft;
        continue;
      }
      let gap: Gap = pending;
      if (kind === CharKind.Standalone || previousKind === CharKind.Standalone) gap = Math.max(gap, Gap.Soft) as Gap;
      // A leet symbol leading or ending a word ("@john", "us$") may or may not be part of it, so a match may begin or
      // end beside it; one inside a word ("a$$hole") is a letter like any other. Between two leet symbols ("$$") the
      // gap is a plain join, so the pair can count as a doubled letter.
      const edgeLeet = kind === CharKind.LeetSymbol && (k < firstWordy || k > lastWordy);
      if ((edgeLeet || previousEdgeLeet) && !(kind === CharKind.LeetSymbol && previousKind === CharKind.LeetSymbol)) {
        gap = Math.max(gap, Gap.LeetSoft) as Gap;
      }
      previousEdgeLeet = edgeLeet;
      const at = out.push(raw.start[k]!, raw.end[k]!, gap);
      const readings = out.readings;
      const base = at * MAX_READINGS;
      if (kind === CharKind.Digit || kind === CharKind.LeetSymbol) {
        const leet = kind === CharKind.LeetSymbol || hasLetter ? LEET_READINGS[ch] : undefined;
        if (leet === undefined) readings[base] = raw.char[k]!;
        else if (mode === 'pattern') readings[base] = (ch === '*' ? ch : leet[0]!).charCodeAt(0);
        else {
          let r = 0;
          for (const l of leet) readings[base + r++] = l.charCodeAt(0);
          if (kind === CharKind.Digit) readings[base + r] = raw.char[k]!;
        }
      } else readings[base] = raw.char[k]!;
      pending = Gap.Joined;
      previousKind = kind;
    }
    i = tokenEnd;
  }
  return out.finish();
}

function leetInside(kinds: Uint8Array, k: number, tokenStart: number, tokenEnd: number, ch: string): boolean {
  const wordy = (j: number) =>
    j >= tokenStart &&
    j < tokenEnd &&
    (kinds[j] === CharKind.Letter || kinds[j] === CharKind.Digit || kinds[j] === CharKind.LeetSymbol);
  const before = wordy(k - 1);
  const after = wordy(k + 1);
  return EDGE_LEET.has(ch) ? before || after : before && after;
}

interface RawUnits {
  count: number;
  kind: Uint8Array;
  char: Int32Array;
  start: Int32Array;
  end: Int32Array;
}

/** One entry per folded character (spaces collapsed, invisible characters dropped), before leet readings are decided. */
function collectRaw(text: string, from: number, to: number): RawUnits {
  let capacity = to - from + 16;
  let kind = new Uint8Array(capacity);
  let char = new Int32Array(capacity);
  let start = new Int32Array(capacity);
  let end = new Int32Array(capacity);
  let count = 0;
  const push = (k: CharKind, c: number, s: number, e: number) => {
    if (k === CharKind.Space && count > 0 && kind[count - 1] === CharKind.Space) return;
    if (count === capacity) {
      capacity *= 2;
      kind = grow(kind, capacity);
      char = grow(char, capacity);
      start = grow(start, capacity);
      end = grow(end, capacity);
    }
    kind[count] = k;
    char[count] = c;
    start[count] = s;
    end[count] = e;
    count++;
  };
  for (let i = from; i < to; ) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const ch = width === 1 ? text[i]! : text.slice(i, i + 2);
    const folded = foldCodePoint(cp, ch);
    // A combining mark belongs to the character before it, so a match's span takes in the marks on its last letter.
    if (folded.chars.length === 0 && count > 0 && end[count - 1] === i && MARK.test(ch)) end[count - 1] = i + width;
    for (let j = 0; j < folded.chars.length; j++) {
      push(folded.kinds[j]!, folded.chars[j]!.codePointAt(0)!, i, i + width);
    }
    i += width;
  }
  return { count, kind, char, start, end };
}

function grow<T extends Uint8Array | Int32Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

class UnitBuffer {
  count = 0;
  start: Int32Array;
  end: Int32Array;
  readings: Int32Array;
  gap: Uint8Array;

  constructor(capacity: number) {
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.readings = new Int32Array(capacity * MAX_READINGS).fill(-1);
    this.gap = new Uint8Array(capacity + 1);
  }

  push(start: number, end: number, gap: Gap): number {
    const at = this.count++;
    this.start[at] = start;
    this.end[at] = end;
    this.gap[at] = gap;
    return at;
  }

  finish(): WordUnits {
    this.gap[this.count] = Gap.Space;
    return { count: this.count, start: this.start, end: this.end, readings: this.readings, gap: this.gap };
  }
}
