/**
 * The second step of reading text for classification, on `foldUnicode`'s output: the spelling-independent form that
 * the feature extractor sees, both when training and when classifying.
 *
 * - lower case; runs of whitespace become one space;
 * - a URL becomes the token `http`, an @-mention of four or more characters `usermention` (the training tweets are
 *   full of both, and their particular values say nothing about the category);
 * - leetspeak inside words: `k1ll`, `h4ck3r`, `@ss`, `sh!t`, `a$$` read as `kill`, `hacker`, `ass`, `shit`, `ass`. A
 *   digit or symbol is read as a letter only next to a letter (or a symbol already read as one), so `2024`, `1st`,
 *   `90s` and `hello!` stay as they are;
 * - letters spelled out one by one with one separator, `k i l l`, `k.i.l.l`, `k-i-l-l`, are joined into a word;
 * - a letter repeated three or more times is cut to two (`soooo` → `soo`).
 */
export function canonicalText(folded: string): string {
  let text = folded.toLowerCase();
  if (text.includes('http') || text.includes('www.')) text = text.replace(URL, 'http');
  if (text.includes('@')) text = text.replace(MENTION, '$1usermention');
  text = text.replace(TOKEN_WITH_LEET, readLeet);
  text = text.replace(SPELLED_OUT, (run) => run.replace(SEPARATORS, ''));
  return text.replace(REPEATED_LETTER, '$1$1').replace(WHITESPACE, ' ').trim();
}

const URL = /\b(?:https?:\/\/|www\.)\S+/g;
const MENTION = /(^|[^\w@])@\w{4,}/g;
const WHITESPACE = /\s+/g;
const REPEATED_LETTER = /(\p{L})\1{2,}/gu;
const SPELLED_OUT = /(?<![\p{L}\p{N}])\p{L}(?:([ .\-_*])\p{L})(?:\1\p{L})+(?![\p{L}\p{N}])/gu;
const SEPARATORS = /[ .\-_*]/g;
/** A token holding a letter and at least one character that leetspeak uses for a letter. */
const TOKEN_WITH_LEET = /\S*[a-z]\S*/g;
const LEET_CANDIDATE = /[013457@$!|+]/;
/** A number, bare, as an ordinal or with a unit suffix (1st, 22nd, 90s, 5pm, 10k, 3d, 4kg): never leetspeak. */
const NUMBER_LIKE =
  /^[^a-z0-9]*[0-9][0-9.,:%-]*(?:s|am|pm|k|m|g|b|d|h|x|kg|km|cm|mm|ml|mb|gb|kb|tb|px|hz|yo)?[^a-z0-9]*$|^[^a-z0-9]*[0-9]*(?:1st|2nd|3rd|[0-9]th)[^a-z0-9]*$/;

const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'l',
  '+': 't',
};
/** Symbols that are also ordinary punctuation count as a letter only between two letters. */
const BETWEEN_ONLY = new Set(['!', '|', '+']);

function readLeet(token: string): string {
  if (!LEET_CANDIDATE.test(token) || NUMBER_LIKE.test(token)) return token;
  const chars = [...token];
  const letter = chars.map((c) => c >= 'a' && c <= 'z');
  // Two sweeps so that a run of symbols next to a letter is read from either side (a$$, $$a).
  for (let pass = 0; pass < 2; pass++) {
    for (let step = 0; step < chars.length; step++) {
      const k = pass === 0 ? step : chars.length - 1 - step;
      const c = chars[k]!;
      const as = LEET[c];
      if (as === undefined || letter[k]) continue;
      const before = k > 0 && letter[k - 1]!;
      const after = k + 1 < chars.length && letter[k + 1]!;
      if (BETWEEN_ONLY.has(c) ? before && after : before || after) {
        chars[k] = as;
        letter[k] = true;
      }
    }
  }
  return chars.join('');
}
