import type { Metadata, MetadataFilter } from '../metadata.js';

/** Where a chunk came from, in the shape of Bedrock's RetrievalResultLocation (type + one location object). */
export interface ChunkLocation {
  type: 'S3' | 'WEB' | 'CUSTOM' | 'LOCAL';
  uri: string;
  /** 1-based page for paged formats (PDF). */
  pageNumber?: number;
}

/** One chunk as the ingestion pipeline writes it. */
export interface ChunkInput {
  /** Stable within the index; the pipeline derives it from the document id and the chunk's ordinal. */
  id: string;
  /** The text that is embedded and keyword-indexed (for hierarchical chunking: the child). */
  text: string;
  /** Hierarchical chunking: the parent returned in place of the matched child. */
  parentText?: string;
  vector: Float32Array;
  metadata: Metadata;
  location: ChunkLocation;
}

export interface ScoredChunk {
  id: string;
  documentId: string;
  text: string;
  parentText?: string;
  metadata: Metadata;
  location: ChunkLocation;
  /** Higher is better. Semantic: cosine similarity in [-1, 1]; keyword: the store's BM25-like score (unbounded). */
  score: number;
  /** Present on semantic results so later steps (MMR, semantic chunking checks) need not re-embed. */
  vector?: Float32Array;
}

export interface VectorIndexSpec {
  /** One index per knowledge base; the id is safe as part of a file or table name ([a-z0-9-]). */
  indexId: string;
  dimensions: number;
}

/**
 * One interface for every vector store (embedded usearch + SQLite FTS5, PostgreSQL with pgvector, in-memory), held to
 * one conformance suite. Writes are per document and atomic: a reader sees all of a document's new chunks or all of
 * its old ones, never a half-indexed document, which is what lets ingestion crash and resume safely.
 */
export interface VectorStore {
  readonly dimensions: number;
  /** Replaces every chunk of `documentId` with `chunks` (an empty list deletes the document) in one transaction. */
  replaceDocument(documentId: string, chunks: ChunkInput[]): Promise<void>;
  deleteDocument(documentId: string): Promise<void>;
  /** Nearest chunks by cosine similarity, best first, after the filter (filtering must not starve k). */
  searchVector(vector: Float32Array, k: number, filter?: MetadataFilter): Promise<ScoredChunk[]>;
  /** Best keyword (BM25 or the store's full-text ranking) matches, best first, after the filter. */
  searchKeyword(query: string, k: number, filter?: MetadataFilter): Promise<ScoredChunk[]>;
  countChunks(): Promise<number>;
  /** Removes the whole index and its files or tables. */
  drop(): Promise<void>;
  close(): Promise<void>;
}

export interface VectorStoreFactory {
  readonly kind: string;
  open(spec: VectorIndexSpec): Promise<VectorStore>;
  /** Releases what the factory itself holds (a connection pool), after its stores are closed. */
  close?(): Promise<void>;
}
