import { lazyRequire } from '../core/index.js';

// cl100k's merge table is 1.2 MB of JavaScript; it is loaded by the first word ranked, not when the server starts.
const cl100k = lazyRequire<typeof import('gpt-tokenizer/encoding/cl100k_base')>('gpt-tokenizer/encoding/cl100k_base');

/**
 * A lower-case word's cl100k merge rank when the word (with its leading space) is one token, else Infinity: a
 * smaller rank means a word more frequent in the tokenizer's web-text training data. Words past 24 characters are
 * never one token, so they are not encoded.
 */
export function cl100kWordRank(lowerCaseWord: string): number {
  const ids = lowerCaseWord.length > 24 ? [] : cl100k().encode(` ${lowerCaseWord}`);
  return ids.length === 1 ? ids[0]! : Number.POSITIVE_INFINITY;
}
