import pg from 'pg';
import type { MetadataFilter } from '../metadata.js';
import { postgresFilter } from './filter-to-postgres.js';
import { queryWords } from './keyword-terms.js';
import { QuarryError } from '../../core/errors.js';
import { splitSchema } from '../../store/index.js';
import type { ChunkInput, ScoredChunk, VectorIndexSpec, VectorStore, VectorStoreFactory } from './vector-store.js';
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

export interface PgvectorStoreOptions {
  /**
   * The caller's pool (it owns it and ends it), or a connection string for a pool of the factory's own (ended by
   * `close()`). Every transaction here holds one client and never asks for a second, so a pool of one works. A
   * connection string may name a schema with `?schema=<name>`, as the store's URL does.
   */
  pool: pg.Pool | string;
  /**
   * The schema the tables live in (created when missing); the server's default (`public`) when absent. Table names are
   * qualified with it rather than set on the search path, so the `vector` type keeps resolving from wherever the
   * extension was installed.
   */
  schema?: string;
  /** HNSW parameters: pgvector's defaults, and ef_search widened to k when k is larger. */
  hnsw?: { m?: number; efConstruction?: number; efSearch?: number };
}

/** pgvector's HNSW (and IVFFlat) index `vector` columns of at most 2000 dimensions; wider ones are searched exactly. */
const HNSW_MAX_DIMENSIONS = 2000;
/** pgvector's upper bound for hnsw.ef_search. */
const EF_SEARCH_MAX = 1000;
/** One key for all vector-store DDL, so replicas starting together do not race CREATE EXTENSION / CREATE TABLE. */
const DDL_LOCK = 7_310_472_861;

/**
 * PostgreSQL with pgvector, for the distributed deployment. One table per index (`kb_chunks_<indexId>`) rather than one
 * shared table with an index_id column: the `vector(d)` type that HNSW needs fixes the dimension per column, and
 * knowledge bases use different embedding models; a table per index also makes drop a DROP TABLE and keeps one
 * knowledge base's scans and index builds away from the others'. Full text is a generated `tsvector` ('simple'
 * configuration: lower-cased words, no stemming or stop words, like Bedrock's default analyzer) ranked by ts_rank_cd.
 */
export class PgvectorVectorStoreFactory implements VectorStoreFactory {
  readonly kind = 'pgvector';
  readonly #pool: pg.Pool;
  readonly #ownPool: boolean;
  readonly #options: PgvectorStoreOptions;
  readonly #schema: string | undefined;

  constructor(options: PgvectorStoreOptions | string) {
    this.#options = typeof options === 'string' ? { pool: options } : options;
    const { pool } = this.#options;
    this.#ownPool = typeof pool === 'string';
    const url = typeof pool === 'string' ? splitSchema(pool) : undefined;
    this.#schema = this.#options.schema ?? url?.schema;
    // An idle pool of our own must not keep the process alive on its own.
    this.#pool = url ? new pg.Pool({ connectionString: url.connectionString, allowExitOnIdle: true }) : (pool as pg.Pool);
  }

  /** Ends the pool if the factory made it. */
  async close(): Promise<void> {
    if (this.#ownPool) await this.#pool.end();
  }

  async open(spec: VectorIndexSpec): Promise<VectorStore> {
    checkIndexSpec(spec);
    const table = `kb_chunks_${spec.indexId}`;
    const t = this.#schema ? `${quote(this.#schema)}.${quote(table)}` : quote(table);
    const { m = 16, efConstruction = 64 } = this.#options.hnsw ?? {};
    await transaction(this.#pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [DDL_LOCK]);
      if (this.#schema) await c.query(`CREATE SCHEMA IF NOT EXISTS ${quote(this.#schema)}`);
      await c.query('CREATE EXTENSION IF NOT EXISTS vector').catch((e: { code?: string }) => {
        if (e.code !== '0A000') throw e;
        throw new QuarryError(
          'InternalServerException',
          'This PostgreSQL server has no pgvector extension (CREATE EXTENSION vector failed): install pgvector there, or use the embedded vector store.',
          { cause: e, retryable: false },
        );
      });
      const existing = await c.query<{ dims: number }>(
        "SELECT atttypmod AS dims FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = 'embedding'",
        [t],
      );
      if (existing.rows.length) {
        if (existing.rows[0].dims !== spec.dimensions) throw dimensionMismatch(spec.indexId, existing.rows[0].dims, spec.dimensions);
        return;
      }
      await c.query(`CREATE TABLE ${t} (
        id text PRIMARY KEY,
        document_id text NOT NULL,
        text text NOT NULL,
        parent_text text,
        metadata jsonb NOT NULL,
        location jsonb NOT NULL,
        embedding vector(${spec.dimensions}) NOT NULL,
        fts tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, text)) STORED
      )`);
      await c.query(`CREATE INDEX ${quote(`${table}_doc`)} ON ${t} (document_id)`);
      await c.query(`CREATE INDEX ${quote(`${table}_fts`)} ON ${t} USING gin (fts)`);
      if (spec.dimensions <= HNSW_MAX_DIMENSIONS) {
        await c.query(
          `CREATE INDEX ${quote(`${table}_hnsw`)} ON ${t} USING hnsw (embedding vector_cosine_ops) WITH (m = ${int(m)}, ef_construction = ${int(efConstruction)})`,
        );
      }
    });
    return new PgvectorStore(this.#pool, this.#options.hnsw?.efSearch ?? 40, spec, t);
  }
}

interface Row {
  id: string;
  document_id: string;
  text: string;
  parent_text: string | null;
  metadata: ScoredChunk['metadata'];
  location: ScoredChunk['location'];
  embedding: string;
  score: number;
}

const COLUMNS = 'id, document_id, text, parent_text, metadata, location, embedding::text AS embedding';

class PgvectorStore implements VectorStore {
  #closed = false;
  #dropped = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly efSearch: number,
    private readonly spec: VectorIndexSpec,
    private readonly table: string,
  ) {}

  get dimensions(): number {
    return this.spec.dimensions;
  }

  async replaceDocument(documentId: string, chunks: ChunkInput[]): Promise<void> {
    this.#live();
    checkChunks(this.dimensions, documentId, chunks);
    await this.#run(() =>
      transaction(this.pool, async (c) => {
        // Two replicas re-ingesting one document at once would otherwise interleave their delete and insert.
        await c.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${this.table}/${documentId}`]);
        const ids = chunks.map((x) => x.id);
        const taken = await c.query<{ id: string; document_id: string }>(
          `SELECT id, document_id FROM ${this.table} WHERE id = ANY($1::text[]) AND document_id <> $2 LIMIT 1`,
          [ids, documentId],
        );
        if (taken.rows.length) throw chunkIdTaken(taken.rows[0].id, taken.rows[0].document_id);
        await c.query(`DELETE FROM ${this.table} WHERE document_id = $1`, [documentId]);
        if (!chunks.length) return;
        await c.query(
          `INSERT INTO ${this.table} (id, document_id, text, parent_text, metadata, location, embedding)
           SELECT id, $2, text, parent_text, metadata, location, embedding
           FROM unnest($1::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[], $7::vector[])
             AS u(id, text, parent_text, metadata, location, embedding)`,
          [
            ids,
            documentId,
            chunks.map((x) => x.text),
            chunks.map((x) => x.parentText ?? null),
            chunks.map((x) => JSON.stringify(x.metadata)),
            chunks.map((x) => JSON.stringify(x.location)),
            chunks.map((x) => vectorLiteral(x.vector)),
          ],
        );
      }),
    );
  }

  async deleteDocument(documentId: string): Promise<void> {
    this.#live();
    checkDocumentId(documentId);
    await this.replaceDocument(documentId, []);
  }

  async searchVector(vector: Float32Array, k: number, filter?: MetadataFilter): Promise<ScoredChunk[]> {
    this.#live();
    checkVector(this.dimensions, vector, 'Query vector');
    checkK(k);
    const f = checkFilter(filter);
    const params: unknown[] = [vectorLiteral(vector), k];
    const where = f ? `WHERE ${postgresFilter(f, 'metadata', params)}` : '';
    const select = (order: string) =>
      `SELECT ${COLUMNS}, 1 - (embedding <=> $1::vector) AS score FROM ${this.table} ${where} ORDER BY ${order} LIMIT $2`;
    const ef = Math.min(EF_SEARCH_MAX, Math.max(this.efSearch, k));
    const rows = await this.#run(() =>
      transaction(this.pool, async (c) => {
        await c.query("SELECT set_config('hnsw.ef_search', $1, true)", [String(ef)]);
        // pgvector 0.8 keeps walking the graph until enough rows pass the filter (up to hnsw.max_scan_tuples).
        if (f) await c.query("SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true)");
        return (await c.query<Row>(select('embedding <=> $1::vector'), params)).rows;
      }),
    );
    if (rows.length < k) {
      // Short (a selective filter past hnsw.max_scan_tuples, or a tiny table): an ORDER BY the index cannot serve
      // forces an exact scan of the rows the filter keeps.
      const exact = await this.#run(() => this.pool.query<Row>(select('(embedding <=> $1::vector) + 0'), params));
      return exact.rows.map(toChunk);
    }
    // relaxed_order may return near-ties slightly out of order.
    return rows.map(toChunk).sort((a, b) => b.score - a.score);
  }

  async searchKeyword(query: string, k: number, filter?: MetadataFilter): Promise<ScoredChunk[]> {
    this.#live();
    checkK(k);
    const f = checkFilter(filter);
    const words = queryWords(query);
    if (!words.length) return [];
    // Words hold only letters, digits and marks, so quoted they are plain lexemes: no tsquery operator can come through.
    const params: unknown[] = [words.map((w) => `'${w}'`).join(' | '), k];
    const where = f ? ` AND ${postgresFilter(f, 'metadata', params)}` : '';
    const rows = await this.#run(() =>
      this.pool.query<Row>(
        `SELECT ${COLUMNS}, ts_rank_cd(fts, q) AS score FROM ${this.table}, to_tsquery('simple', $1) AS q
         WHERE fts @@ q${where} ORDER BY score DESC, id LIMIT $2`,
        params,
      ),
    );
    return rows.rows.map(toChunk);
  }

  async countChunks(): Promise<number> {
    this.#live();
    const r = await this.#run(() => this.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${this.table}`));
    return r.rows[0].n;
  }

  async drop(): Promise<void> {
    this.#live();
    await this.pool.query(`DROP TABLE IF EXISTS ${this.table}`);
    this.#dropped = true;
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #live(): void {
    if (this.#closed || this.#dropped) throw storeClosed(this.spec.indexId, this.#dropped);
  }

  /** PostgreSQL errors with a meaning for the caller become ours; the rest propagate as they are. */
  async #run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === '42P01') throw storeClosed(this.spec.indexId, true);
      if (code === '23505') {
        const detail = (e as { detail?: string }).detail ?? '';
        throw chunkIdTaken(/\(id\)=\((.*)\)/.exec(detail)?.[1] ?? '(unknown)', 'another document');
      }
      throw e;
    }
  }
}

async function transaction<T>(pool: pg.Pool, work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const out = await work(c);
    await c.query('COMMIT');
    return out;
  } catch (e) {
    await c.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    c.release();
  }
}

function toChunk(r: Row): ScoredChunk {
  return {
    id: r.id,
    documentId: r.document_id,
    text: r.text,
    ...(r.parent_text !== null ? { parentText: r.parent_text } : {}),
    metadata: r.metadata,
    location: r.location,
    score: Number(r.score),
    vector: parseVector(r.embedding),
  };
}

/** pgvector's text form; a JavaScript number prints the shortest decimal that reads back as the same float. */
function vectorLiteral(v: Float32Array): string {
  return `[${Array.prototype.join.call(v, ',')}]`;
}

function parseVector(text: string): Float32Array {
  return Float32Array.from(text.slice(1, -1).split(','), Number);
}

/** Identifiers here are built from a validated index id; quoting is for the '-' it may contain. */
function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

function int(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new Error(`HNSW parameter ${n} must be an integer from 1 to 1000`);
  return n;
}
