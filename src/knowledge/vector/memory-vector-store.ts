import type { Metadata, MetadataFilter } from '../metadata.js';
import { cosineSimilarity } from './cosine-similarity.js';
import { foldedTerms, queryWords } from './keyword-terms.js';
import { matchesFilter } from './match-filter.js';
import type { ChunkLocation, ScoredChunk, VectorIndexSpec, VectorStore, VectorStoreFactory } from './vector-store.js';
import {
  checkChunks,
  checkDocumentId,
  checkFilter,
  checkIndexSpec,
  checkK,
  checkVector,
  chunkIdTaken,
  dimensionMismatch,
  storeClosed,
} from './vector-store-checks.js';

interface StoredChunk {
  id: string;
  documentId: string;
  text: string;
  parentText?: string;
  metadata: Metadata;
  location: ChunkLocation;
  vector: Float32Array;
  terms: Map<string, number>;
  length: number;
}

interface MemoryIndex {
  dimensions: number;
  documents: Map<string, StoredChunk[]>;
  owners: Map<string, string>;
  dropped: boolean;
}

// BM25's usual constants (also SQLite FTS5's).
const K1 = 1.2;
const B = 0.75;

/**
 * Exact search over chunks held in memory: the reference the other stores are compared with, and the store for tests.
 * Indexes live as long as the factory, so closing and reopening one keeps its chunks.
 */
export class MemoryVectorStoreFactory implements VectorStoreFactory {
  readonly kind = 'memory';
  readonly #indexes = new Map<string, MemoryIndex>();

  async open(spec: VectorIndexSpec): Promise<VectorStore> {
    checkIndexSpec(spec);
    let index = this.#indexes.get(spec.indexId);
    if (index && index.dimensions !== spec.dimensions) throw dimensionMismatch(spec.indexId, index.dimensions, spec.dimensions);
    if (!index) {
      index = { dimensions: spec.dimensions, documents: new Map(), owners: new Map(), dropped: false };
      this.#indexes.set(spec.indexId, index);
    }
    return new MemoryVectorStore(spec.indexId, index, () => this.#indexes.delete(spec.indexId));
  }
}

class MemoryVectorStore implements VectorStore {
  #closed = false;

  constructor(
    private readonly indexId: string,
    private readonly index: MemoryIndex,
    private readonly forget: () => void,
  ) {}

  get dimensions(): number {
    return this.index.dimensions;
  }

  async replaceDocument(documentId: string, chunks: Parameters<VectorStore['replaceDocument']>[1]): Promise<void> {
    this.#live();
    checkChunks(this.dimensions, documentId, chunks);
    for (const c of chunks) {
      const owner = this.index.owners.get(c.id);
      if (owner !== undefined && owner !== documentId) throw chunkIdTaken(c.id, owner);
    }
    this.#remove(documentId);
    if (!chunks.length) return;
    const stored = chunks.map((c): StoredChunk => {
      const terms = new Map<string, number>();
      const words = foldedTerms(c.text);
      for (const t of words) terms.set(t, (terms.get(t) ?? 0) + 1);
      return {
        id: c.id,
        documentId,
        text: c.text,
        parentText: c.parentText,
        metadata: structuredClone(c.metadata),
        location: { ...c.location },
        vector: Float32Array.from(c.vector),
        terms,
        length: words.length,
      };
    });
    this.index.documents.set(documentId, stored);
    for (const c of stored) this.index.owners.set(c.id, documentId);
  }

  async deleteDocument(documentId: string): Promise<void> {
    this.#live();
    checkDocumentId(documentId);
    this.#remove(documentId);
  }

  async searchVector(vector: Float32Array, k: number, filter?: MetadataFilter): Promise<ScoredChunk[]> {
    this.#live();
    checkVector(this.dimensions, vector, 'Query vector');
    checkK(k);
    const f = checkFilter(filter);
    return this.#candidates(f)
      .map((c) => ({ c, score: cosineSimilarity(vector, c.vector) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, k)
      .map(({ c, score }) => toScored(c, score));
  }

  async searchKeyword(query: string, k: number, filter?: MetadataFilter): Promise<ScoredChunk[]> {
    this.#live();
    checkK(k);
    const f = checkFilter(filter);
    const terms = [...new Set(queryWords(query).flatMap(foldedTerms))];
    if (!terms.length) return [];
    const all = [...this.index.documents.values()].flat();
    const avgLength = all.reduce((n, c) => n + c.length, 0) / Math.max(1, all.length);
    const idf = new Map(
      terms.map((t) => {
        const n = all.filter((c) => c.terms.has(t)).length;
        return [t, Math.log(1 + (all.length - n + 0.5) / (n + 0.5))];
      }),
    );
    const scored: { c: StoredChunk; score: number }[] = [];
    for (const c of this.#candidates(f)) {
      let score = 0;
      for (const t of terms) {
        const tf = c.terms.get(t);
        if (tf) score += (idf.get(t)! * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * c.length) / avgLength));
      }
      if (score > 0) scored.push({ c, score });
    }
    return scored
      .sort((a, b) => b.score - a.score)
      .slice(0, k)
      .map(({ c, score }) => toScored(c, score));
  }

  async countChunks(): Promise<number> {
    this.#live();
    return this.index.owners.size;
  }

  async drop(): Promise<void> {
    this.#live();
    this.index.dropped = true;
    this.index.documents.clear();
    this.index.owners.clear();
    this.forget();
    this.#closed = true;
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #candidates(filter: MetadataFilter | undefined): StoredChunk[] {
    const all = [...this.index.documents.values()].flat();
    return filter ? all.filter((c) => matchesFilter(filter, c.metadata)) : all;
  }

  #remove(documentId: string): void {
    for (const c of this.index.documents.get(documentId) ?? []) this.index.owners.delete(c.id);
    this.index.documents.delete(documentId);
  }

  #live(): void {
    if (this.#closed || this.index.dropped) throw storeClosed(this.indexId, this.index.dropped);
  }
}

function toScored(c: StoredChunk, score: number): ScoredChunk {
  return {
    id: c.id,
    documentId: c.documentId,
    text: c.text,
    ...(c.parentText !== undefined ? { parentText: c.parentText } : {}),
    metadata: structuredClone(c.metadata),
    location: { ...c.location },
    score,
    vector: Float32Array.from(c.vector),
  };
}
