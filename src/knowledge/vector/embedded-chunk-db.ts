import Database from 'better-sqlite3';
import type { MetadataFilter } from '../metadata.js';
import { type SqlFragment, sqliteFilter } from './filter-to-sqlite.js';
import type { ChunkInput, ScoredChunk } from './vector-store.js';
import { chunkIdTaken } from './vector-store-checks.js';

const SCHEMA_VERSION = '1';

/**
 * The embedded store's source of truth: one SQLite file per index with the chunks (each with an integer label, the key
 * of its vector in the ANN index), an FTS5 index over their text, and the journal of labels deleted since the ANN file
 * was last saved. Labels come from AUTOINCREMENT, so one is never reused and the vector behind a label never changes:
 * that is what lets the ANN index be reconciled with this file after a crash by set arithmetic on labels alone.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS chunks (
  label INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  document_id TEXT NOT NULL,
  text TEXT NOT NULL,
  parent_text TEXT,
  metadata TEXT NOT NULL,
  location TEXT NOT NULL,
  vector BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_document ON chunks (document_id);
CREATE TABLE IF NOT EXISTS ann_removed (seq INTEGER PRIMARY KEY AUTOINCREMENT, label INTEGER NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5 (
  text, content = 'chunks', content_rowid = 'label', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS chunks_ai AFTER INSERT ON chunks BEGIN
  INSERT INTO chunks_fts (rowid, text) VALUES (new.label, new.text);
END;
CREATE TRIGGER IF NOT EXISTS chunks_ad AFTER DELETE ON chunks BEGIN
  INSERT INTO chunks_fts (chunks_fts, rowid, text) VALUES ('delete', old.label, old.text);
  INSERT INTO ann_removed (label) VALUES (old.label);
END;
CREATE TRIGGER IF NOT EXISTS chunks_bu BEFORE UPDATE ON chunks BEGIN
  SELECT RAISE(ABORT, 'chunks are replaced, never updated: a label must keep its vector');
END;
`;

interface ChunkRow {
  label: number;
  id: string;
  document_id: string;
  text: string;
  parent_text: string | null;
  metadata: string;
  location: string;
  vector: Buffer;
}

const ROW = 'c.label, c.id, c.document_id, c.text, c.parent_text, c.metadata, c.location, c.vector';

export class EmbeddedChunkDb {
  readonly db: Database.Database;
  readonly #labelsOf;
  readonly #ownerOf;
  readonly #deleteDocument;
  readonly #insert;
  readonly #count;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // WAL + NORMAL survives a process crash with every committed transaction; only an OS crash may lose the last few.
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    const version = this.getMeta('schema');
    if (version === undefined) this.setMeta('schema', SCHEMA_VERSION);
    else if (version !== SCHEMA_VERSION) throw new Error(`${file}: unknown schema version ${version}`);
    this.#labelsOf = this.db.prepare<[string], number>('SELECT label FROM chunks WHERE document_id = ?').pluck();
    this.#ownerOf = this.db.prepare<[string], string>('SELECT document_id FROM chunks WHERE id = ?').pluck();
    this.#deleteDocument = this.db.prepare('DELETE FROM chunks WHERE document_id = ?');
    this.#insert = this.db.prepare(
      'INSERT INTO chunks (id, document_id, text, parent_text, metadata, location, vector) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.#count = this.db.prepare<[], number>('SELECT count(*) FROM chunks').pluck();
  }

  getMeta(key: string): string | undefined {
    return this.db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck().get(key);
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** One transaction: the old chunks' labels are returned (for the ANN index) and the new ones assigned. */
  replaceDocument(documentId: string, chunks: ChunkInput[]): { removed: number[]; added: number[] } {
    return this.db.transaction(() => {
      for (const c of chunks) {
        const owner = this.#ownerOf.get(c.id);
        if (owner !== undefined && owner !== documentId) throw chunkIdTaken(c.id, owner);
      }
      const removed = this.#labelsOf.all(documentId);
      this.#deleteDocument.run(documentId);
      const added = chunks.map((c) => {
        const r = this.#insert.run(
          c.id,
          documentId,
          c.text,
          c.parentText ?? null,
          JSON.stringify(c.metadata),
          JSON.stringify(c.location),
          vectorToBlob(c.vector),
        );
        return Number(r.lastInsertRowid);
      });
      return { removed, added };
    })();
  }

  count(): number {
    return this.#count.get()!;
  }

  /** Every live label, ascending. */
  labels(): number[] {
    return this.db.prepare<[], number>('SELECT label FROM chunks ORDER BY label').pluck().all();
  }

  /** Labels deleted since the ANN file was saved, and the journal position to clear up to once it is saved again. */
  removedSinceSave(): { labels: number[]; through: number } {
    const labels = this.db.prepare<[], number>('SELECT label FROM ann_removed').pluck().all();
    return { labels, through: this.journalPosition() };
  }

  journalPosition(): number {
    return this.db.prepare<[], number>('SELECT coalesce(max(seq), 0) FROM ann_removed').pluck().get()!;
  }

  /** Called once the ANN file holding every change up to `through` is safely on disk. */
  annSaved(annMeta: string, through: number): void {
    this.db.transaction(() => {
      this.setMeta('ann', annMeta);
      this.db.prepare('DELETE FROM ann_removed WHERE seq <= ?').run(through);
    })();
  }

  /** Vectors of the given labels (or of every chunk), in batches, for building the ANN index. */
  *vectorBatches(labels: number[] | 'all', batchSize: number): Generator<{ labels: number[]; vectors: Float32Array[] }> {
    const sql =
      labels === 'all'
        ? 'SELECT label, vector FROM chunks ORDER BY label'
        : 'SELECT label, vector FROM chunks WHERE label IN (SELECT value FROM json_each(?))';
    const stmt = this.db.prepare<unknown[], { label: number; vector: Buffer }>(sql);
    const args = labels === 'all' ? [] : [JSON.stringify(labels)];
    let batch: { labels: number[]; vectors: Float32Array[] } = { labels: [], vectors: [] };
    for (const r of stmt.iterate(...args)) {
      batch.labels.push(r.label);
      batch.vectors.push(blobToVector(r.vector));
      if (batch.labels.length >= batchSize) {
        yield batch;
        batch = { labels: [], vectors: [] };
      }
    }
    if (batch.labels.length) yield batch;
  }

  /** The chunks behind ANN hits that are still live and pass the filter: dead labels simply find no row. */
  chunksByLabel(labels: number[], filter: MetadataFilter | undefined): Map<number, ChunkRow> {
    const f = filterSql(filter);
    const rows = this.db
      .prepare<unknown[], ChunkRow>(`SELECT ${ROW} FROM chunks c WHERE c.label IN (SELECT value FROM json_each(?))${f ? ` AND ${f.sql}` : ''}`)
      .all(JSON.stringify(labels), ...(f?.params ?? []));
    return new Map(rows.map((r) => [r.label, r]));
  }

  /** Every (label, vector) passing the filter, for exact search when the filter is too selective for the ANN index. */
  filteredVectors(filter: MetadataFilter): IterableIterator<{ label: number; vector: Buffer }> {
    const f = sqliteFilter(filter, 'c.metadata');
    return this.db.prepare<unknown[], { label: number; vector: Buffer }>(`SELECT c.label, c.vector FROM chunks c WHERE ${f.sql}`).iterate(...f.params);
  }

  /** BM25 over FTS5; `match` is already a safe FTS5 expression (see toFts5Query). */
  keyword(match: string, k: number, filter: MetadataFilter | undefined): ScoredChunk[] {
    const f = filterSql(filter);
    const rows = this.db
      .prepare<unknown[], ChunkRow & { score: number }>(
        `SELECT ${ROW}, bm25(chunks_fts) AS score FROM chunks_fts JOIN chunks c ON c.label = chunks_fts.rowid
         WHERE chunks_fts MATCH ?${f ? ` AND ${f.sql}` : ''} ORDER BY score LIMIT ?`,
      )
      .all(match, ...(f?.params ?? []), k);
    // FTS5's bm25() is negated so that ascending order is best first; the interface wants higher is better.
    return rows.map((r) => rowToChunk(r, -r.score));
  }

  close(): void {
    this.db.close();
  }
}

function filterSql(filter: MetadataFilter | undefined): SqlFragment | undefined {
  return filter ? sqliteFilter(filter, 'c.metadata') : undefined;
}

export function rowToChunk(r: ChunkRow, score: number): ScoredChunk {
  return {
    id: r.id,
    documentId: r.document_id,
    text: r.text,
    ...(r.parent_text !== null ? { parentText: r.parent_text } : {}),
    metadata: JSON.parse(r.metadata),
    location: JSON.parse(r.location),
    score,
    vector: blobToVector(r.vector),
  };
}

export type { ChunkRow };

/** Little-endian f32, as every platform Node's prebuilt SQLite and usearch binaries run on. */
export function vectorToBlob(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

export function blobToVector(b: Buffer): Float32Array {
  // A copy: the blob's offset in its pooled ArrayBuffer need not be 4-byte aligned.
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}
