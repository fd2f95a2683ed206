import { PROFANITY_LEXICON } from './profanity-lexicon.js';
import { PROFANITY_ANYWHERE_ROOTS, PROFANITY_INNOCENT_WORDS } from './profanity-seed.js';
import type { WordEntry } from './word-matcher.js';

/** The managed PROFANITY list as matcher entries: every listed word whole, and the unambiguous roots anywhere. */
export const PROFANITY_ENTRIES: readonly WordEntry[] = [
  ...PROFANITY_LEXICON.map((text) => ({ text })),
  ...PROFANITY_ANYWHERE_ROOTS.map((text) => ({ text, anywhere: true })),
];

export { PROFANITY_INNOCENT_WORDS };
