import { COMMON_WORDS, COUNTRIES, foldKey, MONTHS_AND_DAYS, PLACES } from '../lexicon/compromise-lexicon.js';
import { englishWordRank } from '../lexicon/english-word-rank.js';
import { FUNCTION_WORDS } from '../lexicon/name-morphology.js';
import { STATE_CODES } from '../lexicon/state-codes.js';
import {
  COMPOUND_STREET_ENDING,
  EN_STREET_SUFFIXES,
  LEADING_STREET_TYPES,
  TRAILING_STREET_TYPES,
  UNIT_DESIGNATORS,
} from '../lexicon/street-types.js';
import type { PiiCandidate, Recognizer } from '../recognizer.js';

const alternation = (words: readonly string[]) =>
  [...words]
    .sort((a, b) => b.length - a.length)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('|');

// Building blocks. Every repetition is bounded and every pattern starts after a non-alphanumeric character, so each
// scan is linear in the text however it is crafted.
const B = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';
const HOUSE = '\\d{1,6}[A-Za-z]?';
const WORD = "[\\p{L}][\\p{L}\\p{M}'’-]{0,30}\\.?";
const SP = '[ \\t]{1,3}';
const POSTCODE =
  '(?:\\d{5}(?:-\\d{3,4})?|\\d{3} \\d{2}|\\d{4} ?[A-Z]{2}|[A-Z]{1,2}\\d[A-Z\\d]? ?\\d[A-Z]{2}|[A-Z]\\d[A-Z] ?\\d[A-Z]\\d|\\d{3,6})';

const EN_STREET = new RegExp(
  `${B}(${HOUSE}(?:[ -]${HOUSE})?)${SP}((?:${WORD}${SP}){1,4}?)(${alternation(EN_STREET_SUFFIXES)})\\.?${E}`,
  'giu',
);
// Street forms that end in the house number ("Rua Igreja 25", "Rákóczi út 13.", "Koskikatu 25") are all found from
// that number: a number after a word is rare in prose, so each is checked by reading the few words before it rather
// than by running one regex per form over the whole text.
const HOUSE_AFTER_WORD = new RegExp(`(?<=\\p{L}\\.?[ \\t]{1,3})${HOUSE}\\.?${E}`, 'gu');
const STATE_ZIP = new RegExp(`,${SP}([A-Z]{2})${SP}\\d{5}(?:-\\d{4})?${E}`, 'gu');
const CAPITALISED_BEFORE = new RegExp(
  `${B}(?:[\\p{Lu}][\\p{L}\\p{M}'’.-]{1,30}${SP}){0,2}[\\p{Lu}][\\p{L}\\p{M}'’.-]{1,30}$`,
  'u',
);
const NUMBER_NAME_NUMBER = new RegExp(`${B}(${HOUSE})${SP}((?:${WORD}${SP}){0,3}${WORD})${SP}(${HOUSE})\\.?${E}`, 'gu');
const MILITARY = new RegExp(
  `${B}(?:(?:PSC|CMR|Unit)${SP}\\d{1,5}(?:,?${SP}Box${SP}\\d{1,5})?|(?:USNS|USS|USCGC|USNV|USAS|USNH)${SP}${WORD}(?:${SP}${WORD}){0,2})[ \\t]*,?[ \\t]*\\n?[ \\t>]*(?:APO|FPO|DPO)${SP}(?:AA|AE|AP)${SP}\\d{5}(?:-\\d{4})?${E}`,
  'giu',
);
const PO_BOX = new RegExp(
  `${B}(?:P\\.? ?O\\.? ?Box|Post Office Box|Postfach|Apartado(?: de correos)?|Caixa Postal|Bo[iî]te postale)[ \\t]*\\d{1,6}${E}`,
  'giu',
);
const CORNER =
  /\b(?:the[ \t]+)?corner[ \t]+of[ \t]+([^\n,?!]{2,60}?)[ \t]+(?:and|&)[ \t]+([^\n,?!]{2,60}?)(?=[ \t]*(?:[,.?!\n]|$)|[ \t]+(?:in|after|for|to|at|on|by)\b)/giu;
const ZIP_AFTER_CUE = new RegExp(
  `\\b(?:zip|zip ?code|postal ?code|post ?code|plz|cep|c[oó]digo postal|code postal)\\b[ \\t]*(?:is\\b|:|#|-)?[ \\t]*(${POSTCODE})${E}`,
  'giu',
);
const ADDRESS_CONTEXT =
  /\b(?:address(?:es)?|live|lives|living|lived|located|location|meet|meeting|deliver|delivery|ship|shipping|send|sent|mail|mailing|moved|move|reside|resides|residence|street|office|offices|billing|postal|visit|return|drops? you off|stop at|enter on|corner|here they are|it is|it's in|headquarters|hq)\b/;
const UNIT = new RegExp(
  `^(?:${alternation(UNIT_DESIGNATORS)})\\.?[ \\t]*#?[ \\t]*[A-Za-z0-9-]{1,6}${E}|^#[ \\t]*[A-Za-z0-9-]{1,6}${E}|^Box${SP}\\d{1,6}${E}`,
  'iu',
);
const POSTCODE_AT = new RegExp(`^${POSTCODE}${E}`, 'u');
const LOCALITY =
  /^[\p{Lu}][\p{L}\p{M}'’.-]{0,30}(?:[ \t]{1,2}(?:[\p{Lu}][\p{L}\p{M}'’.-]{0,30}|de|del|do|da|dos|di|la|le|sur|am|an|im|upon|on|en)){0,3}(?:[ \t]+\([^)\n]{1,24}\))?(?![\p{L}\p{N}])/u;
// A comma and/or line breaks, with the quote marks or bullets a line may start with ("> ", "• ").
const SEPARATOR = /^[ \t]*(?:,[ \t]*)?(?:\n[^\p{L}\p{N}\n,(]{0,6}){0,2}(?:,[ \t]*)?/u;

const LEADING_TYPE_SET = new Set<string>(LEADING_STREET_TYPES);
const TRAILING_TYPE_SET = new Set<string>(TRAILING_STREET_TYPES);
const CONTEXT_BEFORE_STREET =
  /\b(?:lives? (?:at|on)|living at|located at|address is|address:|meet me at|sent to|send it to|deliver(?:ed)? to|moved to|return to|drops? you off at|stop at|enter on|office is at|offices are at)[ \t]+$/i;
const PARTICLE = /^(?:de|del|della|dei|do|da|dos|das|di|du|des|la|le|van|von|der|den)$/;
/** An ordinary English word ("During", "Musicians") is not a street name, however it ends. */
const ordinaryWord = (word: string): boolean => {
  const key = foldKey(word.replace(/\.$/, ''));
  return COMMON_WORDS.has(key) || FUNCTION_WORDS.has(key) || englishWordRank(key) < 60_000;
};
const STRONG_LOWERCASE_SUFFIX = /^(?:street|st|str|road|rd|avenue|ave|av|lane|ln|drive|dr|boulevard|blvd|way)$/;

export const addressRecognizer: Recognizer = {
  name: 'address',
  types: ['ADDRESS'],
  find(text) {
    if (!/\d|corner/i.test(text)) return [];
    const cores: PiiCandidate[] = [];
    const add = (start: number, end: number, score: number) => cores.push({ type: 'ADDRESS', start, end, score });

    for (const m of text.matchAll(MILITARY)) add(m.index, m.index + m[0].length, 0.95);
    for (const m of text.matchAll(PO_BOX)) add(m.index, m.index + m[0].length, 0.85);
    for (const m of text.matchAll(EN_STREET)) {
      const words = m[2]!.trim().split(/[ \t]+/);
      const suffix = m[3]!;
      // The street's own name is capitalised ("Lovers Lane"); a lower-case suffix is accepted only for the
      // unambiguous ones ("159 Eleftheriou Venizelou str").
      if (
        !words.every(
          (w) => /^[\p{Lu}\d]/u.test(w) || PARTICLE.test(w) || LEADING_TYPE_SET.has(w.toLowerCase().replace(/\.$/, '')),
        )
      )
        continue;
      if (words.some((w) => FUNCTION_WORDS.has(w.toLowerCase()))) continue;
      if (!/^\p{Lu}/u.test(suffix) && !STRONG_LOWERCASE_SUFFIX.test(suffix.toLowerCase())) continue;
      if (words.some((w) => MONTHS_AND_DAYS.has(foldKey(w.replace(/\.$/, ''))))) continue;
      add(m.index, m.index + m[0].length, STRONG_LOWERCASE_SUFFIX.test(suffix.toLowerCase()) ? 0.8 : 0.65);
    }
    for (const m of text.matchAll(HOUSE_AFTER_WORD)) {
      const end = m.index + m[0].length;
      const words = wordsBefore(text, m.index, 7);
      for (const [start, score] of streetEndingInNumber(text, words)) add(start, end, score);
    }
    for (const m of text.matchAll(NUMBER_NAME_NUMBER)) {
      const words = m[2]!.split(/[ \t]+/);
      if (!words.every((w) => /^\p{Lu}/u.test(w) || PARTICLE.test(w))) continue;
      if (words.some((w) => MONTHS_AND_DAYS.has(foldKey(w.replace(/\.$/, ''))) || FUNCTION_WORDS.has(w.toLowerCase())))
        continue;
      if (words.every((w) => PARTICLE.test(w) || ordinaryWord(w))) continue;
      add(m.index, m.index + m[0].length, 0.55);
    }
    const lower = text.toLowerCase();
    if (lower.includes('corner')) {
      for (const m of text.matchAll(CORNER)) {
        if (!/^[\p{Lu}\d]/u.test(m[1]!.replace(/^the\s+/i, '')) || !/^[\p{Lu}\d]/u.test(m[2]!)) continue;
        add(m.index, m.index + m[0].length, 0.85);
      }
    }
    for (const m of text.matchAll(STATE_ZIP)) {
      const city = CAPITALISED_BEFORE.exec(text.slice(Math.max(0, m.index - 100), m.index));
      if (!city || !STATE_CODES.has(m[1]!)) continue;
      add(m.index - city[0].length, m.index + m[0].length, 0.75);
    }
    if (/zip|post|plz|cep|digo|code/.test(lower)) {
      for (const m of text.matchAll(ZIP_AFTER_CUE)) {
        add(m.index + m[0].length - m[1]!.length, m.index + m[0].length, 0.85);
      }
    }
    return mergeAndExtend(text, cores);
  },
};

interface Word {
  text: string;
  start: number;
}

/** Up to `max` words on the same line just before `index`, in reading order, each separated by a few spaces. */
function wordsBefore(text: string, index: number, max: number): Word[] {
  const words: Word[] = [];
  let pos = index;
  while (words.length < max) {
    let gap = 0;
    while (pos > 0 && (text[pos - 1] === ' ' || text[pos - 1] === '\t') && gap < 4) {
      pos--;
      gap++;
    }
    if (gap === 0 || gap > 3) break;
    const end = pos;
    while (pos > 0 && isWordChar(text[pos - 1]!)) pos--;
    if (pos === end || !/^\p{L}/u.test(text[pos]!)) break;
    words.unshift({ text: text.slice(pos, end), start: pos });
  }
  return words;
}

const isWordChar = (ch: string): boolean =>
  (ch >= 'a' && ch <= 'z') ||
  (ch >= 'A' && ch <= 'Z') ||
  "'’-./".includes(ch) ||
  (ch > '\u007f' && /[\p{L}\p{M}]/u.test(ch));
const bare = (word: string) => word.replace(/\.$/, '').toLowerCase();
const capitalised = (word: string) => /^\p{Lu}/u.test(word);

/**
 * Street names that end in the house number, read from the words before it: one compound word ("Koskikatu 25"), a
 * name and a trailing type ("Rákóczi út 13."), a leading type and a name ("Rua do Arenque 1634"), or any capitalised
 * name right after words like "lives at" ("lives at Jahu 80"). Returns [start, score] for each form that fits.
 */
function streetEndingInNumber(text: string, words: Word[]): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  const n = words.length;
  if (n === 0) return found;
  const last = words[n - 1]!;
  const lastWord = last.text.replace(/\.$/, '');
  if (
    capitalised(lastWord) &&
    lastWord.length >= 5 &&
    COMPOUND_STREET_ENDING.test(foldKey(lastWord)) &&
    !ordinaryWord(lastWord)
  ) {
    found.push([last.start, 0.75]);
  }
  if (n >= 2 && TRAILING_TYPE_SET.has(bare(last.text))) {
    for (let k = Math.min(3, n - 1); k >= 1; k--) {
      if (capitalised(words[n - 1 - k]!.text)) {
        found.push([words[n - 1 - k]!.start, 0.75]);
        break;
      }
    }
  }
  for (let j = Math.max(0, n - 6); j <= n - 2; j++) {
    const type = words[j]!.text;
    if (!LEADING_TYPE_SET.has(bare(type)) && !LEADING_TYPE_SET.has(type.toLowerCase())) continue;
    // "Via", "Place", "Route" are also English words: ask for a capitalised name after them.
    if (!/^[\p{Lu}\d]/u.test(last.text) && !capitalised(words[j + 1]!.text)) continue;
    found.push([words[j]!.start, capitalised(type) || bare(type).length > 3 ? 0.8 : 0.6]);
    break;
  }
  for (let k = Math.min(4, n); k >= 1; k--) {
    const first = words[n - k]!;
    if (!CONTEXT_BEFORE_STREET.test(text.slice(Math.max(0, first.start - 24), first.start))) continue;
    const street = words.slice(n - k);
    if (capitalised(first.text) && !street.some((w) => MONTHS_AND_DAYS.has(foldKey(bare(w.text)))))
      found.push([first.start, 0.7]);
    break;
  }
  return found;
}

/** Joins cores that touch (only spaces, commas or one line break between), then grows each over the lines after it. */
function mergeAndExtend(text: string, cores: PiiCandidate[]): PiiCandidate[] {
  cores.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: PiiCandidate[] = [];
  for (const c of cores) {
    const last = merged[merged.length - 1];
    if (last && c.start <= last.end + 3 && /^[ \t,]*\n?[ \t>]*$/.test(text.slice(last.end, Math.max(last.end, c.start)))) {
      last.end = Math.max(last.end, c.end);
      last.score = Math.min(0.95, Math.max(last.score, c.score) + 0.1);
    } else merged.push({ ...c });
  }
  for (const c of merged) {
    // A unit or a building number just before the street belongs to it ("Suite 541 6343 Skogstien 106").
    const sliceStart = Math.max(0, c.start - 24);
    const back = /(?:^|[\s,])((?:Apt|Apartment|Suite|Ste|Unit|Flat)\.?[ \t]*#?[A-Za-z0-9-]{1,6}|\d{1,6})[ \t,]+$/iu.exec(
      text.slice(sliceStart, c.start),
    );
    if (back) c.start = sliceStart + back.index + back[0].indexOf(back[1]!);
    const { end, evidence } = extend(text, c.end);
    c.end = end;
    const context = ADDRESS_CONTEXT.test(text.slice(Math.max(0, c.start - 48), c.start).toLowerCase());
    c.score = Math.min(0.95, c.score + 0.1 * evidence + (context ? 0.15 : 0));
  }
  // Extending can run one address into a core found further on ("... Avenue NW, Washington, DC 20500").
  const out: PiiCandidate[] = [];
  for (const c of merged.sort((x, y) => x.start - y.start)) {
    const last = out[out.length - 1];
    if (last && c.start < last.end) {
      last.end = Math.max(last.end, c.end);
      last.score = Math.max(last.score, c.score);
    } else out.push(c);
  }
  return out;
}

/**
 * Follows an address over what usually comes after the street: unit, box, post code, state code, city and country,
 * each separated by a comma or a single line break. Stops at the first piece that is none of these, so it never runs
 * into the next sentence. Returns the new end and how many confirming pieces (unit, post code, country) it saw.
 */
function extend(text: string, from: number): { end: number; evidence: number } {
  let end = from;
  let evidence = 0;
  for (let step = 0; step < 7; step++) {
    const rest = text.slice(end, end + 120);
    const sep = SEPARATOR.exec(rest)![0];
    const at = rest.slice(sep.length);
    // Across a blank line only a country or a post code still belongs to the address.
    const blankLine = sep.split('\n').length > 2;
    if (
      blankLine &&
      !POSTCODE_AT.test(at) &&
      !COUNTRIES.has(foldKey((LOCALITY.exec(at)?.[0] ?? '').replace(/\s*\(.*$/, '')))
    )
      break;
    let m = UNIT.exec(at);
    if (m) {
      end += sep.length + m[0].length;
      evidence++;
      continue;
    }
    m = POSTCODE_AT.exec(at);
    // A post code ends its line or is followed by a city; more digits after it make it the start of a phone number.
    if (m && !/^(?:[.,]\d|[ \t]*[\d(+-])/.test(at.slice(m[0].length))) {
      end += sep.length + m[0].length;
      evidence++;
      continue;
    }
    m = /^[A-Z]{2,3}(?![\p{L}\p{N}])/u.exec(at);
    if (m && (STATE_CODES.has(m[0]) || /^[ \t]*(?:,|\n|\d|$)/.test(at.slice(m[0].length)))) {
      end += sep.length + m[0].length;
      continue;
    }
    m = LOCALITY.exec(at);
    if (m && isLocality(m[0], at.slice(m[0].length))) {
      end += sep.length + m[0].length;
      if (COUNTRIES.has(foldKey(m[0].replace(/\s*\(.*$/, '')))) evidence++;
      continue;
    }
    break;
  }
  return { end, evidence: Math.min(evidence, 2) };
}

/** A city or country line: a few capitalised words ending where the address ends (comma, line break, post code). */
function isLocality(words: string, after: string): boolean {
  const key = foldKey(words.replace(/\s*\(.*$/, ''));
  if (PLACES.has(key) || COUNTRIES.has(key)) return true;
  if (words.split(/\s+/).some((w) => FUNCTION_WORDS.has(w.toLowerCase()))) return false;
  if (/^(?:mobile|phone|fax|desk|email|e-mail|tel|office|website|name|date)$/i.test(words.split(/\s/)[0]!)) return false;
  return /^[ \t]*(?:,|\n|$|\d)/.test(after);
}
