import { hasContext } from '../context-window.js';
import type { PiiCandidate, Recognizer } from '../recognizer.js';
import { luhnValid } from '../validate/luhn.js';

// 12–19 digits, optionally grouped by single spaces or dashes; bounded, and anchored after a non-digit.
const NUMBER = /(?<![\d\-.,])\d(?:[ -]?\d){11,18}(?![\d]|[-.,]\d)/g;
const CVV = /(?<![\w])\d{3,4}(?![\w])/g;
// Comprehend (behind Bedrock) also reports the last four digits alone: "card ending in 4242", "Visa x4242".
const LAST_FOUR =
  /\b(?:card|visa|master ?card|amex|discover|debit|credit)(?: card)?(?: number)?\s+(?:ending(?: in| with)?|ends? (?:in|with)|last (?:4|four)(?: digits)?(?: are| of)?|x+|\*+|•+)\s*(?:x+|\*+|•+)?\s*(\d{4})(?!\d)/gi;
const EXPIRY =
  /(?<![\w/.-])(?:(0?[1-9]|1[0-2])\s?[/-]\s?((?:20)?\d{2})|(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+((?:20)\d{2}))(?![\w/])/gi;

const CARD_CONTEXT =
  /\b(?:cards?|cc|credit|debit|visa|master ?card|amex|american express|discover|diners|jcb|maestro|unionpay|pan|payment|pay|charge|billing)\b/;
const CVV_CONTEXT =
  /\b(?:cvv2?|cvc2?|cid|csc|security code|card verification(?: value| code)?|verification code|3-digit code)\b/;
const EXPIRY_CONTEXT = /\b(?:exp|expiry|expires?|expiration|exp\.? date|valid (?:thru|through|until)|good thru|card)\b/;

/**
 * Issuer prefixes (IIN ranges) and the lengths they issue. A Luhn-valid number outside these is still reported when
 * the sentence talks about a card; inside them it stands on its own.
 */
function knownIssuer(d: string): boolean {
  const n = d.length;
  const p2 = Number(d.slice(0, 2));
  const p4 = Number(d.slice(0, 4));
  if (d[0] === '4') return n === 13 || n === 16 || n === 19; // Visa
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n === 16; // Mastercard
  if (p2 === 34 || p2 === 37) return n === 15; // American Express
  if (p4 === 6011 || p2 === 65 || (Number(d.slice(0, 3)) >= 644 && Number(d.slice(0, 3)) <= 649)) return n >= 16; // Discover
  if (p4 >= 3528 && p4 <= 3589) return n >= 16; // JCB
  if (p4 === 1800 || p4 === 2131) return n === 15; // JCB (legacy)
  if (p2 === 36 || p2 === 38 || p2 === 39 || (p2 === 30 && Number(d[2]) <= 5)) return n >= 14; // Diners Club
  if (p2 === 62) return n >= 16; // UnionPay
  if (p2 === 50 || (p2 >= 56 && p2 <= 69)) return n >= 12; // Maestro
  return false;
}

function groupedLikeACard(raw: string): boolean {
  if (!/[ -]/.test(raw)) return true;
  const groups = raw.split(/[ -]/);
  if (new Set(raw.match(/[ -]/g)).size > 1) return false;
  const sizes = groups.map((g) => g.length).join('-');
  if (/^4-6-[45]$/.test(sizes)) return true;
  return groups.slice(0, -1).every((g) => g.length === 4) && groups.at(-1)!.length >= 1 && groups.at(-1)!.length <= 4;
}

export const cardRecognizer: Recognizer = {
  name: 'card',
  types: ['CREDIT_DEBIT_CARD_NUMBER', 'CREDIT_DEBIT_CARD_CVV', 'CREDIT_DEBIT_CARD_EXPIRY'],
  find(text) {
    const out: PiiCandidate[] = [];
    if (/\d{3}/.test(text)) {
      for (const m of text.matchAll(NUMBER)) {
        const digits = m[0].replace(/\D/g, '');
        if (!luhnValid(digits) || !groupedLikeACard(m[0]) || /^(\d)\1+$/.test(digits)) continue;
        const context = hasContext(text, m.index, m.index + m[0].length, CARD_CONTEXT, 48, 24);
        const issuer = knownIssuer(digits);
        const score = issuer ? (context ? 0.97 : 0.85) : context ? 0.8 : 0.4;
        out.push({ type: 'CREDIT_DEBIT_CARD_NUMBER', start: m.index, end: m.index + m[0].length, score });
      }
      for (const m of text.matchAll(LAST_FOUR)) {
        const start = m.index + m[0].length - 4;
        out.push({ type: 'CREDIT_DEBIT_CARD_NUMBER', start, end: start + 4, score: 0.8 });
      }
      for (const m of text.matchAll(CVV)) {
        if (hasContext(text, m.index, m.index + m[0].length, CVV_CONTEXT, 32, 0)) {
          out.push({ type: 'CREDIT_DEBIT_CARD_CVV', start: m.index, end: m.index + m[0].length, score: 0.9 });
        }
      }
    }
    for (const m of text.matchAll(EXPIRY)) {
      const year = m[2] ?? m[4];
      if (year === undefined) continue;
      const context = hasContext(text, m.index, m.index + m[0].length, EXPIRY_CONTEXT, 40, 0);
      // MM/YY alone is as likely a fraction or a date; with "exp"/"valid thru"/"card" nearby it is an expiry.
      const score = context ? 0.9 : 0.3;
      out.push({ type: 'CREDIT_DEBIT_CARD_EXPIRY', start: m.index, end: m.index + m[0].length, score });
    }
    return out;
  },
};
