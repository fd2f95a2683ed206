import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dropPrefix, REDIS_SKIP, testPrefix, testRedis } from '../quotas/redis-test-kit.js';
import { LruResponseCacheStore } from './lru-response-cache-store.js';
import { RedisResponseCacheStore } from './redis-response-cache-store.js';
import { responseCacheStoreConformance } from './response-cache-store-conformance.js';

responseCacheStoreConformance('in-process LRU', async () => {
  const store = new LruResponseCacheStore(100, 1e6);
  return { store, peer: store, cleanup: async () => undefined };
});

responseCacheStoreConformance(
  'Redis',
  async () => {
    const [a, b] = [testRedis(), testRedis()];
    const keyPrefix = testPrefix();
    return {
      store: new RedisResponseCacheStore({ redis: a, keyPrefix, maxEntryBytes: 1e6 }),
      peer: new RedisResponseCacheStore({ redis: b, keyPrefix, maxEntryBytes: 1e6 }),
      async cleanup() {
        await dropPrefix(a, keyPrefix);
        a.disconnect();
        b.disconnect();
      },
    };
  },
  { skip: REDIS_SKIP },
);

test('Redis store: entries carry their TTL, oversize ones are not kept, corrupt ones read as misses', { skip: REDIS_SKIP }, async () => {
  const redis = testRedis();
  const keyPrefix = testPrefix();
  const store = new RedisResponseCacheStore({ redis, keyPrefix, maxEntryBytes: 2_000 });
  const small = { model: { id: 'm' }, usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, parts: [], size: 10 } as never;
  try {
    await store.set('k', small, 30_000);
    const ttl = await redis.pttl(`${keyPrefix}k`);
    assert.ok(ttl > 25_000 && ttl <= 30_000, `pttl ${ttl}`);
    await store.set('big', { ...(small as object), parts: [{ type: 'contentBlockDelta', contentBlockIndex: 0, delta: { text: 'x'.repeat(5_000) } }] } as never, 30_000);
    assert.equal(await redis.exists(`${keyPrefix}big`), 0);
    for (const bad of ['not json', '{"model":1}', 'null', '[]']) {
      await redis.set(`${keyPrefix}bad`, bad);
      assert.equal(await store.get('bad'), undefined, bad);
    }
  } finally {
    await dropPrefix(redis, keyPrefix);
    redis.disconnect();
  }
});
