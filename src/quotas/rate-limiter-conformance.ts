import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EffectiveLimits } from './quota-limits.js';
import type { AcquireResult, RateLimiter, RateTicket } from './rate-limiter.js';

export interface LimiterFixture {
  limiter: RateLimiter;
  cleanup(): Promise<void>;
}

/** Makes a fresh limiter (its own key space) whose sliding window is `windowMs`. */
export type MakeLimiter = (opts: { windowMs: number }) => Promise<LimiterFixture>;

const ticketOf = (r: AcquireResult): RateTicket => {
  assert.ok(r.ok, `expected admission, got ${JSON.stringify(r)}`);
  return r.ticket;
};

/**
 * What every RateLimiter must do, run by the in-process and the Redis implementation alike (STYLE: one conformance
 * suite per interface). Windows are short so that sliding can be observed; checks that must happen "within the
 * window" use long ones so a slow machine cannot age entries out under them.
 */
export function rateLimiterConformance(name: string, make: MakeLimiter, opts: { skip?: string | false } = {}): void {
  const t = (title: string, fn: () => Promise<void>) => test(`${name}: ${title}`, { skip: opts.skip ?? false }, fn);

  async function withLimiter(windowMs: number, fn: (l: RateLimiter) => Promise<void>): Promise<void> {
    const f = await make({ windowMs });
    try {
      await fn(f.limiter);
    } finally {
      await f.cleanup();
    }
  }

  const acquire = (l: RateLimiter, limits: EffectiveLimits, tokens = 0, bucket = 'key-a|model-x') => l.acquire({ bucket, limits, tokens });

  t('50 requests at once against 10 per minute: exactly 10 admitted', () =>
    withLimiter(60_000, async (l) => {
      const results = await Promise.all(Array.from({ length: 50 }, () => acquire(l, { requestsPerMinute: 10 })));
      assert.equal(results.filter((r) => r.ok).length, 10);
      for (const r of results) {
        if (r.ok) continue;
        assert.equal(r.limit, 'requestsPerMinute');
        assert.ok(r.retryAfterMs > 0 && r.retryAfterMs <= 60_000, `retry after ${r.retryAfterMs} ms`);
      }
    }));

  t('the window slides: admissions age out after it', () =>
    withLimiter(400, async (l) => {
      for (let i = 0; i < 3; i++) ticketOf(await acquire(l, { requestsPerMinute: 3 }));
      const refused = await acquire(l, { requestsPerMinute: 3 });
      assert.equal(refused.ok, false);
      if (!refused.ok) assert.ok(refused.retryAfterMs <= 400 && refused.retryAfterMs > 0, `retry after ${refused.retryAfterMs}`);
      await sleep(450);
      ticketOf(await acquire(l, { requestsPerMinute: 3 }));
    }));

  t('buckets are counted apart', () =>
    withLimiter(60_000, async (l) => {
      ticketOf(await acquire(l, { requestsPerMinute: 1 }, 0, 'k1|m'));
      ticketOf(await acquire(l, { requestsPerMinute: 1 }, 0, 'k2|m'));
      ticketOf(await acquire(l, { requestsPerMinute: 1 }, 0, 'k1|m2'));
      assert.equal((await acquire(l, { requestsPerMinute: 1 }, 0, 'k1|m')).ok, false);
    }));

  t('tokens are reserved on admission and settled to what was used', () =>
    withLimiter(60_000, async (l) => {
      const limits = { tokensPerMinute: 250 };
      const a = ticketOf(await acquire(l, limits, 100));
      ticketOf(await acquire(l, limits, 100));
      const refused = await acquire(l, limits, 100);
      assert.equal(refused.ok, false);
      if (!refused.ok) assert.equal(refused.limit, 'tokensPerMinute');
      // The first used only 10 of its 100: 90 come back, and a 100-token request fits (10 + 100 + 100 = 210).
      l.release(a, { tokens: 10 });
      await l.flush();
      const c = ticketOf(await acquire(l, limits, 100));
      // A request that ran past its reservation is charged what it used: 10 + 100 + 200 = 310 > 250.
      l.release(c, { tokens: 200 });
      await l.flush();
      assert.equal((await acquire(l, limits, 1)).ok, false);
    }));

  t('a request needing more tokens than the limit is never admitted', () =>
    withLimiter(60_000, async (l) => {
      const r = await acquire(l, { tokensPerMinute: 50 }, 51);
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(r.limit, 'tokensPerMinute');
    }));

  t('the advice for tokens is when enough of them age out', () =>
    withLimiter(1000, async (l) => {
      ticketOf(await acquire(l, { tokensPerMinute: 100 }, 60));
      await sleep(300);
      ticketOf(await acquire(l, { tokensPerMinute: 100 }, 40));
      const r = await acquire(l, { tokensPerMinute: 100 }, 50);
      assert.equal(r.ok, false);
      // The first 60 tokens free the room: ~700 ms from now (not the second entry's ~1000 ms).
      if (!r.ok) assert.ok(r.retryAfterMs > 0 && r.retryAfterMs <= 760, `retry after ${r.retryAfterMs}`);
    }));

  t('all limits are checked before any is charged: a refusal for tokens consumes no request', () =>
    withLimiter(60_000, async (l) => {
      const limits = { requestsPerMinute: 2, tokensPerMinute: 100 };
      const a = ticketOf(await acquire(l, limits, 100));
      assert.equal((await acquire(l, limits, 50)).ok, false);
      assert.equal((await acquire(l, limits, 50)).ok, false);
      l.release(a, { tokens: 0 });
      await l.flush();
      ticketOf(await acquire(l, limits, 50));
      const r = await acquire(l, limits, 1);
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(r.limit, 'requestsPerMinute');
    }));

  t('concurrency: slots are held until released', () =>
    withLimiter(60_000, async (l) => {
      const limits = { concurrentRequests: 2 };
      const results = await Promise.all(Array.from({ length: 20 }, () => acquire(l, limits)));
      const admitted = results.filter((r) => r.ok);
      assert.equal(admitted.length, 2);
      const refused = results.find((r) => !r.ok);
      assert.ok(refused && !refused.ok && refused.limit === 'concurrentRequests' && refused.retryAfterMs > 0);
      l.release(ticketOf(admitted[0]!), {});
      await l.flush();
      ticketOf(await acquire(l, limits));
      assert.equal((await acquire(l, limits)).ok, false);
    }));

  t('a cancelled admission leaves the window (a later step refused the request)', () =>
    withLimiter(60_000, async (l) => {
      const limits = { requestsPerMinute: 1, tokensPerMinute: 100, concurrentRequests: 1 };
      const a = ticketOf(await acquire(l, limits, 100));
      l.release(a, { cancel: true });
      await l.flush();
      const b = ticketOf(await acquire(l, limits, 100));
      l.release(b, { tokens: 100 });
      await l.flush();
      assert.equal((await acquire(l, limits, 0)).ok, false);
    }));

  t('unlimited dimensions are not counted', () =>
    withLimiter(60_000, async (l) => {
      const r = await Promise.all(Array.from({ length: 30 }, () => acquire(l, { concurrentRequests: 100 }, 1_000_000)));
      assert.ok(r.every((x) => x.ok));
    }));
}
