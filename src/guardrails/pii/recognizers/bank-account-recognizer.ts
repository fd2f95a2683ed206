import { hasContext } from '../context-window.js';
import type { PiiCandidate, Recognizer } from '../recognizer.js';
import { abaRoutingValid } from '../validate/aba-routing-valid.js';

const ROUTING = /(?<![\d\-.])\d{9}(?![\d]|[-.]\d)/g;
// Bedrock: "typically 10 to 12 digits"; banks issue 8 to 17.
const ACCOUNT = /(?<![\d\-.])\d{8,17}(?![\d]|[-.]\d)/g;
const ROUTING_CONTEXT = /\b(?:routing|aba|rtn|transit|bank code|wire)\b/;
const ACCOUNT_CONTEXT = /\b(?:account|acct|a\/c|checking|chequing|savings|deposit|bank)\b/;

export const bankAccountRecognizer: Recognizer = {
  name: 'bank-account',
  types: ['US_BANK_ROUTING_NUMBER', 'US_BANK_ACCOUNT_NUMBER'],
  find(text) {
    const out: PiiCandidate[] = [];
    if (!/\d{8}/.test(text)) return out;
    const routing = new Set<number>();
    for (const m of text.matchAll(ROUTING)) {
      if (!abaRoutingValid(m[0])) continue;
      const context = hasContext(text, m.index, m.index + 9, ROUTING_CONTEXT, 40, 0);
      if (context) routing.add(m.index);
      out.push({ type: 'US_BANK_ROUTING_NUMBER', start: m.index, end: m.index + 9, score: context ? 0.95 : 0.35 });
    }
    for (const m of text.matchAll(ACCOUNT)) {
      if (routing.has(m.index)) continue;
      if (hasContext(text, m.index, m.index + m[0].length, ACCOUNT_CONTEXT, 40, 0)) {
        out.push({ type: 'US_BANK_ACCOUNT_NUMBER', start: m.index, end: m.index + m[0].length, score: 0.75 });
      }
    }
    return out;
  },
};
