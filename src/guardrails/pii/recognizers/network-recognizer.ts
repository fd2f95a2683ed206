import ipaddr from 'ipaddr.js';
import { hasContext } from '../context-window.js';
import { ISO_COUNTRY_CODES } from '../lexicon/iso-country-codes.js';
import type { PiiCandidate, Recognizer } from '../recognizer.js';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`(?<![\\d.])${OCTET}(?:\\.${OCTET}){3}(?:/(?:3[0-2]|[12]?\\d))?(?![\\d]|\\.\\d)`, 'g');
// Hex groups and colons, bounded; ipaddr.js decides what is a real IPv6 address (a clock time is not).
const IPV6 = /(?<![\w:.])(?=[0-9a-f:.]*:[0-9a-f]*:)[0-9a-f:.]{2,45}(?:%\w{1,16})?(?![\w:])/gi;
const MAC =
  /(?<![\w:.-])(?:[0-9a-f]{2}([:-])(?:[0-9a-f]{2}\1){4}[0-9a-f]{2}|[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4})(?![\w:.-])/gi;

const URL_WITH_SCHEME = /\b(?:https?|ftps?|sftp|wss?):\/\/[^\s<>"'`{}|\\^]{1,2048}/gi;
const LABEL = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?';
// `www.` anything, or a dotted host ending in a known top-level domain, with an optional path.
const BARE_HOST = new RegExp(
  `(?<![\\p{L}\\p{N}@.\\-_/])(?:${LABEL}\\.){1,8}(\\p{L}{2,24})(?::\\d{2,5})?(?:/[^\\s<>"'\`{}|\\\\^]{0,2048})?(?![\\p{L}\\p{N}@\\-_])`,
  'gu',
);
const GENERIC_TLDS = new Set(
  (
    'com org net edu gov mil int info biz name pro aero coop museum mobi jobs travel app dev io ai co me tv online site ' +
    'shop store tech cloud blog xyz top club live news media agency digital email group company global world solutions ' +
    'services systems network link page space website art design studio health bank insurance law finance capital'
  ).split(' '),
);
// Two-letter domains that are far more often file extensions in prose ("setup.py", "notes.md").
const FILE_EXTENSION_TLDS = new Set([
  'py',
  'pl',
  'sh',
  'md',
  'rs',
  'js',
  'cc',
  'ps',
  'ai',
  'mk',
  'am',
  'pm',
  'so',
  'im',
  'in',
  'it',
  'do',
  'is',
  'at',
  'me',
  'to',
  'no',
  'us',
  'my',
  'hr',
]);
const IP_CONTEXT = /\b(?:ip|ipv4|ipv6|address|addr|host|server|client|gateway|dns|subnet|router|proxy|connected|from)\b/;
const VERSION_CONTEXT = /\b(?:version|ver|v|release|build|firmware|sdk|node|python|chrome)\s*$/;

export const networkRecognizer: Recognizer = {
  name: 'network',
  types: ['IP_ADDRESS', 'MAC_ADDRESS', 'URL'],
  find(text) {
    const out: PiiCandidate[] = [];
    const shapes = separatorShapes(text);
    if (shapes & DIGIT_DOT_DIGIT) for (const m of text.matchAll(IPV4)) {
      const start = m.index;
      const end = start + m[0].length;
      const before = text.slice(Math.max(0, start - 12), start).toLowerCase();
      const score = VERSION_CONTEXT.test(before) ? 0.3 : hasContext(text, start, end, IP_CONTEXT, 32, 8) ? 0.97 : 0.85;
      out.push({ type: 'IP_ADDRESS', start, end, score });
    }
    if (text.includes(':')) {
      for (const m of text.matchAll(IPV6)) {
        const candidate = m[0].replace(/%\w+$/, '');
        if ((candidate.match(/:/g)?.length ?? 0) < 2 || !ipaddr.IPv6.isValid(candidate)) continue;
        if (!/[0-9a-f]{2}/i.test(candidate)) continue;
        out.push({ type: 'IP_ADDRESS', start: m.index, end: m.index + m[0].length, score: 0.9 });
      }
    }
    if (shapes & HEX_SEPARATOR_HEX) for (const m of text.matchAll(MAC)) {
      out.push({ type: 'MAC_ADDRESS', start: m.index, end: m.index + m[0].length, score: 0.9 });
    }
    if (text.includes('://')) for (const m of text.matchAll(URL_WITH_SCHEME)) {
      const url = trimUrl(m[0]);
      out.push({ type: 'URL', start: m.index, end: m.index + url.length, score: 0.95 });
    }
    if (shapes & WORD_DOT_WORD) {
      for (const m of text.matchAll(BARE_HOST)) {
        const url = trimUrl(m[0]);
        const tld = m[1]!.toLowerCase();
        const host = url.split(/[/:]/)[0]!.toLowerCase();
        const score = urlScore(host, tld, url.length > host.length);
        if (score > 0) out.push({ type: 'URL', start: m.index, end: m.index + url.length, score });
      }
    }
    return out;
  },
};

// What the patterns above cannot match without, found in one pass over the separators so that a text with none of
// them skips the patterns (each tries every position of the text, behind a lookbehind). Characters beyond ASCII count
// as letters, digits and hex digits, so a pattern is only ever skipped when it cannot match.
/** A digit, '.', a digit: every IPv4 address. */
const DIGIT_DOT_DIGIT = 1;
/** A hex digit, then ':', '-' or '.', then a hex digit: every MAC address. */
const HEX_SEPARATOR_HEX = 2;
/** A letter or digit, '.', a letter or digit: every bare host name. */
const WORD_DOT_WORD = 4;

function separatorShapes(text: string): number {
  let shapes = 0;
  for (let i = 1; i + 1 < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x2e && c !== 0x3a && c !== 0x2d) continue;
    const before = text.charCodeAt(i - 1);
    const after = text.charCodeAt(i + 1);
    if (isHex(before) && isHex(after)) shapes |= HEX_SEPARATOR_HEX;
    if (c !== 0x2e) continue;
    if (isDigit(before) && isDigit(after)) shapes |= DIGIT_DOT_DIGIT;
    if (isWordChar(before) && isWordChar(after)) shapes |= WORD_DOT_WORD;
  }
  return shapes;
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) || c >= 0x80;
const isWordChar = (c: number) => isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c >= 0x80;

function urlScore(host: string, tld: string, hasPath: boolean): number {
  if (host.startsWith('www.')) return 0.9;
  const generic = GENERIC_TLDS.has(tld);
  const country = tld.length === 2 && ISO_COUNTRY_CODES.has(tld.toUpperCase());
  if (!generic && !country) return 0;
  // A bare "word.xx" needs more than a country code to be a web address rather than an abbreviation or a file.
  const labels = host.split('.');
  if (labels.some((l) => l.length === 0) || /^\d+$/.test(labels[0]!)) return 0;
  if (FILE_EXTENSION_TLDS.has(tld) && labels.length === 2 && !hasPath) return 0.3;
  if (generic) return 0.85;
  return labels.length > 2 || hasPath ? 0.8 : 0.6;
}

/** Sentence punctuation after a URL is not part of it; a closing bracket only when the URL opened none. */
function trimUrl(raw: string): string {
  let url = raw;
  for (;;) {
    const last = url.at(-1);
    if (last === undefined) return url;
    if ('.,;:!?\'"'.includes(last)) url = url.slice(0, -1);
    else if (last === ')' && (url.match(/\(/g)?.length ?? 0) < (url.match(/\)/g)?.length ?? 0)) url = url.slice(0, -1);
    else if (last === ']' && !url.includes('[')) url = url.slice(0, -1);
    else return url;
  }
}
