import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { MetadataFilter } from '../metadata.js';
import { cosineSimilarity } from './cosine-similarity.js';
import { blobToVector, type ChunkRow, EmbeddedChunkDb, rowToChunk } from './embedded-chunk-db.js';
import { queryWords, toFts5Query } from './keyword-terms.js';
import { TopK } from './top-k.js';
import { type AnnFileRecord, type AnnOptions, DEFAULT_ANN_OPTIONS, UsearchAnn } from './usearch-ann.js';
import type { ChunkInput, ScoredChunk, VectorIndexSpec, VectorStore, VectorStoreFactory } from './vector-store.js';
import {
  checkChunks,
  checkDocumentId,
  checkFilter,
  checkIndexSpec,
  checkK,
  checkVector,
  dimensionMismatch,
  storeClosed,
} from './vector-store-checks.js';

export interface EmbeddedVectorStoreOptions {
  /** Folder with one sub-folder per index: `<dir>/<indexId>/chunks.db` and `vectors.usearch`. */
  dir: string;
  ann?: Partial<AnnOptions>;
  /**
   * How long after a write the ANN file is saved (it is also saved on close). Saving blocks the event loop while usearch
   * writes the file (about a second per GB), and an unsaved change only costs a re-add of its vectors on the next open.
   */
  saveDelayMs?: number;
  /**
   * With a filter, ANN candidates are widened (x4 per round) up to this many before the graph is given up for an exact
   * scan of the chunks the filter keeps. Default 4096.
   */
  maxFilteredCandidates?: number;
}

const BATCH = 8192;

/**
 * The embedded default: chunks, metadata and FTS5 in SQLite (the truth), an HNSW index from usearch over their vectors
 * (derived, rebuilt or reconciled on open). An index is opened once per process however many times `open` is called
 * (every handle shares it), because two in-memory ANN copies of one file would each miss the other's writes.
 * One process owns a data directory.
 */
export class EmbeddedVectorStoreFactory implements VectorStoreFactory {
  readonly kind = 'embedded';
  readonly #dir: string;
  readonly #settings: IndexSettings;

  /** A folder, or options with one. */
  constructor(options: EmbeddedVectorStoreOptions | string) {
    if (typeof options === 'string') options = { dir: options };
    this.#dir = resolve(options.dir);
    this.#settings = {
      ann: { ...DEFAULT_ANN_OPTIONS, ...options.ann },
      saveDelayMs: options.saveDelayMs ?? 60_000,
      maxFiltered: options.maxFilteredCandidates ?? 4096,
    };
  }

  async open(spec: VectorIndexSpec): Promise<VectorStore> {
    checkIndexSpec(spec);
    const path = join(this.#dir, spec.indexId);
    await closing.get(path);
    let pending = registry.get(path);
    if (!pending) {
      pending = EmbeddedIndex.open(path, spec, this.#settings);
      registry.set(path, pending);
      pending.catch(() => registry.delete(path));
    }
    const index = await pending;
    index.refs++;
    if (index.dimensions !== spec.dimensions) {
      await release(index);
      throw dimensionMismatch(spec.indexId, index.dimensions, spec.dimensions);
    }
    return new EmbeddedVectorStore(index);
  }
}

const registry = new Map<string, Promise<EmbeddedIndex>>();
const closing = new Map<string, Promise<void>>();

/** The last handle to go closes the index; a later open waits for that close before reading the files again. */
async function release(index: EmbeddedIndex): Promise<void> {
  if (index.dropped || --index.refs > 0) return;
  const path = index.path;
  registry.delete(path);
  const done = index.close();
  closing.set(path, done.catch(() => {}));
  await done.finally(() => closing.delete(path));
}

interface IndexSettings {
  ann: AnnOptions;
  saveDelayMs: number;
  maxFiltered: number;
}

class EmbeddedIndex {
  refs = 0;
  dropped = false;
  #dirty = false;
  #annStale = false;
  #timer: NodeJS.Timeout | undefined;
  #saving: Promise<void> | undefined;

  private constructor(
    readonly path: string,
    readonly indexId: string,
    readonly dimensions: number,
    readonly db: EmbeddedChunkDb,
    private ann: UsearchAnn,
    private readonly settings: IndexSettings,
  ) {}

  static async open(path: string, spec: VectorIndexSpec, settings: IndexSettings): Promise<EmbeddedIndex> {
    mkdirSync(path, { recursive: true });
    const db = new EmbeddedChunkDb(join(path, 'chunks.db'));
    try {
      const stored = db.getMeta('dimensions');
      if (stored === undefined) db.setMeta('dimensions', String(spec.dimensions));
      const dimensions = Number(stored ?? spec.dimensions);
      const recordText = db.getMeta('ann');
      const record = recordText ? (JSON.parse(recordText) as AnnFileRecord) : undefined;
      const file = join(path, 'vectors.usearch');
      const loaded = await UsearchAnn.load(file, dimensions, settings.ann, record);
      const index = new EmbeddedIndex(path, spec.indexId, dimensions, db, loaded ?? new UsearchAnn(dimensions, settings.ann), settings);
      if (index.#reconcile(loaded !== undefined)) {
        index.#dirty = true;
        await index.save();
      }
      return index;
    } catch (e) {
      db.close();
      throw e;
    }
  }

  get annFile(): string {
    return join(this.path, 'vectors.usearch');
  }

  /**
   * Brings the ANN index to exactly the live labels. Labels deleted since the last save come from the journal; labels
   * missing from the index are added from their blobs. Since labels are never reused, "contains every live label and has
   * as many entries" means "equal"; anything else (a stale or foreign file) is rebuilt from scratch.
   */
  #reconcile(fromFile: boolean): boolean {
    let changed = !fromFile;
    if (fromFile) {
      const removed = this.db.removedSinceSave().labels;
      if (removed.length) {
        this.ann.remove(removed);
        changed = true;
      }
    }
    const live = this.db.labels();
    const present = this.ann.contains(live);
    const missing = live.filter((_, i) => !present[i]);
    if (missing.length) {
      for (const b of this.db.vectorBatches(missing, BATCH)) this.ann.add(b.labels, b.vectors);
      changed = true;
    }
    if (this.ann.size !== live.length) {
      this.#rebuild();
      changed = true;
    }
    return changed;
  }

  #rebuild(): void {
    this.ann = new UsearchAnn(this.dimensions, this.settings.ann);
    for (const b of this.db.vectorBatches('all', BATCH)) this.ann.add(b.labels, b.vectors);
    this.#annStale = false;
  }

  replaceDocument(documentId: string, chunks: ChunkInput[]): void {
    const { removed, added } = this.db.replaceDocument(documentId, chunks);
    // No await between the commit and the ANN update: no reader can run in between, so none sees half of the change.
    try {
      this.ann.remove(removed);
      this.ann.add(
        added,
        chunks.map((c) => c.vector),
      );
    } catch {
      // The SQLite commit stands; the ANN index no longer matches it and is rebuilt before the next vector search.
      this.#annStale = true;
    }
    if (removed.length || added.length) this.#changed();
  }

  searchVector(query: Float32Array, k: number, filter: MetadataFilter | undefined): ScoredChunk[] {
    if (this.#annStale) this.#rebuild();
    const live = this.ann.size;
    if (live === 0) return [];
    // i8 and f16 distances are approximate: fetch more and let the exact re-rank below choose (bench/ann.ts: i8's own
    // top 10 holds ~90% of the true one, its top 20 re-ranked ~99%).
    const unfiltered = this.settings.ann.quantization === 'f32' ? k : Math.max(2 * k, k + 10);
    const maxFiltered = this.settings.maxFiltered;
    let fetch = filter ? Math.max(10 * k, 100) : unfiltered;
    for (;;) {
      const labels = this.ann.search(query, fetch);
      const rows = this.db.chunksByLabel(labels, filter);
      const exhausted = labels.length >= live;
      if (rows.size >= k || exhausted || (!filter && labels.length < fetch)) return rank(query, [...rows.values()], k);
      if (filter && fetch >= maxFiltered) return this.#exactFiltered(query, k, filter);
      fetch = Math.min(fetch * 4, filter ? maxFiltered : live);
    }
  }

  /** A selective filter: score every chunk that passes it (SQL narrows the scan; only vectors are read). */
  #exactFiltered(query: Float32Array, k: number, filter: MetadataFilter): ScoredChunk[] {
    const top = new TopK<number>(k);
    for (const r of this.db.filteredVectors(filter)) top.offer(r.label, cosineSimilarity(query, blobView(r.vector)));
    const labels = top.sorted().map((t) => t.item);
    return rank(query, [...this.db.chunksByLabel(labels, undefined).values()], k);
  }

  searchKeyword(query: string, k: number, filter: MetadataFilter | undefined): ScoredChunk[] {
    const words = queryWords(query);
    if (!words.length) return [];
    try {
      return this.db.keyword(toFts5Query(words), k, filter);
    } catch (e) {
      // The query is built from quoted words only, so FTS5 should never reject it; if it does, that is no match.
      if (e instanceof Error && /fts5/i.test(e.message)) return [];
      throw e;
    }
  }

  #changed(): void {
    this.#dirty = true;
    if (this.#timer || !Number.isFinite(this.settings.saveDelayMs)) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.save().catch(() => {
        // Stays dirty: the next timer or close tries again, and the next open reconciles regardless.
      });
    }, this.settings.saveDelayMs);
    this.#timer.unref();
  }

  /** Saves the ANN file if anything changed; one save at a time. */
  async save(): Promise<void> {
    while (this.#saving) await this.#saving;
    if (!this.#dirty || this.dropped) return;
    if (this.#annStale) this.#rebuild();
    this.#dirty = false;
    // Captured in the same tick as usearch's synchronous write: the file holds every removal journaled up to here.
    const through = this.db.journalPosition();
    this.#saving = this.ann
      .save(this.annFile)
      .then((record) => this.db.annSaved(JSON.stringify(record), through))
      .catch((e) => {
        this.#dirty = true;
        throw e;
      })
      .finally(() => {
        this.#saving = undefined;
      });
    await this.#saving;
  }

  async close(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    try {
      if (!this.dropped) await this.save();
    } finally {
      this.db.close();
    }
  }

  async drop(): Promise<void> {
    clearTimeout(this.#timer);
    while (this.#saving) await this.#saving.catch(() => {});
    this.dropped = true;
    this.db.close();
    await rm(this.path, { recursive: true, force: true });
  }
}

class EmbeddedVectorStore implements VectorStore {
  #closed = false;

  constructor(private readonly index: EmbeddedIndex) {}

  get dimensions(): number {
    return this.index.dimensions;
  }

  async replaceDocument(documentId: string, chunks: ChunkInput[]): Promise<void> {
    this.#live();
    checkChunks(this.dimensions, documentId, chunks);
    this.index.replaceDocument(documentId, chunks);
  }

  async deleteDocument(documentId: string): Promise<void> {
    this.#live();
    checkDocumentId(documentId);
    this.index.replaceDocument(documentId, []);
  }

  async searchVector(vector: Float32Array, k: number, filter?: MetadataFilter): Promise<ScoredChunk[]> {
    this.#live();
    checkVector(this.dimensions, vector, 'Query vector');
    checkK(k);
    return this.index.searchVector(vector, k, checkFilter(filter));
  }

  async searchKeyword(query: string, k: number, filter?: MetadataFilter): Promise<ScoredChunk[]> {
    this.#live();
    checkK(k);
    return this.index.searchKeyword(query, k, checkFilter(filter));
  }

  async countChunks(): Promise<number> {
    this.#live();
    return this.index.db.count();
  }

  async drop(): Promise<void> {
    this.#live();
    this.#closed = true;
    const path = this.index.path;
    registry.delete(path);
    const done = this.index.drop();
    closing.set(path, done.catch(() => {}));
    await done.finally(() => closing.delete(path));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await release(this.index);
  }

  #live(): void {
    if (this.#closed || this.index.dropped) throw storeClosed(this.index.indexId, this.index.dropped);
  }
}

function rank(query: Float32Array, rows: ChunkRow[], k: number): ScoredChunk[] {
  return rows
    .map((r) => rowToChunk(r, 0))
    .map((c) => ({ ...c, score: cosineSimilarity(query, c.vector!) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
}

function blobView(b: Buffer): Float32Array {
  return b.byteOffset % 4 === 0 ? new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4) : blobToVector(b);
}
