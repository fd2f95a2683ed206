import { cl100kWordRank } from '../../cl100k-word-rank.js';

/**
 * How much a word says about a topic, 0.15–1, from how common it is in web text: cl100k's byte-pair merge rank of the
 * word as one token (with its leading space) orders words by frequency, so "advice" (rank ~5,000) weighs less than
 * "portfolio" (~20,000), and a word that is not a single token at all ("cryptocurrency") weighs the most. Only topic
 * definitions and examples are weighed, once per policy, so the tokenizer stays off the request path.
 */
export function termSpecificity(lowerCaseWord: string): number {
  const rank = cl100kWordRank(lowerCaseWord);
  if (rank === Number.POSITIVE_INFINITY) return 1;
  const x = (Math.log(rank) - Math.log(COMMON)) / (Math.log(RARE) - Math.log(COMMON));
  return Math.min(1, Math.max(0.15, x));
}

/** Ranks at or below this are everyday words; at or above RARE, specific vocabulary. */
const COMMON = 400;
const RARE = 40_000;
