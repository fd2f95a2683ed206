import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryRateLimiter } from './memory-rate-limiter.js';
import { rateLimiterConformance } from './rate-limiter-conformance.js';

rateLimiterConformance('in-process limiter', async ({ windowMs }) => {
  const limiter = new MemoryRateLimiter({ windowMs });
  return { limiter, cleanup: () => limiter.close() };
});

test('in-process limiter: idle buckets are swept, busy ones kept', async () => {
  let now = 0;
  const l = new MemoryRateLimiter({ windowMs: 1000, now: () => now });
  try {
    const held = await l.acquire({ bucket: 'held', limits: { concurrentRequests: 1 }, tokens: 0 });
    await l.acquire({ bucket: 'idle', limits: { requestsPerMinute: 5 }, tokens: 0 });
    now = 1500;
    l.sweep();
    assert.equal(l.size, 1);
    assert.ok(held.ok);
    l.release(held.ticket, {});
    l.sweep();
    assert.equal(l.size, 0);
  } finally {
    await l.close();
  }
});

test('in-process limiter: exact at the window edge, with a moved clock', async () => {
  let now = 10_000;
  const l = new MemoryRateLimiter({ windowMs: 60_000, now: () => now });
  try {
    const limits = { requestsPerMinute: 2 };
    assert.ok((await l.acquire({ bucket: 'b', limits, tokens: 0 })).ok);
    now += 30_000;
    assert.ok((await l.acquire({ bucket: 'b', limits, tokens: 0 })).ok);
    const r = await l.acquire({ bucket: 'b', limits, tokens: 0 });
    assert.deepEqual(r, { ok: false, limit: 'requestsPerMinute', retryAfterMs: 30_000 });
    now += 29_999;
    assert.equal((await l.acquire({ bucket: 'b', limits, tokens: 0 })).ok, false);
    now += 1;
    assert.ok((await l.acquire({ bucket: 'b', limits, tokens: 0 })).ok);
  } finally {
    await l.close();
  }
});
