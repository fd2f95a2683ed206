import { foldKey } from './lexicon/compromise-lexicon.js';

export interface WordToken {
  /** The word as written, without a trailing possessive "'s". */
  text: string;
  start: number;
  end: number;
  /** Lower-case, accent-free form for lexicon lookups. */
  key: string;
  possessive: boolean;
}

// Letters with inner apostrophes or hyphens ("O'Brien", "Hauta-aho"); a linear scan, one match per word.
const WORD = /[\p{L}\p{M}](?:[\p{L}\p{M}]|['’-](?=[\p{L}]))*/gu;
const ASCII_WORD = /^[A-Za-z'-]+$/;

export function wordTokens(text: string): WordToken[] {
  const out: WordToken[] = [];
  for (const m of text.matchAll(WORD)) {
    let word = m[0];
    let possessive = false;
    if (/['’]s$/i.test(word) && word.length > 2) {
      word = word.slice(0, -2);
      possessive = true;
    }
    const key = ASCII_WORD.test(word) ? word.toLowerCase() : foldKey(word);
    out.push({ text: word, start: m.index, end: m.index + word.length, key, possessive });
  }
  return out;
}
