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
const ASCII_WORD = /^[A-Za-z'-]+$/;
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
    const ascii = ASCII_WORD.test(word);
    const key = ascii ? word.toLowerCase() : foldKey(word);
    out.push({ text: word, start, end: start + word.length, key, possessive, shape: shapeOf(word, key, ascii) });
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

function shapeOf(word: string, key: string, ascii: boolean): WordToken['shape'] {
  if (ascii) {
    const first = word.charCodeAt(0);
    const upperFirst = first >= 65 && first <= 90;
    if (word === key) return 'lower';
    if (!upperFirst) return 'other';
    if (word.length === 1) return 'title';
    return word === word.toUpperCase() ? 'upper' : 'title';
  }
  if (!UPPER_FIRST.test(word)) return HAS_UPPER.test(word) ? 'other' : 'lower';
  return word.length === 1 || HAS_LOWER.test(word) ? 'title' : 'upper';
}
