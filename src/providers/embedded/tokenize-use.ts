import type { EmbeddingsModel } from '@energetic-ai/embeddings';

type Tokenizer = EmbeddingsModel['tokenizer'];

interface TrieNode {
  children: Record<string, TrieNode | undefined>;
  end: boolean;
  /** [the piece's symbols, its log-probability, its vocabulary index] */
  word: [string[], number, number];
}

interface TokenizerInternals {
  trie: { root: TrieNode };
  vocabulary: Array<[string, number]>;
}

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
  const { trie, vocabulary } = tokenizer as unknown as TokenizerInternals;
  const normalized = text.normalize('NFKC');
  const input = normalized.length > 0 ? SEPARATOR + normalized.replace(/ /g, SEPARATOR) : normalized;
  const symbols = Array.from(input);
  const n = symbols.length;
  // Candidate pieces ending at each position, in the order the reference implementation visits them.
  const ending: Array<Array<{ len: number; score: number; index: number }>> = Array.from({ length: n + 1 }, () => []);
  for (let i = 0; i < n; i++) {
    let node = trie.root.children[symbols[i]];
    let found = false;
    for (let k = i; k < n && node; k++) {
      if (node.end) {
        ending[k + 1].push({ len: k + 1 - i, score: node.word[1], index: node.word[2] });
        found = true;
      }
      node = node.children[symbols[k + 1]];
    }
    if (!found) ending[i + 1].push({ len: 1, score: 0, index: 0 });
  }
  const best = new Float64Array(n + 1);
  const words = new Int32Array(n + 1);
  for (let end = 0; end <= n; end++) {
    for (const c of ending[end]) {
      const score = c.score + best[end - c.len];
      if (best[end] === 0 || score >= best[end]) {
        best[end] = score;
        words[end] = c.index;
      }
    }
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
