import type { EmbeddingsModel } from '@energetic-ai/embeddings';
import type { UseVocabulary } from './use-vocabulary.js';

/** The encoder's own tokenizer, or the same vocabulary built without the model (use-vocabulary.ts). */
type Tokenizer = EmbeddingsModel['tokenizer'] | Pick<UseVocabulary, 'trie' | 'vocabulary'>;

const SEPARATOR = '\u2581';

/**
 * The encoder's SentencePiece (unigram, Viterbi) tokenization, with the same result as `Tokenizer.encode` of
 * @energetic-ai/embeddings, but linear in the input. That implementation copies the rest of the input at every position
 * (`symbols.slice(i)`), which is quadratic: a 45,000-character input blocked the event loop for 15 s. Here the trie is
 * walked in place, at most one vocabulary piece deep (16 symbols), so tokenizing costs O(n).
 *
 * Ties and quirks are kept on purpose so the model sees exactly the ids it was used with: later candidates win ties
 * (`>=`), the back-trace steps by the piece's UTF-16 length, and runs of unknown pieces collapse into one.
 */
export function tokenizeUse(tokenizer: Tokenizer, text: string): number[] {
  const { trie, vocabulary } = tokenizer as unknown as Pick<UseVocabulary, 'trie' | 'vocabulary'>;
  const normalized = text.normalize('NFKC');
  const input = normalized.length > 0 ? SEPARATOR + normalized.replace(/ /g, SEPARATOR) : normalized;
  const symbols = Array.from(input);
  const n = symbols.length;
  // Viterbi, relaxed forwards: every piece starting at i is tried once best[i] is final (all pieces ending at i start
  // before it). For each end, candidates arrive in ascending start order, as the reference visits them, so ties
  // resolve the same way; no per-position candidate lists are built (they were most of the cost).
  const best = new Float64Array(n + 1);
  const words = new Int32Array(n + 1);
  const relax = (end: number, score: number, index: number) => {
    if (best[end] === 0 || score >= best[end]!) {
      best[end] = score;
      words[end] = index;
    }
  };
  for (let i = 0; i < n; i++) {
    let node = trie.root.children[symbols[i]!];
    let found = false;
    for (let k = i; k < n && node; k++) {
      if (node.end) {
        relax(k + 1, node.word[1] + best[i]!, node.word[2]);
        found = true;
      }
      node = node.children[symbols[k + 1]!];
    }
    if (!found) relax(i + 1, best[i]!, 0);
  }
  const reversed: number[] = [];
  for (let at = n; at > 0; at -= vocabulary[words[at]][0].length) reversed.push(words[at]);
  const merged: number[] = [];
  let previousUnknown = false;
  for (const id of reversed) {
    if (!(previousUnknown && id === 0)) merged.push(id);
    previousUnknown = id === 0;
  }
  return merged.reverse();
}
