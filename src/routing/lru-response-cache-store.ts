import type { CachedAnswer, ResponseCacheStore } from './response-cache-store.js';

interface Entry {
  value: CachedAnswer;
  expiresAt: number;
}

/**
 * The in-process store: least recently used first out, bounded by entry count and by approximate bytes, with a TTL
 * per entry. A Map keeps insertion order, so re-inserting on a hit makes the front the least recently used.
 * Expired entries go when they are next looked up or reach the front.
 */
export class LruResponseCacheStore implements ResponseCacheStore {
  private readonly map = new Map<string, Entry>();
  private bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.map.size;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  async get(key: string): Promise<CachedAnswer | undefined> {
    const e = this.map.get(key);
    if (!e) return undefined;
    this.map.delete(key);
    if (e.expiresAt <= this.now()) {
      this.bytes -= e.value.size;
      return undefined;
    }
    this.map.set(key, e);
    return e.value;
  }

  async set(key: string, value: CachedAnswer, ttlMs: number): Promise<void> {
    await this.delete(key);
    // One answer larger than the whole cache would only evict everything else.
    if (value.size > this.maxBytes) return;
    this.map.set(key, { value, expiresAt: this.now() + ttlMs });
    this.bytes += value.size;
    for (const [k, e] of this.map) {
      if (this.map.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.map.delete(k);
      this.bytes -= e.value.size;
    }
  }

  async delete(key: string): Promise<void> {
    const e = this.map.get(key);
    if (!e) return;
    this.map.delete(key);
    this.bytes -= e.value.size;
  }
}
