/**
 * What recognizers read instead of the raw text: zero-width and other invisible format characters removed, every code
 * point NFKC-folded (full-width digits and letters, ligatures, circled digits), Unicode dashes and spaces made ASCII,
 * and Cyrillic/Greek look-alikes replaced by Latin letters inside tokens that also hold Latin letters or digits (the
 * mixed-script spoof; an all-Cyrillic word is left alone). `toOriginal` maps a span back onto the text as given.
 */
export interface NormalizedText {
  text: string;
  /** The original UTF-16 span covering normalised `[start, end)`, `end > start`. */
  toOriginal(start: number, end: number): [number, number];
}

// Invisible characters that split a token without changing how it reads: every format character (zero-width space
// and joiners, word joiner, BOM, soft hyphen, bidi embeddings and isolates), plus the combining grapheme joiner,
// Hangul fillers, Khmer inherent vowels and Mongolian variation selectors, which render as nothing too.
const FORMAT = /\p{Cf}/u;
const ALSO_INVISIBLE = new Set([0x034f, 0x115f, 0x1160, 0x17b4, 0x17b5, 0x180b, 0x180c, 0x180d, 0x180f, 0x3164, 0xffa0]);
const DASH = /\p{Pd}/u;
const SPACE = /\p{Zs}/u;

/** Letters in Cyrillic, Greek and a few IPA/Latin-extended blocks that render like ASCII letters. */
const CONFUSABLE_FROM = 'авекмнорстухѕіјԁԛԝһӏАВЕКМНОРСТХУЅІЈԀҮοανρτυικχΑΒΕΖΗΙΚΜΝΟΡΤΥΧɡɑıȷℓ';
const CONFUSABLE_TO = 'aBekMHopcTyxsijdqwhlABEKMHOPCTXYSIJDYoavptuikxABEZHIKMNOPTYXgaijl';
const CONFUSABLES: ReadonlyMap<string, string> = new Map([...CONFUSABLE_FROM].map((ch, i) => [ch, CONFUSABLE_TO[i]!]));
const identity = (original: string): NormalizedText => ({ text: original, toOriginal: (start, end) => [start, end] });

export function normalizeForDetection(original: string): NormalizedText {
  // Most text is ASCII or holds only characters that fold to themselves (accented letters, CJK): answer it without
  // building the offset map, which costs far more than the scan.
  if (!needsFolding(original)) return identity(original);
  const parts: string[] = [];
  // For each normalised UTF-16 unit: where its source code point starts and ends in the original.
  let from = new Int32Array(original.length + 16);
  let to = new Int32Array(original.length + 16);
  let length = 0;
  let spoofable = false;
  const append = (unit: string, start: number, end: number) => {
    if (length === from.length) {
      const grownFrom = new Int32Array(from.length * 2);
      const grownTo = new Int32Array(to.length * 2);
      grownFrom.set(from);
      grownTo.set(to);
      from = grownFrom;
      to = grownTo;
    }
    parts.push(unit);
    from[length] = start;
    to[length] = end;
    length++;
  };
  for (let i = 0; i < original.length; ) {
    if (original.charCodeAt(i) < 0x80) {
      append(original[i]!, i, i + 1);
      i++;
      continue;
    }
    const cp = original.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const folded = fold(original.slice(i, i + width), cp);
    for (let k = 0; k < folded.length; k++) append(folded[k]!, i, i + width);
    if (!spoofable && CONFUSABLES.has(folded)) spoofable = true;
    i += width;
  }
  if (spoofable) foldConfusables(parts);
  return {
    text: parts.join(''),
    toOriginal: (start, end) => [
      start < length ? from[start]! : original.length,
      end - 1 < length ? to[end - 1]! : original.length,
    ],
  };
}

function fold(ch: string, cp: number): string {
  if (ALSO_INVISIBLE.has(cp) || FORMAT.test(ch)) return '';
  if (cp === 0x2028 || cp === 0x2029) return '\n';
  if (SPACE.test(ch)) return ' ';
  if (DASH.test(ch)) return '-';
  return ch.normalize('NFKC');
}

/** Whether any code point changes under `fold`, or is a look-alike that may need folding in context. */
function needsFolding(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) < 0x80) continue;
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (fold(ch, cp) !== ch || CONFUSABLES.has(ch)) return true;
    if (cp > 0xffff) i++;
  }
  return false;
}

const isSpace = (unit: string) => unit === ' ' || unit === '\n' || unit === '\t' || unit === '\r';

/** Replaces look-alikes in place, token by token (a token is a run of non-space units). */
function foldConfusables(units: string[]): void {
  let start = 0;
  while (start < units.length) {
    while (start < units.length && isSpace(units[start]!)) start++;
    let end = start;
    let latin = false;
    let spoof = false;
    while (end < units.length && !isSpace(units[end]!)) {
      const u = units[end]!;
      if (/[A-Za-z0-9@]/.test(u)) latin = true;
      else if (CONFUSABLES.has(u)) spoof = true;
      end++;
    }
    if (latin && spoof) {
      for (let k = start; k < end; k++) units[k] = CONFUSABLES.get(units[k]!) ?? units[k]!;
    }
    start = end;
  }
}
