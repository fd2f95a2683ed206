import { foldKey } from './lexicon/compromise-lexicon.js';

export interface WordToken {
  /** The word as written, without a trailing possessive "'s". */
  text: string;
  start: number;
  end: number;
  /** Lower-case, accent-free form for lexicon lookups. */
  key: string;
  possessive: boolean;
  /** "Title" (Jane, McDowell, a single capital), "upper" (NASA), "lower" (jane) or "other" (iPhone). */
  shape: 'title' | 'upper' | 'lower' | 'other';
}

const LETTER_OR_MARK = /^[\p{L}\p{M}]$/u;
const LETTER = /^\p{L}$/u;
const UPPER_FIRST = /^[\p{Lu}\p{Lt}]/u;
const HAS_LOWER = /\p{Ll}/u;
const HAS_UPPER = /\p{Lu}/u;

/**
 * Words: runs of letters and combining marks, with inner apostrophes or hyphens ("O'Brien", "Hauta-aho"). A hand
 * scan rather than a regex: the name recognizer tokenises every text, and match objects were most of its garbage.
 */
export function wordTokens(text: string): WordToken[] {
  const out: WordToken[] = [];
  let i = 0;
  while (i < text.length) {
    const width = letterAt(text, i, true);
    if (width === 0) {
      i += text.charCodeAt(i) >= 0xd800 && text.charCodeAt(i) <= 0xdbff ? 2 : 1;
      continue;
    }
    const start = i;
    i += width;
    for (;;) {
      const w = letterAt(text, i, true);
      if (w > 0) i += w;
      else if ((text[i] === "'" || text[i] === '’' || text[i] === '-') && letterAt(text, i + 1, false) > 0) i++;
      else break;
    }
    let word = text.slice(start, i);
    let possessive = false;
    const last = word.charCodeAt(word.length - 1);
    if (
      (last === 115 || last === 83) &&
      word.length > 2 &&
      (word[word.length - 2] === "'" || word[word.length - 2] === '’')
    ) {
      word = word.slice(0, -2);
      possessive = true;
    }
    let ascii = true;
    let upper = 0;
    let lower = 0;
    for (let k = 0; k < word.length; k++) {
      const c = word.charCodeAt(k);
      if (c >= 0x61 && c <= 0x7a) lower++;
      else if (c >= 0x41 && c <= 0x5a) upper++;
      else if (c !== 0x27 && c !== 0x2d) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      // A word of ASCII letters, apostrophes and hyphens: lower-cased only when it has a capital, and shaped from the
      // counts (a regex test, a lower- and an upper-case copy per word were most of the tokenizer's cost).
      const key = upper === 0 ? word : word.toLowerCase();
      const first = word.charCodeAt(0);
      const shape = upper === 0 ? 'lower' : !(first >= 65 && first <= 90) ? 'other' : word.length === 1 || lower > 0 ? 'title' : 'upper';
      out.push({ text: word, start, end: start + word.length, key, possessive, shape });
      continue;
    }
    const key = foldKey(word);
    out.push({ text: word, start, end: start + word.length, key, possessive, shape: shapeOf(word) });
  }
  return out;
}

/** UTF-16 width of the letter (or, with `marks`, combining mark) at `i`; 0 when there is none. */
function letterAt(text: string, i: number, marks: boolean): number {
  if (i >= text.length) return 0;
  const c = text.charCodeAt(i);
  if (c < 0x80) return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : 0;
  const cp = text.codePointAt(i)!;
  const ch = String.fromCodePoint(cp);
  return (marks ? LETTER_OR_MARK : LETTER).test(ch) ? ch.length : 0;
}

/** The shape of a word beyond ASCII (ASCII words are shaped as they are read, in `wordTokens`). */
function shapeOf(word: string): WordToken['shape'] {
  if (!UPPER_FIRST.test(word)) return HAS_UPPER.test(word) ? 'other' : 'lower';
  return word.length === 1 || HAS_LOWER.test(word) ? 'title' : 'upper';
}
