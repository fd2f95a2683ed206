import type { Redis } from 'ioredis';

/** One prompt indexed by some replica: its partition, the exact-cache key of its answer, and its vector. */
export interface SemanticFeedEntry {
  partition: string;
  key: string;
  vector: Float32Array;
}

/**
 * How replicas tell each other what they indexed, so a near-duplicate prompt hits on any replica, not only on the one
 * that cached the answer (the answers themselves are already shared through the exact cache's store).
 */
export interface SemanticIndexFeed {
  publish(entry: SemanticFeedEntry): Promise<void>;
  /** Entries published (by anyone, this process included) since the last call; the first call returns the backlog. */
  catchUp(): Promise<SemanticFeedEntry[]>;
}

export interface RedisSemanticIndexFeedOptions {
  redis: Redis;
  /** The stream's key (the configured `redis.keyPrefix` plus the cache's own segment). */
  key: string;
  /** The stream is trimmed to about this many entries: the index holds no more than that anyway. */
  maxEntries: number;
}

/** Entries read per round trip; a replica that starts behind a long backlog reads it over a few probes. */
const READ_COUNT = 1000;

/**
 * The feed as a Redis stream: `XADD … MAXLEN ~ n` appends (Redis trims whole nodes, cheaply), and each replica reads
 * on from the last id it saw with one non-blocking `XREAD` per probe. A Redis stream rather than a hash per partition,
 * because a busy partition (one system prompt, many first questions) would otherwise be fetched whole on every probe.
 * Vectors travel as the raw bytes of their Float32Array, base64-encoded. An entry that does not parse (another
 * version, or damage) is skipped.
 */
export class RedisSemanticIndexFeed implements SemanticIndexFeed {
  #lastId = '0';
  #reading: Promise<SemanticFeedEntry[]> | undefined;

  constructor(private readonly o: RedisSemanticIndexFeedOptions) {}

  async publish(entry: SemanticFeedEntry): Promise<void> {
    const v = Buffer.from(entry.vector.buffer, entry.vector.byteOffset, entry.vector.byteLength).toString('base64');
    await this.o.redis.xadd(this.o.key, 'MAXLEN', '~', String(this.o.maxEntries), '*', 'p', entry.partition, 'k', entry.key, 'v', v);
  }

  catchUp(): Promise<SemanticFeedEntry[]> {
    // Concurrent probes share one read: each id range is read once, and no entry is handed out twice.
    this.#reading ??= this.#read().finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
  }

  async #read(): Promise<SemanticFeedEntry[]> {
    const res = await this.o.redis.xread('COUNT', READ_COUNT, 'STREAMS', this.o.key, this.#lastId);
    const messages = res?.[0]?.[1] ?? [];
    const out: SemanticFeedEntry[] = [];
    for (const [id, fields] of messages) {
      this.#lastId = id;
      const entry = parse(fields);
      if (entry) out.push(entry);
    }
    return out;
  }
}

function parse(fields: string[]): SemanticFeedEntry | undefined {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
  if (!f.p || !f.k || !f.v) return undefined;
  const bytes = Buffer.from(f.v, 'base64');
  if (bytes.byteLength === 0 || bytes.byteLength % 4 !== 0) return undefined;
  // Copied out: a Float32Array needs 4-byte alignment, which a slice of Node's buffer pool may not have.
  const vector = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(vector.buffer).set(bytes);
  if (!vector.every(Number.isFinite)) return undefined;
  return { partition: f.p, key: f.k, vector };
}
