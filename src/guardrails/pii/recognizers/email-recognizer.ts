import type { PiiCandidate, Recognizer } from '../recognizer.js';

// Local part and domain labels are bounded ({1,64}, {0,61}) and the match may only start where a local-part run
// starts, so a megabyte of letters without an '@' costs one pass, not one pass per letter.
const LOCAL = "[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]";
const LABEL = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?';
const EMAIL = new RegExp(
  `(?<!${LOCAL}|\\.)${LOCAL}{1,64}(?:\\.${LOCAL}{1,64}){0,8}@(?:${LABEL}\\.){1,8}\\p{L}{2,24}(?![\\p{L}\\p{N}-]|\\.[\\p{L}\\p{N}])`,
  'gu',
);

export const emailRecognizer: Recognizer = {
  name: 'email',
  types: ['EMAIL'],
  find(text) {
    const out: PiiCandidate[] = [];
    if (!text.includes('@')) return out;
    for (const m of text.matchAll(EMAIL)) {
      out.push({ type: 'EMAIL', start: m.index, end: m.index + m[0].length, score: 0.95 });
    }
    return out;
  },
};
