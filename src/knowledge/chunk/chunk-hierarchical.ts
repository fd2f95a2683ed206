import type { PageSpan } from '../parse/parsed-document.js';
import type { Chunk } from './chunk.js';
import type { DocumentTokens } from './document-tokens.js';
import { splitTokenRange } from './split-token-range.js';
import { toChunk } from './to-chunk.js';

/**
 * Parent windows of the first level's maxTokens, each cut into child windows of the second level's; `overlapTokens`
 * repeats across neighbours in both layers (Bedrock: "tokens to repeat across chunks in the same layer"). Children
 * are what gets embedded; each carries its parent's text, which retrieval returns in its place.
 */
export function chunkHierarchical(
  tokens: DocumentTokens,
  pages: readonly PageSpan[] | undefined,
  config: { levelConfigurations: [{ maxTokens: number }, { maxTokens: number }]; overlapTokens: number },
): Chunk[] {
  const [parentLevel, childLevel] = config.levelConfigurations;
  const { text, starts } = tokens;
  const chunks: Chunk[] = [];
  for (const p of splitTokenRange(tokens, 0, tokens.count, parentLevel.maxTokens, config.overlapTokens)) {
    const parent = toChunk(text, starts[p.start]!, starts[p.end]!, undefined);
    if (!parent) continue;
    for (const c of splitTokenRange(tokens, p.start, p.end, childLevel.maxTokens, config.overlapTokens)) {
      const child = toChunk(text, starts[c.start]!, starts[c.end]!, pages, parent.text);
      if (child) chunks.push(child);
    }
  }
  return chunks;
}
