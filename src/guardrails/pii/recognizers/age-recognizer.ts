import type { PiiCandidate, Recognizer } from '../recognizer.js';

// "74 year old", "35-year-old", "40 years of age", "26 y/o", "aged 61", "age: 61", "at the age of 61", "just turned 63",
// "I'll turn 80", "I am 40 years". Bedrock reports the quantity with its unit ("40 years") when there is one.
const WITH_UNIT =
  /(?<![\w.,])(\d{1,3})(?:\s?-\s?|\s)(?:(?:years?|yrs?)(?:\s?-\s?|\s)(?:old\b|of age\b)|y\/o\b|yo\b|y\.o\.|(?:years?|yrs?)\b)/gi;
const AFTER_CUE =
  /\b(?:aged?|age of|age:|age is|turned|turning|turns|turn|i am|i'm|im|he's|she's|he is|she is|they are|who is)\s+(\d{1,3})(?!\w|[.,]\d)/gi;

export const ageRecognizer: Recognizer = {
  name: 'age',
  types: ['AGE'],
  find(text) {
    const out: PiiCandidate[] = [];
    const covered = new Set<number>();
    for (const m of text.matchAll(WITH_UNIT)) {
      const years = Number(m[1]);
      if (years === 0 || years > 125) continue;
      const phrase = m[0].toLowerCase();
      const before = text.slice(Math.max(0, m.index - 16), m.index).toLowerCase();
      // "for 40 years" is a duration; "40 years old", "aged 40 years", "I am 40 years" are ages.
      const age = /old|of age|y\/o|yo|y\.o\./.test(phrase) || /\b(?:aged?|i am|i'm|is|turned|turning)\s*$/.test(before);
      if (!age) continue;
      const unitEnd = m[0].search(/(?:\s?-\s?|\s)(?:old|of age)$/i);
      const end = m.index + (unitEnd > 0 ? unitEnd : m[0].length);
      out.push({ type: 'AGE', start: m.index, end, score: 0.9 });
      covered.add(m.index);
    }
    for (const m of text.matchAll(AFTER_CUE)) {
      const years = Number(m[1]);
      if (years === 0 || years > 125) continue;
      const cue = m[0].toLowerCase();
      const numberStart = m.index + m[0].length - m[1]!.length;
      if (covered.has(numberStart)) continue;
      const after = text.slice(numberStart + m[1]!.length, numberStart + m[1]!.length + 12).toLowerCase();
      // Only "age"/"aged" say age outright. After "turn" or "I'm" a bare number is an age only where the clause ends
      // ("I'll turn 80.", "I'm 26, and"), not before a noun ("turn 2 pages", "I'm 26 minutes late").
      const weakCue = !/^(?:aged?|age of|age:|age is)/.test(cue);
      if (weakCue && !/^\s*(?:$|[.,;!?)]|and\b|but\b|now\b|this\b|next\b|today\b|soon\b|in\b|on\b|last\b|y)/.test(after))
        continue;
      if (/^\s*(?:%|percent|minutes?|hours?|days?|weeks?|months?|times?|am|pm|o'clock|:)/.test(after)) continue;
      const turned = /^(?:turned|turning|turns|turn)/.test(cue);
      out.push({
        type: 'AGE',
        start: numberStart,
        end: numberStart + m[1]!.length,
        score: !weakCue ? 0.85 : turned ? 0.75 : 0.65,
      });
    }
    return out;
  },
};
