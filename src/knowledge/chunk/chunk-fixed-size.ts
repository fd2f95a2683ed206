import type { PageSpan } from '../parse/parsed-document.js';
import type { Chunk } from './chunk.js';
import type { DocumentTokens } from './document-tokens.js';
import { splitTokenRange } from './split-token-range.js';
import { toChunk } from './to-chunk.js';

/**
 * Windows of at most `maxTokens`, each overlapping the previous by `overlapPercentage` of `maxTokens` (Bedrock's
 * reading of the percentage), cut at paragraph, sentence or word boundaries where the window allows.
 */
export function chunkFixedSize(
  tokens: DocumentTokens,
  pages: readonly PageSpan[] | undefined,
  config: { maxTokens: number; overlapPercentage: number },
): Chunk[] {
  const overlap = Math.floor((config.maxTokens * config.overlapPercentage) / 100);
  const chunks: Chunk[] = [];
  for (const r of splitTokenRange(tokens, 0, tokens.count, config.maxTokens, overlap)) {
    const c = toChunk(tokens.text, tokens.starts[r.start]!, tokens.starts[r.end]!, pages);
    if (c) chunks.push(c);
  }
  return chunks;
}
