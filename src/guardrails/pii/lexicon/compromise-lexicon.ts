import { readCompromiseModel } from './read-compromise-model.js';

/**
 * Word lists taken from compromise's built-in lexicon (about 14,000 entries, tagged) instead of running its tagger:
 * tagging costs ~10 ms per KB, twice the whole latency budget, while a set lookup costs nothing. Keys are lower-case
 * and accent-free (see `foldKey`), so "Fábio" finds "fabio". The lexicon is read in a worker: loading compromise in
 * this isolate would slow every request of the server (see readCompromiseModel).
 */
const model = readCompromiseModel();

export function foldKey(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const FIRST_NAME_TAGS = new Set(['FirstName', 'MaleName', 'FemaleName']);
const PLACE_TAGS = new Set(['Country', 'City', 'Region']);
const NON_WORD_TAGS = new Set([
  ...FIRST_NAME_TAGS,
  'LastName',
  'Person',
  'ProperNoun',
  ...PLACE_TAGS,
  'Place',
  'Organization',
  'SportsTeam',
]);

const firstNames = new Set<string>();
const lastNames = new Set<string>();
const places = new Set<string>();
const countries = new Set<string>();
const organizations = new Set<string>();
const commonWords = new Set<string>();
const honorifics = new Set<string>();
const months = new Set<string>();

for (const [word, tagOrTags] of model.lexicon) {
  const tags = Array.isArray(tagOrTags) ? tagOrTags : [tagOrTags];
  const key = foldKey(word);
  for (const tag of tags) {
    if (FIRST_NAME_TAGS.has(tag)) firstNames.add(key);
    else if (tag === 'LastName') lastNames.add(key);
    else if (tag === 'Country') {
      countries.add(key);
      places.add(key);
    } else if (PLACE_TAGS.has(tag)) places.add(key);
    else if (tag === 'Organization' || tag === 'SportsTeam') organizations.add(key);
    else if (tag === 'Honorific') honorifics.add(key);
    else if (tag === 'Month' || tag === 'WeekDay') months.add(key);
  }
  // A word with any ordinary part of speech ("will", "june", "bill") is a common word first and a name second.
  if (!key.includes(' ') && tags.some((t) => !NON_WORD_TAGS.has(t))) commonWords.add(key);
}

export const FIRST_NAMES: ReadonlySet<string> = firstNames;
export const LAST_NAMES: ReadonlySet<string> = lastNames;
/** Countries, cities, regions, multi-word ones included ("new zealand"). */
export const PLACES: ReadonlySet<string> = places;
export const COUNTRIES: ReadonlySet<string> = countries;
export const ORGANIZATIONS: ReadonlySet<string> = organizations;
export const COMMON_WORDS: ReadonlySet<string> = commonWords;
export const HONORIFICS: ReadonlySet<string> = honorifics;
export const MONTHS_AND_DAYS: ReadonlySet<string> = months;
/** Words that make a capitalised phrase an organisation ("Bank", "Holdings", "University"). */
export const ORG_WORDS: ReadonlySet<string> = new Set(model.orgWords);
/** Words that make a capitalised phrase a place ("River", "County", "Street"). */
export const PLACE_WORDS: ReadonlySet<string> = new Set(model.placeWords);
