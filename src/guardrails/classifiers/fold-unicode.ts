/**
 * The first, case-preserving step of reading text for classification: what a human sees, not how it was encoded.
 * Base64 detection runs on this form (base64 is case-sensitive), the lower-casing canonical form is built from it.
 *
 * - Characters that render as nothing (zero-width space and joiners, word joiner, BOM, soft hyphen, bidi controls,
 *   variation selectors, combining marks such as "Zalgo" stacks) are removed, so they cannot split a word.
 * - Unicode tag characters (U+E0020–U+E007E) mirror ASCII and render invisibly: text smuggled in them is removed from
 *   the visible text and returned as `hidden`, to be classified on its own.
 * - Every code point is NFKD-folded with its marks dropped: full-width and mathematical letters, ligatures, circled
 *   letters and accents all become plain letters.
 * - Look-alike letters (Cyrillic, Greek, Latin small capitals) become the Latin letter they imitate inside a token that
 *   also holds Latin letters (the mixed-script spoof), and in tokens made only of look-alikes when most of the text's
 *   letters are Latin (a fully spoofed word in an English sentence). Text mostly in another script keeps its letters.
 * - Unicode spaces become ' ', line and paragraph separators '\n', dashes '-', curly quotes and apostrophes straight
 *   ones (`don’t` and `don't` are one word).
 * - HTML character references (`&amp;`, `&#8220;`, `&#x1F600;`) are decoded first: scraped text and tweets carry them.
 */
export interface FoldedText {
  text: string;
  /** Text found in Unicode tag characters, '' when there is none. */
  hidden: string;
}

const FORMAT = /\p{Cf}/u;
const MARK = /\p{M}/u;
const SPACE = /\p{Zs}/u;
const DASH = /\p{Pd}/u;
const LETTER = /\p{L}/u;
const ALSO_INVISIBLE = new Set([0x034f, 0x115f, 0x1160, 0x17b4, 0x17b5, 0x180b, 0x180c, 0x180d, 0x180e, 0x180f, 0x3164, 0xffa0]);

/** Look-alike → Latin letter, as pairs of characters. */
const CONFUSABLE_PAIRS = [
  // Cyrillic
  'аaвbеeкkмmнhоoрpсcтtуyхxѕsіiјjԁdԛqԝwһhӏlьbпn',
  'АAВBЕEКKМMНHОOРPСCТTХXУYЅSІIЈJԀDҮY',
  // Greek
  'αaοoνvρpτtυuιiκkχxεeωwηn',
  'ΑAΒBΕEΖZΗHΙIΚKΜMΝNΟOΡPΤTΥYΧX',
  // Latin small capitals and other IPA letters
  'ᴀaʙbᴄcᴅdᴇeғfɢgʜhɪiᴊjᴋkʟlᴍmɴnᴏoᴘpǫqʀrꜱsᴛtᴜuᴠvᴡwʏyᴢzɡgɑaıiȷjɩi',
].join('');
const CONFUSABLES: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  const chars = [...CONFUSABLE_PAIRS];
  for (let i = 0; i + 1 < chars.length; i += 2) map.set(chars[i]!, chars[i + 1]!);
  return map;
})();

const QUOTES: ReadonlyMap<string, string> = new Map([
  ['\u2018', "'"],
  ['\u2019', "'"],
  ['\u201a', "'"],
  ['\u201b', "'"],
  ['\u2032', "'"],
  ['\u02bc', "'"],
  ['\u201c', '"'],
  ['\u201d', '"'],
  ['\u201e', '"'],
  ['\u201f', '"'],
  ['\u2033', '"'],
  ['\u00ab', '"'],
  ['\u00bb', '"'],
]);

const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos|nbsp));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

export function foldUnicode(raw: string): FoldedText {
  const text = raw.includes('&') ? decodeEntities(raw) : raw;
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return { text, hidden: '' };

  const out: string[] = [];
  let hidden = '';
  let latin = 0;
  let otherLetters = 0;
  let spoofable = false;
  for (let i = 0; i < text.length; ) {
    let j = i;
    while (j < text.length && text.charCodeAt(j) < 0x80) j++;
    if (j > i) {
      const run = text.slice(i, j);
      out.push(run);
      latin += countAsciiLetters(run);
      i = j;
      continue;
    }
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    i += cp > 0xffff ? 2 : 1;
    if (cp >= 0xe0000 && cp <= 0xe007f) {
      if (cp >= 0xe0020 && cp <= 0xe007e) hidden += String.fromCharCode(cp - 0xe0000);
      continue;
    }
    if (ALSO_INVISIBLE.has(cp) || FORMAT.test(ch) || MARK.test(ch)) continue;
    if (cp === 0x2028 || cp === 0x2029) {
      out.push('\n');
      continue;
    }
    if (SPACE.test(ch)) {
      out.push(' ');
      continue;
    }
    if (DASH.test(ch)) {
      out.push('-');
      continue;
    }
    const quote = QUOTES.get(ch);
    if (quote !== undefined) {
      out.push(quote);
      continue;
    }
    const folded = stripMarks(ch.normalize('NFKD'));
    out.push(folded);
    for (const f of folded) {
      if (f.charCodeAt(0) < 0x80) {
        if (/[A-Za-z]/.test(f)) latin++;
      } else if (LETTER.test(f)) {
        otherLetters++;
        if (CONFUSABLES.has(f)) spoofable = true;
      }
    }
  }
  const joined = out.join('');
  return { text: spoofable ? foldConfusables(joined, latin >= otherLetters) : joined, hidden };
}

function decodeEntities(text: string): string {
  return text.replace(ENTITY, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (name !== undefined) return NAMED[name]!;
    const cp = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex!, 16);
    return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : whole;
  });
}

function stripMarks(s: string): string {
  if (s.length === 1 && s.charCodeAt(0) < 0x80) return s;
  let out = '';
  for (const ch of s) if (!MARK.test(ch)) out += ch;
  return out;
}

function countAsciiLetters(run: string): number {
  let n = 0;
  for (let k = 0; k < run.length; k++) {
    const c = run.charCodeAt(k) | 0x20;
    if (c >= 0x61 && c <= 0x7a) n++;
  }
  return n;
}

/** Folds look-alikes token by token (runs of non-space); every look-alike and its replacement is one UTF-16 unit. */
function foldConfusables(text: string, mostlyLatin: boolean): string {
  return text.replace(/\S+/g, (token) => {
    let hasLatin = false;
    let hasConfusable = false;
    let hasOtherLetter = false;
    for (const ch of token) {
      if (/[A-Za-z]/.test(ch)) hasLatin = true;
      else if (CONFUSABLES.has(ch)) hasConfusable = true;
      else if (ch.charCodeAt(0) >= 0x80 && LETTER.test(ch)) hasOtherLetter = true;
    }
    if (!hasConfusable) return token;
    if (!hasLatin && (hasOtherLetter || !mostlyLatin)) return token;
    let out = '';
    for (const ch of token) out += CONFUSABLES.get(ch) ?? ch;
    return out;
  });
}
