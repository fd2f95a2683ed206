import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { Logger } from '../core/index.js';
import { silentLogger } from '../core/index.js';
import { rateLimiterConformance } from './rate-limiter-conformance.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';
import { dropPrefix, REDIS_SKIP, testPrefix, testRedis } from './redis-test-kit.js';

rateLimiterConformance(
  'Redis limiter',
  async ({ windowMs }) => {
    const redis = testRedis();
    const prefix = testPrefix();
    const limiter = new RedisRateLimiter({ redis, keyPrefix: prefix, windowMs, log: silentLogger });
    return {
      limiter,
      async cleanup() {
        await limiter.close();
        await dropPrefix(redis, prefix);
        redis.disconnect();
      },
    };
  },
  { skip: REDIS_SKIP },
);

/** Several limiters on one prefix, as several replicas would be. */
async function replicas(n: number, opts: { leaseMs?: number } = {}) {
  const prefix = testPrefix();
  const conns = Array.from({ length: n }, () => testRedis());
  const limiters = conns.map((redis) => new RedisRateLimiter({ redis, keyPrefix: prefix, log: silentLogger, ...opts }));
  return {
    limiters,
    async cleanup() {
      for (const l of limiters) await l.close();
      await dropPrefix(conns[0]!, prefix);
      for (const c of conns) c.disconnect();
    },
  };
}

test('Redis limiter: three replicas with 10 per minute admit 10 together, not 30', { skip: REDIS_SKIP }, async () => {
  const { limiters, cleanup } = await replicas(3);
  try {
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => limiters[i % 3]!.acquire({ bucket: 'k|m', limits: { requestsPerMinute: 10 }, tokens: 0 })));
    assert.equal(results.filter((r) => r.ok).length, 10);
    const tokens = await Promise.all(Array.from({ length: 30 }, (_, i) => limiters[i % 3]!.acquire({ bucket: 'k|t', limits: { tokensPerMinute: 1000 }, tokens: 100 })));
    assert.equal(tokens.filter((r) => r.ok).length, 10);
    const slots = await Promise.all(Array.from({ length: 30 }, (_, i) => limiters[i % 3]!.acquire({ bucket: 'k|c', limits: { concurrentRequests: 4 }, tokens: 0 })));
    assert.equal(slots.filter((r) => r.ok).length, 4);
  } finally {
    await cleanup();
  }
});

test('Redis limiter: a crashed replica frees its slots after a lease; a live one keeps them', { skip: REDIS_SKIP }, async () => {
  const { limiters, cleanup } = await replicas(2, { leaseMs: 600 });
  const [live, crashed] = limiters as [RedisRateLimiter, RedisRateLimiter];
  try {
    const limits = { concurrentRequests: 1 };
    assert.ok((await live.acquire({ bucket: 'live', limits, tokens: 0 })).ok);
    assert.ok((await crashed.acquire({ bucket: 'dead', limits, tokens: 0 })).ok);
    // The crash: no release, no more renewals.
    await crashed.close();
    await sleep(1000);
    assert.equal((await live.acquire({ bucket: 'live', limits, tokens: 0 })).ok, false, 'the live replica renewed its slot');
    assert.ok((await live.acquire({ bucket: 'dead', limits, tokens: 0 })).ok, 'the dead replica’s slot expired');
  } finally {
    await cleanup();
  }
});

test('Redis limiter: odd and long bucket names stay in one hash slot and do not collide', { skip: REDIS_SKIP }, async () => {
  const { limiters, cleanup } = await replicas(1);
  try {
    const l = limiters[0]!;
    for (const bucket of ['k|{evil}', 'k|}{', `k|${'x'.repeat(5000)}`, 'k|\n\u0000']) {
      assert.ok((await l.acquire({ bucket, limits: { requestsPerMinute: 1 }, tokens: 0 })).ok, bucket.slice(0, 20));
      assert.equal((await l.acquire({ bucket, limits: { requestsPerMinute: 1 }, tokens: 0 })).ok, false);
    }
  } finally {
    await cleanup();
  }
});

function recordingLog(): { log: Logger; warnings: string[] } {
  const warnings: string[] = [];
  const log = { ...silentLogger, warn: (_o: unknown, msg?: string) => warnings.push(String(msg)), child: () => log } as unknown as Logger;
  return { log, warnings };
}

test('Redis down: fail open by default (admitted, one warning), fail closed when configured', async () => {
  // Nothing listens on port 1; no offline queue, so commands fail at once instead of waiting for a connection.
  const redis = new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
  redis.on('error', () => undefined);
  const open = recordingLog();
  const allow = new RedisRateLimiter({ redis, log: open.log });
  const deny = new RedisRateLimiter({ redis, log: silentLogger, onError: 'deny' });
  try {
    for (let i = 0; i < 5; i++) {
      const r = await allow.acquire({ bucket: 'k|m', limits: { requestsPerMinute: 1 }, tokens: 0 });
      assert.ok(r.ok);
      allow.release(r.ticket, { tokens: 3 });
    }
    assert.equal(open.warnings.length, 1);
    assert.match(open.warnings[0]!, /not enforced/);
    await assert.rejects(deny.acquire({ bucket: 'k|m', limits: { requestsPerMinute: 1 }, tokens: 0 }), (e: { code?: string; retryAfterMs?: number }) => {
      assert.equal(e.code, 'ServiceUnavailableException');
      assert.equal(e.retryAfterMs, 1000);
      return true;
    });
  } finally {
    await allow.close();
    await deny.close();
    redis.disconnect();
  }
});
