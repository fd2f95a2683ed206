import type { Redis } from 'ioredis';
import type { CachedAnswer, ResponseCacheStore } from './response-cache-store.js';

export interface RedisResponseCacheStoreOptions {
  redis: Redis;
  /** Prefix of every key (the configured `redis.keyPrefix` plus the cache's own segment). */
  keyPrefix: string;
  /** Largest serialised entry kept, bytes: one huge answer must not crowd out everyone's. */
  maxEntryBytes: number;
}

/**
 * The shared store: one Redis string per entry with its TTL set in the same command (`SET … PX`), so replicas see
 * each other's answers and Redis expires them; the overall bound is Redis's own `maxmemory` policy (an LRU policy
 * suits a cache). Bytes in a cached answer (an image block) survive the trip as base64 with a marker.
 *
 * An entry that does not parse (written by another version, or corrupted) reads as a miss, never as an error.
 */
export class RedisResponseCacheStore implements ResponseCacheStore {
  constructor(private readonly o: RedisResponseCacheStoreOptions) {}

  async get(key: string): Promise<CachedAnswer | undefined> {
    const raw = await this.o.redis.get(this.o.keyPrefix + key);
    if (raw === null) return undefined;
    try {
      const v = JSON.parse(raw, revive) as CachedAnswer;
      if (typeof v !== 'object' || v === null || typeof v.model?.id !== 'string' || typeof v.usage !== 'object' || (!v.result && !Array.isArray(v.parts))) return undefined;
      return v;
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: CachedAnswer, ttlMs: number): Promise<void> {
    const raw = JSON.stringify(value, replace);
    if (Buffer.byteLength(raw) > this.o.maxEntryBytes) return;
    await this.o.redis.set(this.o.keyPrefix + key, raw, 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async delete(key: string): Promise<void> {
    await this.o.redis.del(this.o.keyPrefix + key);
  }
}

const BYTES = '$quarry.bytes';

// JSON.stringify turns a Uint8Array into an object of numbered keys (and Buffer into { type, data }); this keeps it compact and reversible.
function replace(this: unknown, k: string, v: unknown): unknown {
  const raw = (this as Record<string, unknown>)[k];
  if (raw instanceof Uint8Array) return { [BYTES]: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') };
  return v;
}

function revive(_k: string, v: unknown): unknown {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const b = (v as Record<string, unknown>)[BYTES];
    if (typeof b === 'string' && Object.keys(v).length === 1) return new Uint8Array(Buffer.from(b, 'base64'));
  }
  return v;
}
