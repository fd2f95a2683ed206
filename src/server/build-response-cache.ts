import type { Redis } from 'ioredis';
import { ExactResponseCache, LruResponseCacheStore, type PromptEmbedder, RedisResponseCacheStore, SemanticResponseCache } from '../routing/index.js';
import type { QuarryConfig } from './config.js';

/**
 * The exact response cache, when `responseCache:` is configured: in Redis under `<redis.keyPrefix>rc:` when Redis is
 * configured (every replica answers from every other's entries), in this process otherwise. Closing the server does
 * not close a shared store's connection; its owner does. The semantic cache, when configured, indexes prompts in this
 * process and keeps its answers in the same store.
 */
export function buildResponseCache(config: QuarryConfig, redis: Redis | undefined, embed: PromptEmbedder): ExactResponseCache | undefined {
  const c = config.responseCache;
  if (!c?.enabled) return undefined;
  const store =
    redis && config.redis && c.store === 'auto'
      ? new RedisResponseCacheStore({ redis, keyPrefix: `${config.redis.keyPrefix}rc:`, maxEntryBytes: c.maxBytes })
      : new LruResponseCacheStore(c.maxEntries, c.maxBytes);
  return new ExactResponseCache(store, c, c.semantic && new SemanticResponseCache(store, c.semantic, embed));
}
