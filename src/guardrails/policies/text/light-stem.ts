/**
 * A light English suffix stripper, enough for "investing", "investment", "investors" to meet at "invest" and
 * "symptoms" at "symptom". It is not Porter's algorithm: over-stemming only costs a little precision here, because a
 * stem is compared with stems made by the same function, and scores are weighted by rarity.
 */
const SUFFIXES = [
  'izations', 'isations', 'ization', 'isation', 'ational', 'fulness', 'iveness', 'ousness', 'nesses', 'ations',
  'ements', 'ments', 'ation', 'ement', 'ities', 'ingly', 'ment', 'ness', 'ings', 'ives', 'ists', 'isms', 'ians',
  'ance', 'ence', 'able', 'ible', 'edly', 'sis', 'ing', 'ity', 'ive', 'ist', 'ism', 'ian', 'ers', 'ors', 'ful', 'ous',
  'ant', 'ent', 'ies', 'ied', 'ics', 'als', 'ly', 'ed', 'es', 'er',
  'or', 'al', 'ic', 's',
];
const MIN_STEM = 3;

export function lightStem(word: string): string {
  if (word.length <= MIN_STEM || !/^[a-z]+$/.test(word)) return word;
  let stem = word;
  for (const suffix of SUFFIXES) {
    if (stem.endsWith(suffix) && stem.length - suffix.length >= MIN_STEM) {
      // "class", "status", "analysis": a final s that is not a plural.
      if (suffix === 's' && 'siu'.includes(stem[stem.length - 2]!)) break;
      stem = stem.slice(0, -suffix.length);
      if (suffix === 'ies' || suffix === 'ied') stem += 'y';
      if (suffix === 'sis') stem += 's';
      break;
    }
  }
  if (stem.endsWith('ss') && stem !== word) return stem;
  if (stem.length > MIN_STEM + 1 && stem.endsWith('e')) stem = stem.slice(0, -1);
  // "running" → "runn" → "run"; but keep "ll" and "ss", which belong to the word ("spell", "class").
  const n = stem.length;
  if (n > MIN_STEM && stem[n - 1] === stem[n - 2] && !'lsaeiou'.includes(stem[n - 1]!)) stem = stem.slice(0, -1);
  return stem;
}
