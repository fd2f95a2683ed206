import { lightStem } from './light-stem.js';
import { STOPWORDS } from './stopwords.js';

/** A word that carries meaning, where it is, and how it compares. */
export interface ContentTerm {
  /** Stem of the lower-case, accent-free word ("investments" → "invest"); for numbers, the canonical value. */
  key: string;
  /** The word as written. */
  text: string;
  start: number;
  end: number;
  kind: 'word' | 'number' | 'name';
}

// Words, and numbers with their separators and a trailing percent: "1,200.50", "3.5%", "2024" (see `tokenize`).
const MARKS = /\p{M}/gu;
const ASCII = /^[\x20-\x7e]*$/;
const UPPER_FIRST = /^\p{Lu}/u;
const NUMBER_WORDS: Record<string, string> = {
  zero: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', ten: '10',
  eleven: '11', twelve: '12', twenty: '20', thirty: '30', forty: '40', fifty: '50', hundred: '100', thousand: '1000',
  million: '1000000', billion: '1000000000', half: '0.5', percent: '%',
};

/**
 * Content terms of `text` in order: stopwords dropped, words stemmed, numbers reduced to their value ("1,200" and
 * "1200" meet; "five" is 5), and capitalised words that do not start a sentence marked as names, since a claim about
 * a person, place or product rests on them.
 */
export function contentTerms(text: string): readonly ContentTerm[] {
  // One guardrail check reads the same text with several policies (an answer's denied topics, then its grounding):
  // the last few results are kept, so that text is tokenised once.
  for (const [seen, terms] of recentTerms) if (seen === text) return terms;
  const terms = tokenize(text);
  recentTerms.unshift([text, terms]);
  if (recentTerms.length > RECENT) recentTerms.pop();
  return terms;
}

const RECENT = 4;
const recentTerms: Array<[string, readonly ContentTerm[]]> = [];

function tokenize(text: string): readonly ContentTerm[] {
  const out: ContentTerm[] = [];
  let sentenceStart = true;
  let last = 0;
  const term = (start: number, raw: string): void => {
    for (let i = last; i < start && !sentenceStart; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x2e || c === 0x21 || c === 0x3f || c === 0x3a || c === 0x0a) sentenceStart = true;
    }
    last = start + raw.length;
    const first = raw.codePointAt(0)!;
    if (first >= 0x30 && first <= 0x39) {
      out.push({ key: numberKey(raw), text: raw, start, end: start + raw.length, kind: 'number' });
      sentenceStart = false;
      return;
    }
    const wasSentenceStart = sentenceStart;
    sentenceStart = false;
    const w = wordKey(raw);
    if (w === SKIP) return;
    if (w.number) {
      out.push({ key: w.key, text: raw, start, end: start + raw.length, kind: 'number' });
      return;
    }
    const isName = !wasSentenceStart && w.long && UPPER_FIRST.test(raw);
    out.push({ key: w.key, text: raw, start, end: start + raw.length, kind: isName ? 'name' : 'word' });
  };
  // Cut by hand into exactly the tokens `\p{N}+(?:[.,]\p{N}+)*%?|[\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*` (/gu) matches:
  // a regex match object and iterator result per word were most of the cost, and of the garbage, of reading a text.
  const n = text.length;
  for (let i = 0; i < n; ) {
    const cp = text.codePointAt(i)!;
    let end: number;
    if (isNumberChar(cp)) {
      end = skipWhile(text, i, isNumberChar);
      for (;;) {
        const c = text.charCodeAt(end);
        if ((c === 0x2e || c === 0x2c) && end + 1 < n && isNumberChar(text.codePointAt(end + 1)!)) end = skipWhile(text, end + 1, isNumberChar);
        else break;
      }
      if (text.charCodeAt(end) === 0x25) end++;
    } else if (isWordChar(cp)) {
      end = skipWhile(text, i, isWordChar);
      for (;;) {
        const c = text.charCodeAt(end);
        if ((c === 0x27 || c === 0x2019 || c === 0x2d) && end + 1 < n && isWordChar(text.codePointAt(end + 1)!)) end = skipWhile(text, end + 1, isWordChar);
        else break;
      }
    } else {
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    term(i, text.slice(i, end));
    i = end;
  }
  return out;
}

const NUMBER_CHAR = /^\p{N}$/u;
const WORD_CHAR = /^[\p{L}\p{M}]$/u;
const isNumberChar = (cp: number): boolean => (cp < 0x80 ? cp >= 0x30 && cp <= 0x39 : NUMBER_CHAR.test(String.fromCodePoint(cp)));
const isWordChar = (cp: number): boolean =>
  cp < 0x80 ? (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a) : WORD_CHAR.test(String.fromCodePoint(cp));

/** The end of the run of code points from `i` that pass `test`. */
function skipWhile(text: string, i: number, test: (cp: number) => boolean): number {
  let at = i;
  while (at < text.length) {
    const cp = text.codePointAt(at)!;
    if (!test(cp)) break;
    at += cp > 0xffff ? 2 : 1;
  }
  return at;
}

interface WordKey {
  key: string;
  /** A number word ("five"): its value is the key. */
  number: boolean;
  /** Longer than one letter once possessives are cut, so a capital may mark a name. */
  long: boolean;
}
const SKIP: WordKey = { key: '', number: false, long: false };

/**
 * Word keys by the word as written. Stemming runs ~50 suffix tests and a few regexes per word, and the same words come
 * back in every text (the benchmark found this the largest cost of denied topics and grounding), so each written form
 * is worked out once. The cache is cleared when full, which bounds its memory whatever text is sent.
 */
const wordKeys = new Map<string, WordKey>();
const MAX_CACHED_WORDS = 50_000;

function wordKey(raw: string): WordKey {
  const cached = wordKeys.get(raw);
  if (cached !== undefined) return cached;
  const key = computeWordKey(raw);
  if (wordKeys.size >= MAX_CACHED_WORDS) wordKeys.clear();
  wordKeys.set(raw, key);
  return key;
}

function computeWordKey(raw: string): WordKey {
  const lower = ASCII.test(raw) ? raw.toLowerCase() : raw.toLowerCase().normalize('NFKD').replace(MARKS, '').replace(/’/g, "'");
  // Possessives and contractions: "Apple's" is Apple, "I'd" is I, "don't" is do(n).
  const word = lower.replace(/'(s|d|ll|m|re|ve|t)$/, '');
  const number = NUMBER_WORDS[word];
  if (number !== undefined && number !== '%') return { key: number, number: true, long: word.length > 1 };
  if (STOPWORDS.has(word) || word.length < 2) return SKIP;
  return { key: word.split(/['-]/).map(lightStem).join('-'), number: false, long: true };
}

/** "1,200.50" → "1200.5", "3.5%" → "3.5%", "007" → "7": numbers written differently compare equal. */
function numberKey(raw: string): string {
  const percent = raw.endsWith('%');
  let digits = percent ? raw.slice(0, -1) : raw;
  // A comma followed by exactly three digits groups thousands; otherwise it is a decimal comma.
  digits = /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(digits) ? digits.replace(/,/g, '') : digits.replace(',', '.');
  const value = Number(digits);
  const key = Number.isFinite(value) ? String(value) : digits;
  return percent ? `${key}%` : key;
}
