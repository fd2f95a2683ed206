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
  // Unchanged runs are copied whole; the map holds, for each normalised UTF-16 unit, where its source code point
  // starts and ends in the original (8 bytes a unit).
  const parts: string[] = [];
  let from = new Int32Array(original.length + 16);
  let to = new Int32Array(original.length + 16);
  let length = 0;
  const reserve = (units: number) => {
    if (length + units <= from.length) return;
    const grownFrom = new Int32Array(Math.max(from.length * 2, length + units));
    const grownTo = new Int32Array(grownFrom.length);
    grownFrom.set(from);
    grownTo.set(to);
    from = grownFrom;
    to = grownTo;
  };
  let spoofable = false;
  for (let i = 0; i < original.length; ) {
    let j = i;
    while (j < original.length && original.charCodeAt(j) < 0x80) j++;
    if (j > i) {
      reserve(j - i);
      parts.push(original.slice(i, j));
      for (let k = i; k < j; k++) {
        from[length] = k;
        to[length] = k + 1;
        length++;
      }
      i = j;
      continue;
    }
    const cp = original.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const folded = fold(original.slice(i, i + width), cp);
    reserve(folded.length);
    parts.push(folded);
    for (let k = 0; k < folded.length; k++) {
      from[length] = i;
      to[length] = i + width;
      length++;
    }
    if (!spoofable && CONFUSABLES.has(folded)) spoofable = true;
    i += width;
  }
  const joined = parts.join('');
  return {
    text: spoofable ? foldConfusables(joined) : joined,
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

const CONFUSABLE_CLASS = new RegExp(`[${CONFUSABLE_FROM}]`, 'u');

/**
 * Replaces look-alikes inside tokens (runs of non-space) that also hold a Latin letter, a digit or an '@'. Every
 * look-alike and its replacement is one UTF-16 unit, so offsets do not move.
 */
function foldConfusables(text: string): string {
  return text.replace(/\S+/g, (token) =>
    /[A-Za-z0-9@]/.test(token) && CONFUSABLE_CLASS.test(token)
      ? Array.from(token, (ch) => CONFUSABLES.get(ch) ?? ch).join('')
      : token,
  );
}
