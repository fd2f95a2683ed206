import { hasContext } from '../context-window.js';
import type { PiiCandidate, Recognizer } from '../recognizer.js';
import { usItinValid, usSsnValid } from '../validate/us-ssn-valid.js';

// 3-2-4 digits with one consistent separator (dash, space or dot), or nine bare digits (reported only with context).
const SSN_SHAPE = /(?<![\d\-.])(\d{3})([- .]?)(\d{2})\2(\d{4})(?![\d]|[-.]\d)/g;
const SSN_CONTEXT = /\b(?:ssn|ssns|social security|soc\.? sec|ss#|ss #|ssa|tin|taxpayer)\b|ss no/;
const ITIN_CONTEXT = /\b(?:itin|individual taxpayer|taxpayer identification|tax id|tin)\b/;

export const ssnItinRecognizer: Recognizer = {
  name: 'ssn-itin',
  types: ['US_SOCIAL_SECURITY_NUMBER', 'US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER'],
  find(text) {
    const out: PiiCandidate[] = [];
    for (const m of text.matchAll(SSN_SHAPE)) {
      const [whole, area, sep, group, serial] = m as unknown as [string, string, string, string, string];
      const start = m.index;
      const end = start + whole.length;
      if (usItinValid(area, group)) {
        const context = hasContext(text, start, end, ITIN_CONTEXT, 40, 0);
        if (sep || context)
          out.push({ type: 'US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER', start, end, score: context ? 0.95 : 0.7 });
        continue;
      }
      if (!usSsnValid(area, group, serial)) continue;
      const context = hasContext(text, start, end, SSN_CONTEXT, 40, 0);
      // Separated 3-2-4 is the SSN's own shape; nine bare digits could be anything without "SSN" nearby.
      const score = sep === '-' ? (context ? 0.97 : 0.8) : sep ? (context ? 0.95 : 0.6) : context ? 0.9 : 0;
      if (score > 0) out.push({ type: 'US_SOCIAL_SECURITY_NUMBER', start, end, score });
    }
    return out;
  },
};
