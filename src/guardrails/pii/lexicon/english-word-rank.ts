import { cl100kWordRank } from '../../cl100k-word-rank.js';

/**
 * How common an English word is, read from cl100k's byte-pair merges: a lower-case word that is a single token
 * (with its leading space) was frequent in the tokenizer's web-text training data, and its token id is its merge rank,
 * so a smaller id means a more frequent word. "Statement" (5224) or "conference" (10017) are ordinary words; "Nishiyama"
 * is not a single token at all. compromise's lexicon lists parts of speech for only ~14,000 forms and misses most
 * nouns; this covers them with data the project already ships. cl100k rather than o200k because it is English-centric
 * (fewer foreign surnames are single tokens) and loads in about a third of the time.
 */
export function englishWordRank(lowerCaseWord: string): number {
  const hit = cache.get(lowerCaseWord);
  if (hit !== undefined) return hit;
  const rank = cl100kWordRank(lowerCaseWord);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(lowerCaseWord, rank);
  return rank;
}

const cache = new Map<string, number>();
const CACHE_LIMIT = 50_000;
