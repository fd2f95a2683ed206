import { createHash } from 'node:crypto';
import type { Database } from '../store/index.js';
import type { KnowledgeTables } from './tables.js';

export const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/**
 * Embeddings keyed by model and text hash, so a re-sync of a changed document recomputes only the chunks that changed
 * (and two data sources with the same text share the work). Lookups and writes are batched per embedding batch.
 */
export class EmbeddingCache {
  private readonly db;
  constructor(db: Database) {
    this.db = db.withTables<KnowledgeTables>();
  }

  async getMany(modelId: string, hashes: string[]): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    // Bounded IN lists: SQLite's default limit on bound parameters is 32,766 and PostgreSQL's is 65,535.
    for (let i = 0; i < hashes.length; i += 500) {
      const rows = await this.db
        .selectFrom('embedding_cache')
        .select(['text_hash', 'vector'])
        .where('model_id', '=', modelId)
        .where('text_hash', 'in', hashes.slice(i, i + 500))
        .execute();
      for (const r of rows) out.set(r.text_hash, decodeVector(r.vector));
    }
    return out;
  }

  async putMany(modelId: string, entries: { hash: string; vector: Float32Array }[]): Promise<void> {
    const now = new Date().toISOString();
    for (let i = 0; i < entries.length; i += 200) {
      const values = entries.slice(i, i + 200).map((e) => ({ model_id: modelId, text_hash: e.hash, vector: encodeVector(e.vector), created_at: now }));
      await this.db
        .insertInto('embedding_cache')
        .values(values)
        .onConflict((oc) => oc.columns(['model_id', 'text_hash']).doNothing())
        .execute();
    }
  }
}

export function encodeVector(v: Float32Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
}

export function decodeVector(s: string): Float32Array {
  const buf = Buffer.from(s, 'base64');
  // Copy into a fresh, aligned buffer: Buffer.from may return a view at an offset that is not a multiple of 4.
  const out = new Float32Array(buf.byteLength / 4);
  new Uint8Array(out.buffer).set(buf);
  return out;
}
