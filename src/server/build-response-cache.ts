import type { Redis } from 'ioredis';
import { ExactResponseCache, LruResponseCacheStore, type PromptEmbedder, RedisResponseCacheStore, RedisSemanticIndexFeed, SemanticResponseCache } from '../routing/index.js';
import type { QuarryConfig } from './config.js';

/**
 * The exact response cache, when `responseCache:` is configured: in Redis under `<redis.keyPrefix>rc:` when Redis is
 * configured (every replica answers from every other's entries), in this process otherwise. Closing the server does
 * not close a shared store's connection; its owner does. The semantic cache, when configured, indexes prompts in each
 * process and keeps its answers in the same store; with Redis, replicas also pass each other what they indexed through
 * a stream under `<redis.keyPrefix>semantic-feed`.
 */
export function buildResponseCache(config: QuarryConfig, redis: Redis | undefined, embed: PromptEmbedder): ExactResponseCache | undefined {
  const c = config.responseCache;
  if (!c?.enabled) return undefined;
  const shared = redis && config.redis && c.store === 'auto' ? { redis, prefix: config.redis.keyPrefix } : undefined;
  const store = shared
    ? new RedisResponseCacheStore({ redis: shared.redis, keyPrefix: `${shared.prefix}rc:`, maxEntryBytes: c.maxBytes })
    : new LruResponseCacheStore(c.maxEntries, c.maxBytes);
  const feed =
    shared && c.semantic ? new RedisSemanticIndexFeed({ redis: shared.redis, key: `${shared.prefix}semantic-feed`, maxEntries: c.semantic.maxEntries }) : undefined;
  return new ExactResponseCache(store, c, c.semantic && new SemanticResponseCache(store, c.semantic, embed, feed));
}
