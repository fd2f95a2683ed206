import { readCompromiseModel } from './read-compromise-model.js';

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

interface Lexicon {
  firstNames: Set<string>;
  lastNames: Set<string>;
  places: Set<string>;
  countries: Set<string>;
  organizations: Set<string>;
  commonWords: Set<string>;
  honorifics: Set<string>;
  months: Set<string>;
  orgWords: Set<string>;
  placeWords: Set<string>;
}

/**
 * Word lists taken from compromise's built-in lexicon (about 14,000 entries, tagged) instead of running its tagger:
 * tagging costs ~10 ms per KB, twice the whole latency budget, while a set lookup costs nothing. Keys are lower-case
 * and accent-free (see `foldKey`), so "Fábio" finds "fabio". The lexicon is read in a worker: loading compromise in
 * this isolate would slow every request of the server (see readCompromiseModel). It is read on first use, not when
 * the module loads: that takes ~0.5-0.9 s, which every start of the server (and every test process that starts one)
 * paid whether or not any guardrail ever looked for a name or an address.
 */
let read: Lexicon | undefined;

function lexicon(): Lexicon {
  if (!read) read = readLexicon();
  return read;
}

function readLexicon(): Lexicon {
  const model = readCompromiseModel();
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
  return {
    firstNames,
    lastNames,
    places,
    countries,
    organizations,
    commonWords,
    honorifics,
    months,
    orgWords: new Set(model.orgWords),
    placeWords: new Set(model.placeWords),
  };
}

/** One of the word lists; the first lookup in any of them reads the lexicon. */
export class LexiconWords {
  private set: ReadonlySet<string> | undefined;

  constructor(private readonly pick: (l: Lexicon) => ReadonlySet<string>) {}

  has(key: string): boolean {
    if (!this.set) this.set = this.pick(lexicon());
    return this.set.has(key);
  }
}

export const FIRST_NAMES = new LexiconWords((l) => l.firstNames);
export const LAST_NAMES = new LexiconWords((l) => l.lastNames);
/** Countries, cities, regions, multi-word ones included ("new zealand"). */
export const PLACES = new LexiconWords((l) => l.places);
export const COUNTRIES = new LexiconWords((l) => l.countries);
export const ORGANIZATIONS = new LexiconWords((l) => l.organizations);
export const COMMON_WORDS = new LexiconWords((l) => l.commonWords);
export const HONORIFICS = new LexiconWords((l) => l.honorifics);
export const MONTHS_AND_DAYS = new LexiconWords((l) => l.months);
/** Words that make a capitalised phrase an organisation ("Bank", "Holdings", "University"). */
export const ORG_WORDS = new LexiconWords((l) => l.orgWords);
/** Words that make a capitalised phrase a place ("River", "County", "Street"). */
export const PLACE_WORDS = new LexiconWords((l) => l.placeWords);
