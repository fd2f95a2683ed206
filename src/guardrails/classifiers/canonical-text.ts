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
  // Each replacement below runs only where a quick scan finds what it needs; a global replace with a callback costs a
  // call per match, and most tokens hold no leetspeak. The results are the same as running every one.
  if (LEET_CANDIDATE.test(text)) text = text.replace(TOKEN_WITH_LEET_CHAR, readLeetToken);
  if (maybeSpelledOut(text)) text = text.replace(SPELLED_OUT, (run) => run.replace(SEPARATORS, ''));
  if (maybeRepeatedLetter(text)) text = text.replace(REPEATED_LETTER, '$1$1');
  return (hasOddWhitespace(text) ? collapseWhitespace(text) : text).trim();
}

/**
 * Whether collapsing whitespace would change anything: a whitespace character other than a space, or two spaces in a
 * row. Most text has neither, and replacing every single space by itself still builds a new string.
 */
function hasOddWhitespace(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20) {
      if (text.charCodeAt(i + 1) === 0x20) return true;
    } else if ((c >= 0x09 && c <= 0x0d) || (c >= 0x80 && ODD_SPACE.test(text[i]!))) return true;
  }
  return false;
}

const ODD_SPACE = /\s/;

/**
 * `text.replace(/\s+/g, ' ')`, copying only around the runs that change (a run other than one space): a text has a
 * few line breaks and hundreds of single spaces, and the regex replace rebuilt it from every match.
 */
function collapseWhitespace(text: string): string {
  let out = '';
  let copied = 0;
  const n = text.length;
  for (let i = 0; i < n; ) {
    if (!isSpaceAt(text, i)) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < n && isSpaceAt(text, end)) end++;
    if (end - i > 1 || text.charCodeAt(i) !== 0x20) {
      out += `${text.slice(copied, i)} `;
      copied = end;
    }
    i = end;
  }
  return out + text.slice(copied);
}

/** Whether the UTF-16 unit at `i` is what `\s` matches. */
function isSpaceAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c < 0x80 ? c === 0x20 || (c >= 0x09 && c <= 0x0d) : ODD_SPACE.test(text[i]!);
}

/**
 * A run of non-space holding a leetspeak character. `\S*[a-z]\S*` (a token with a letter) matches whole runs of
 * non-space, and so does this; a run without a leetspeak character is left as it is by `readLeet`, so only runs with
 * one need the call.
 */
const TOKEN_WITH_LEET_CHAR = /\S*[013457@$!|+]\S*/g;
const LOWER_LETTER = /[a-z]/;
const readLeetToken = (token: string): string => (LOWER_LETTER.test(token) ? readLeet(token) : token);

const SEPARATOR_CODES = new Set([0x20, 0x2e, 0x2d, 0x5f, 0x2a]);
const isAsciiLetterOrDigit = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);

/**
 * False only when `SPELLED_OUT` cannot match: it needs one letter (one or two UTF-16 units) not preceded by a letter or
 * digit, a separator, one letter and the same separator again. Characters beyond ASCII are assumed to be letters.
 */
function maybeSpelledOut(text: string): boolean {
  for (let j = 1; j + 2 < text.length; j++) {
    const s = text.charCodeAt(j);
    if (!SEPARATOR_CODES.has(s) || (text.charCodeAt(j + 2) !== s && text.charCodeAt(j + 3) !== s)) continue;
    let k = j - 1;
    const before = text.charCodeAt(k);
    if (before >= 0xdc00 && before <= 0xdfff) k--;
    else if (before < 0x80 && !isAsciiLetterOrDigit(before)) continue;
    if (k === 0) return true;
    const previous = text.charCodeAt(k - 1);
    if (previous >= 0x80 || !isAsciiLetterOrDigit(previous)) return true;
  }
  return false;
}

/**
 * False only when `REPEATED_LETTER` cannot match: three equal UTF-16 units in a row, or any surrogate (a letter beyond
 * the BMP repeated is two units a time).
 */
function maybeRepeatedLetter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return true;
    if (i + 2 < text.length && text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c) return true;
  }
  return false;
}

const URL = /\b(?:https?:\/\/|www\.)\S+/g;
const MENTION = /(^|[^\w@])@\w{4,}/g;
const REPEATED_LETTER = /(\p{L})\1{2,}/gu;
const SPELLED_OUT = /(?<![\p{L}\p{N}])\p{L}(?:([ .\-_*])\p{L})(?:\1\p{L})+(?![\p{L}\p{N}])/gu;
const SEPARATORS = /[ .\-_*]/g;
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
