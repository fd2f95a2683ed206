import type { Redis } from 'ioredis';
import { ExactResponseCache, LruResponseCacheStore, RedisResponseCacheStore } from '../routing/index.js';
import type { QuarryConfig } from './config.js';

/**
 * The exact response cache, when `responseCache:` is configured: in Redis under `<redis.keyPrefix>rc:` when Redis is
 * configured (every replica answers from every other's entries), in this process otherwise. Closing the server does
 * not close a shared store's connection; its owner does.
 */
export function buildResponseCache(config: QuarryConfig, redis: Redis | undefined): ExactResponseCache | undefined {
  const c = config.responseCache;
  if (!c?.enabled) return undefined;
  if (redis && config.redis && c.store === 'auto') {
    return new ExactResponseCache(new RedisResponseCacheStore({ redis, keyPrefix: `${config.redis.keyPrefix}rc:`, maxEntryBytes: c.maxBytes }), c);
  }
  return new ExactResponseCache(new LruResponseCacheStore(c.maxEntries, c.maxBytes), c);
}
