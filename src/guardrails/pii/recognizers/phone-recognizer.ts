import { lazyRequire } from '../../../core/index.js';
import { hasContext, textAfter, textBefore } from '../context-window.js';
import type { PiiCandidate, Recognizer } from '../recognizer.js';

// libphonenumber-js's full metadata (~90 modules, 0.5 MB) is loaded by the first phone-number check, not at start.
const phoneLib = lazyRequire<typeof import('libphonenumber-js/max')>('libphonenumber-js/max');

/**
 * Phone-shaped runs: an optional `+`/`00`/`(`, digits in groups joined by one space, dot, dash, slash or a bracketed
 * area code, and an optional extension. The run is bounded (30 characters) and may only start after a non-word
 * character, so scanning is linear; everything else is decided on the candidate.
 */
const CANDIDATE =
  /(?<![\w+@.\-/])(?:\+|\(\+?)?\d(?:[\d\-./ ()]{0,28}\d)?(?:\s?(?:x|ext\.?|extension|#)\s?\d{1,6})?(?![\w@]|[-.]\d)/gi;

const PHONE_CONTEXT =
  /\b(?:phone|tel|telephone|call|called|calling|fax|mobile|mob|cell|cellphone|office|desk|home|work|contact|reach|text|sms|whatsapp|dial|ring|number|no\.|landline|pager|hotline|answering|messages?)\b|☎|📞/;
const DATE_LIKE =
  /^(?:(?:19|20)\d\d[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])|(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|1[0-2])[-/.](?:19|20)?\d\d|(?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])[-/.](?:19|20)?\d\d)(?!\d)/;

export const phoneRecognizer: Recognizer = {
  name: 'phone',
  types: ['PHONE'],
  find(text) {
    const out: PiiCandidate[] = [];
    for (const m of text.matchAll(CANDIDATE)) {
      // Most candidates are a year or a small number: fewer than six digits is never a phone (`scorePhone`), so they
      // are dropped before the trimming and scoring regexes run.
      if (digitCount(m[0]) < 6) continue;
      const candidate = trimCandidate(m[0]);
      if (!candidate) continue;
      const start = m.index;
      const end = start + candidate.length;
      const score = scorePhone(text, candidate, start, end);
      if (score > 0) out.push({ type: 'PHONE', start, end, score });
    }
    return out;
  },
};

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) n++;
  }
  return n;
}

/**
 * The candidate regex lets brackets through unpaired. A stray closing bracket at the end is dropped ("(call 555-0100)");
 * any other imbalance means the run is not one phone number.
 */
function trimCandidate(raw: string): string {
  const balanced = (x: string) => (x.match(/\(/g)?.length ?? 0) === (x.match(/\)/g)?.length ?? 0);
  if (balanced(raw)) return raw;
  const trimmed = raw.replace(/\)$/, '');
  return balanced(trimmed) ? trimmed : '';
}

function scorePhone(text: string, candidate: string, start: number, end: number): number {
  const digits = candidate.replace(/\D/g, '');
  const body = candidate.replace(/\s?(?:x|ext\.?|extension|#)\s?\d{1,6}$/i, '');
  const bodyDigits = body.replace(/\D/g, '');
  if (bodyDigits.length < 6 || bodyDigits.length > 15 || digits.length > 21) return 0;
  if (DATE_LIKE.test(body)) return 0;
  // A time or a version right after ("2000-04-16 11:34", "1.2.3") is not a phone.
  if (/^[:.]\d/.test(text.slice(end, end + 2)) || /\d[:.]$/.test(text.slice(Math.max(0, start - 2), start))) return 0;
  if (/ {2}/.test(body)) return 0;
  const separated = /[\s\-./()]/.test(body);
  const context = hasContext(text, start, end, PHONE_CONTEXT, 40, 16);
  const international = body.startsWith('+') || body.startsWith('00') || body.startsWith('(+');
  if (international) {
    const parsed = phoneLib().parsePhoneNumberFromString(body.startsWith('00') ? `+${body.slice(2)}` : body);
    if (parsed?.isValid()) return 0.95;
    if (parsed?.isPossible()) return context ? 0.9 : 0.7;
    return context ? 0.6 : 0.35;
  }
  if (bodyDigits.length >= 10 && bodyDigits.length <= 11 && phoneLib().parsePhoneNumberFromString(body, 'US')?.isValid()) {
    // Ten bare digits are as often an order or account number as a phone; separators or context decide.
    return separated || context ? 0.85 : 0.55;
  }
  if (!separated) return context && bodyDigits.length >= 7 ? 0.6 : 0;
  let score = 0.35;
  if (/^(?:0|\(0?\d)/.test(body)) score += 0.15;
  if (bodyDigits.length < 7) score -= 0.15;
  if (context) score += 0.35;
  else if (/\b(?:at|on|to|via)\s*$/.test(textBefore(text, start, 8)) && bodyDigits.length >= 8) score += 0.1;
  if (/^\s*(?:ext|x)\b/.test(textAfter(text, end, 6))) score += 0.1;
  return Math.min(score, 0.9);
}
