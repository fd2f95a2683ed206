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
const ASCII_ONLY = /^[\t\n\r\x20-\x7e]*$/;

export function normalizeForDetection(original: string): NormalizedText {
  if (ASCII_ONLY.test(original)) {
    return { text: original, toOriginal: (start, end) => [start, end] };
  }
  const out: string[] = [];
  // For each normalised UTF-16 unit: where its source code point starts and ends in the original.
  const from: number[] = [];
  const to: number[] = [];
  let spoofable = false;
  for (let i = 0; i < original.length; ) {
    const code = original.charCodeAt(i);
    if (code < 0x80) {
      out.push(original[i]!);
      from.push(i);
      to.push(i + 1);
      i++;
      continue;
    }
    const cp = original.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const ch = original.slice(i, i + width);
    let folded: string;
    if (ALSO_INVISIBLE.has(cp) || FORMAT.test(ch)) folded = '';
    else if (cp === 0x2028 || cp === 0x2029) folded = '\n';
    else if (SPACE.test(ch)) folded = ' ';
    else if (DASH.test(ch)) folded = '-';
    else folded = ch.normalize('NFKC');
    for (let k = 0; k < folded.length; k++) {
      out.push(folded[k]!);
      from.push(i);
      to.push(i + width);
    }
    if (!spoofable && CONFUSABLES.has(folded)) spoofable = true;
    i += width;
  }
  if (spoofable) foldConfusables(out);
  return {
    text: out.join(''),
    toOriginal: (start, end) => [from[start] ?? original.length, to[end - 1] ?? original.length],
  };
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
