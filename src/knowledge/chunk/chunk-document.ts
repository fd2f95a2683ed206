import { validation } from '../../core/index.js';
import type { ParsedDocument } from '../parse/parsed-document.js';
import type { Chunk, ChunkingConfiguration, EmbedTexts } from './chunk.js';
import { chunkFixedSize } from './chunk-fixed-size.js';
import { chunkHierarchical } from './chunk-hierarchical.js';
import { chunkSemantic } from './chunk-semantic.js';
import { parseChunkingConfiguration } from './chunking-configuration-schema.js';
import { tokenizeDocument } from './document-tokens.js';
import { toChunk } from './to-chunk.js';

/**
 * Cuts a parsed document into chunks with one of Bedrock's strategies. The configuration is validated (a
 * ValidationException names each problem); the document is tokenised once, whatever the strategy. Every chunk's
 * `start`/`end` are offsets into `doc.text` and `pageNumber` is the page its start falls on.
 */
export async function chunkDocument(doc: ParsedDocument, config: ChunkingConfiguration, embed?: EmbedTexts): Promise<Chunk[]> {
  const c = parseChunkingConfiguration(config);
  const pages = doc.pages && isSorted(doc.pages) ? doc.pages : doc.pages?.slice().sort((a, b) => a.start - b.start);
  switch (c.chunkingStrategy) {
    case 'NONE': {
      const whole = toChunk(doc.text, 0, doc.text.length, pages);
      return whole ? [whole] : [];
    }
    case 'FIXED_SIZE':
      return chunkFixedSize(await tokenizeDocument(doc.text), pages, c.fixedSizeChunkingConfiguration);
    case 'HIERARCHICAL':
      return chunkHierarchical(await tokenizeDocument(doc.text), pages, c.hierarchicalChunkingConfiguration);
    case 'SEMANTIC':
      if (!embed) throw validation('SEMANTIC chunking needs the knowledge base embedding model to compare sentences; no embedder was given');
      return chunkSemantic(await tokenizeDocument(doc.text), pages, c.semanticChunkingConfiguration, embed);
    default: {
      const never: never = c;
      throw new Error(`Unknown chunking strategy ${(never as { chunkingStrategy: string }).chunkingStrategy}`);
    }
  }
}

function isSorted(pages: readonly { start: number }[]): boolean {
  for (let i = 1; i < pages.length; i++) if (pages[i]!.start < pages[i - 1]!.start) return false;
  return true;
}
