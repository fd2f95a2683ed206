import { hasContext } from '../context-window.js';
import { ISO_COUNTRY_CODES } from '../lexicon/iso-country-codes.js';
import type { PiiCandidate, Recognizer } from '../recognizer.js';
import { ibanValid } from '../validate/iban-valid.js';

// Country, check digits, then up to 30 characters, either run together or in groups of four separated by one space or
// dash. Longest first; when mod-97 fails the last group is dropped and tried again, since the next word may have been
// taken for a group ("GB..19 to").
const IBAN = /(?<![\p{L}\p{N}])[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{4}){2,7}(?:[ -]?[A-Z0-9]{1,4})?(?![\p{L}\p{N}])/giu;
const SWIFT = /(?<![\p{L}\p{N}])[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?(?![\p{L}\p{N}])/gu;
const SWIFT_CONTEXT = /\b(?:swift|bic|bank|wire|transfer|remittance|beneficiary|routing|sort code|iban)\b/;

export const ibanSwiftRecognizer: Recognizer = {
  name: 'iban-swift',
  types: ['INTERNATIONAL_BANK_ACCOUNT_NUMBER', 'SWIFT_CODE'],
  find(text) {
    const out: PiiCandidate[] = [];
    for (const m of text.matchAll(IBAN)) {
      let candidate = m[0];
      while (candidate.length >= 15) {
        if (ibanValid(candidate.replace(/[ -]/g, '').toUpperCase())) {
          out.push({
            type: 'INTERNATIONAL_BANK_ACCOUNT_NUMBER',
            start: m.index,
            end: m.index + candidate.length,
            score: 0.97,
          });
          break;
        }
        const cut = candidate.search(/[ -][A-Z0-9]{1,4}$/i);
        if (cut < 0) break;
        candidate = candidate.slice(0, cut);
      }
    }
    for (const m of text.matchAll(SWIFT)) {
      const code = m[0];
      if (!ISO_COUNTRY_CODES.has(code.slice(4, 6))) continue;
      const context = hasContext(text, m.index, m.index + code.length, SWIFT_CONTEXT, 48, 16);
      // Eight capital letters are often just a shouted word; a digit in the location or branch code, or talk of
      // banks and transfers, is what makes it a BIC.
      const digit = /\d/.test(code.slice(6));
      const score = context ? 0.9 : digit && /[A-Z]/.test(code.slice(6)) ? 0.55 : 0.25;
      out.push({ type: 'SWIFT_CODE', start: m.index, end: m.index + code.length, score });
    }
    return out;
  },
};
