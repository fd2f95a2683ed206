import type { ChunkingConfiguration } from '../chunk/chunk.js';
import { chunkDocument } from '../chunk/index.js';
import { type EmbeddingCache, sha256 } from '../embedding-cache.js';
import type { Metadata } from '../metadata.js';
import { DocumentParseError } from '../parse/document-parse-error.js';
import { parseDocument } from '../parse/parse-document.js';
import type { SourceItem } from '../sources/source-item.js';
import type { ChunkInput, ChunkLocation } from '../vector/vector-store.js';

/** The metadata keys Bedrock adds to every chunk; filters and citations rely on them. */
export const SOURCE_URI_KEY = 'x-amz-bedrock-kb-source-uri';
export const DATA_SOURCE_ID_KEY = 'x-amz-bedrock-kb-data-source-id';
export const CHUNK_ID_KEY = 'x-amz-bedrock-kb-chunk-id';
export const PAGE_NUMBER_KEY = 'x-amz-bedrock-kb-document-page-number';

export interface IndexSettings {
  dataSourceId: string;
  embeddingModelId: string;
  dimensions: number;
  chunking: ChunkingConfiguration;
  ocr: boolean;
  locationType: ChunkLocation['type'];
  maxChars?: number;
}

/** A document read, parsed and chunked, waiting for its vectors. */
export interface PreparedDocument {
  uri: string;
  /** The vector store's document id: unique across the data sources of one knowledge base. */
  documentId: string;
  hash: string;
  chunks: Omit<ChunkInput, 'vector'>[];
  /** What is embedded per chunk: its text, preceded by the sidecar attributes marked includeForEmbedding. */
  embedTexts: string[];
  textHashes: string[];
}

export type Embedder = (texts: string[], signal: AbortSignal) => Promise<Float32Array[]>;

/** Texts per embedding call: the embedded encoder's own batch size, so each call is one forward pass. */
export const EMBED_BATCH_SIZE = 32;

export const documentIdFor = (dataSourceId: string, uri: string) => `${dataSourceId}:${uri}`;

/**
 * The hash that decides whether a document changed: its bytes, its sidecar metadata and everything about how it is
 * indexed (model, chunking, OCR), so changing the chunking configuration re-indexes on the next sync.
 */
export function contentHash(bytes: Uint8Array, metadata: Metadata | undefined, s: IndexSettings): string {
  const how = JSON.stringify([metadata ?? {}, s.embeddingModelId, s.dimensions, s.chunking, s.ocr]);
  return sha256(Buffer.concat([Buffer.from(bytes), Buffer.from(`\0${how}`)]));
}

/** Parses and chunks one document. Throws DocumentParseError (or another error) with a reason on failure. */
export async function prepareDocument(
  item: SourceItem,
  bytes: Uint8Array,
  hash: string,
  s: IndexSettings,
  embed: Embedder,
  signal: AbortSignal,
): Promise<PreparedDocument> {
  const parsed = await parseDocument(
    { name: item.name, bytes, contentType: item.contentType },
    { ocr: s.ocr, maxChars: s.maxChars, signal, ...(item.sidecar?.records ? { records: item.sidecar.records } : {}) },
  );
  const embedPrefix = (item.sidecar?.embedKeys ?? [])
    .filter((k) => item.metadata?.[k] !== undefined)
    .map((k) => `${k}: ${String(item.metadata![k])}\n`)
    .join('');
  const documentId = documentIdFor(s.dataSourceId, item.uri);
  const chunks: Omit<ChunkInput, 'vector'>[] = [];
  const embedForChunking = (texts: string[]) => embed(texts, signal);
  for (const doc of parsed) {
    if (!doc.text.trim()) continue;
    for (const c of await chunkDocument(doc, s.chunking, embedForChunking)) {
      if (!c.text.trim()) continue;
      const id = sha256(`${documentId}\0${chunks.length}`).slice(0, 32);
      const metadata: Metadata = {
        ...doc.metadata,
        ...item.metadata,
        [SOURCE_URI_KEY]: item.uri,
        [DATA_SOURCE_ID_KEY]: s.dataSourceId,
        [CHUNK_ID_KEY]: id,
      };
      if (c.pageNumber !== undefined) metadata[PAGE_NUMBER_KEY] = c.pageNumber;
      const location: ChunkLocation = { type: s.locationType, uri: item.uri, ...(c.pageNumber !== undefined ? { pageNumber: c.pageNumber } : {}) };
      chunks.push({ id, text: c.text, ...(c.parentText ? { parentText: c.parentText } : {}), metadata, location });
    }
  }
  if (chunks.length === 0) throw new DocumentParseError(item.name, 'the document has no text to index');
  const embedTexts = chunks.map((c) => embedPrefix + c.text);
  return { uri: item.uri, documentId, hash, chunks, embedTexts, textHashes: embedTexts.map((t) => sha256(t)) };
}

/**
 * Vectors for the chunks of several documents at once: cached ones from the cache, the rest embedded in batches,
 * because an embedder runs far faster on a batch than on one text at a time (most documents are one or two chunks).
 */
export async function embedPrepared(
  docs: PreparedDocument[],
  s: IndexSettings,
  cache: EmbeddingCache,
  embed: Embedder,
  signal: AbortSignal,
  batchSize = EMBED_BATCH_SIZE,
): Promise<ChunkInput[][]> {
  const allHashes = [...new Set(docs.flatMap((d) => d.textHashes))];
  const known = await cache.getMany(s.embeddingModelId, allHashes);
  const missing = new Map<string, string>();
  for (const d of docs) {
    for (const [i, h] of d.textHashes.entries()) if (!known.has(h)) missing.set(h, d.embedTexts[i]!);
  }
  const pending = [...missing];
  const fresh: { hash: string; vector: Float32Array }[] = [];
  for (let i = 0; i < pending.length; i += batchSize) {
    const batch = pending.slice(i, i + batchSize);
    const vectors = await embed(
      batch.map(([, text]) => text),
      signal,
    );
    batch.forEach(([hash], j) => {
      known.set(hash, vectors[j]!);
      fresh.push({ hash, vector: vectors[j]! });
    });
  }
  if (fresh.length) await cache.putMany(s.embeddingModelId, fresh);
  return docs.map((d) => d.chunks.map((c, i) => ({ ...c, vector: known.get(d.textHashes[i]!)! })));
}
