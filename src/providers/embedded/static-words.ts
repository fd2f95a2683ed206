import type { StaticModel } from './load-static-model.js';
import { tokenizeUse } from './tokenize-use.js';

/** A text's words (runs of non-space): where each starts, and its vocabulary pieces. */
export interface StaticWords {
  starts: number[];
  pieces: (readonly number[])[];
}

const MAX_CACHED = 50_000;
const MAX_CACHED_WORD = 48;
const cache = new Map<string, readonly number[]>();

/**
 * The static model reads a text word by word. No piece of the encoder's vocabulary holds the word separator (▁)
 * anywhere but first, so the best segmentation of a text is the best segmentation of each word with its separator;
 * words repeat, so a word's pieces are found once and cached (a cache hit is one map lookup instead of a walk down the
 * trie from every character: two thirds of an embedding's cost before). Any whitespace separates words here, where
 * the encoder's tokenizer reads a tab or a line break as a symbol, and a run of spaces adds no lone separator pieces;
 * the table does not care (the encoder, trained on the reference's exact ids, keeps its whole-text tokenizer).
 */
export function staticWords(model: StaticModel, text: string): StaticWords {
  // One guardrail check reads an answer with several policies (denied topics, then grounding): the last few texts'
  // words are kept, so it is cut into words once.
  for (const [seen, words] of recent) if (seen === text) return words;
  const words = cutWords(model, text);
  recent.unshift([text, words]);
  if (recent.length > RECENT) recent.pop();
  return words;
}

const RECENT = 4;
const recent: Array<[string, StaticWords]> = [];

function cutWords(model: StaticModel, text: string): StaticWords {
  const starts: number[] = [];
  const pieces: (readonly number[])[] = [];
  // The runs of non-space (/\S+/g) cut by hand: a match object per word was most of what reading a text allocated.
  const n = text.length;
  for (let i = 0; i < n; ) {
    if (isSpace(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && !isSpace(text.charCodeAt(i))) i++;
    const word = text.slice(start, i);
    let ids = cache.get(word);
    if (!ids) {
      ids = tokenizeUse(model.vocabulary, word);
      if (word.length <= MAX_CACHED_WORD) {
        if (cache.size >= MAX_CACHED) cache.clear();
        cache.set(word, ids);
      }
    }
    starts.push(start);
    pieces.push(ids);
  }
  return { starts, pieces };
}

/** JavaScript's \s, by code unit. */
function isSpace(c: number): boolean {
  if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}
