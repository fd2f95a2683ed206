import { textBefore } from '../context-window.js';
import { hasRun } from '../has-run.js';
import type { PiiCandidate, Recognizer } from '../recognizer.js';

// Access key ids: a four-letter prefix naming the kind of credential, then 16 base-32 characters.
const ACCESS_KEY = /(?<![A-Za-z0-9])(AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA)[A-Z2-7]{16}(?![A-Za-z0-9])/g;
// Secret keys: 40 characters of base64 alphabet. A git SHA-1 is 40 too, but lower-case hex only, so the three
// character classes below keep it out.
const SECRET_KEY = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
const isKeyCharacter = (c: number) =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2f || c === 0x2b;
const SECRET_CONTEXT = /\b(?:aws|secret|access[ _-]?key|secret[ _-]?key|credentials?|sk)\b/;

export const awsKeyRecognizer: Recognizer = {
  name: 'aws-key',
  types: ['AWS_ACCESS_KEY', 'AWS_SECRET_KEY'],
  find(text) {
    const out: PiiCandidate[] = [];
    const accessKeys: number[] = [];
    for (const m of text.matchAll(ACCESS_KEY)) {
      accessKeys.push(m.index);
      out.push({
        type: 'AWS_ACCESS_KEY',
        start: m.index,
        end: m.index + m[0].length,
        score: m[1] === 'AKIA' || m[1] === 'ASIA' ? 0.97 : 0.85,
      });
    }
    if (hasRun(text, 40, isKeyCharacter)) for (const m of text.matchAll(SECRET_KEY)) {
      const key = m[0];
      if (!/[A-Z]/.test(key) || !/[a-z]/.test(key) || !/\d/.test(key)) continue;
      const start = m.index;
      const end = start + key.length;
      const nearAccessKey = accessKeys.some((k) => Math.abs(k - start) < 200);
      const context = SECRET_CONTEXT.test(textBefore(text, start, 48).replace(/_/g, ' '));
      out.push({ type: 'AWS_SECRET_KEY', start, end, score: nearAccessKey || context ? 0.95 : 0.55 });
    }
    return out;
  },
};
