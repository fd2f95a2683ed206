import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dropPrefix, REDIS_SKIP, REDIS_URL, testPrefix, testRedis } from '../../src/quotas/redis-test-kit.js';
import { TEST_API_KEY, type TestServer, startTestServer } from '../support/start-test-server.js';
import { chat, eventually } from './quota-test-kit.js';

/**
 * Replicas sharing limits through Redis: two servers on one store (the same SQLite file, so the same keys) and one
 * Redis key prefix of the test's own. Whatever replica a request reaches, the key's allowance is one.
 */
async function replicas(yaml: string): Promise<{ servers: TestServer[]; stop(): Promise<void> }> {
  const first = await startTestServer(yaml);
  const second = await startTestServer(yaml, { dataDir: first.dataDir });
  return {
    servers: [first, second],
    async stop() {
      await second.stop();
      await first.stop();
    },
  };
}

test('two replicas on one Redis share the limit: 10 per minute admits 10 across both', { skip: REDIS_SKIP }, async () => {
  const prefix = testPrefix();
  const redis = testRedis();
  const { servers, stop } = await replicas(`redis:\n  url: ${REDIS_URL}\n  keyPrefix: "${prefix}"\nquotas:\n  default:\n    requestsPerMinute: 10\n    concurrentRequests: 2\n`);
  try {
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => chat(servers[i % 2]!, TEST_API_KEY)));
    assert.equal(responses.filter((r) => r.status === 200).length, 10);
    assert.equal(responses.filter((r) => r.status === 429).length, 40);
    for (const r of responses) await r.body?.cancel();
    assert.ok((await redis.keys(`${prefix}*`)).length > 0, 'the counts live in Redis under the configured prefix');
  } finally {
    await stop();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  }
});

test('two replicas on one Redis share concurrency slots, released when streams end', { skip: REDIS_SKIP }, async () => {
  const prefix = testPrefix();
  const redis = testRedis();
  const { servers, stop } = await replicas(`redis:\n  url: ${REDIS_URL}\n  keyPrefix: "${prefix}"\nquotas:\n  default:\n    concurrentRequests: 1\n`);
  const [a, b] = servers as [TestServer, TestServer];
  try {
    const stream = await chat(a, TEST_API_KEY, { stream: true, messages: [{ role: 'user', content: '__slow:150 one two three' }] });
    assert.equal(stream.status, 200);
    const other = await chat(b, TEST_API_KEY);
    assert.equal(other.status, 429, 'the slot held on replica a counts on replica b');
    await other.body?.cancel();
    await stream.text();
    assert.ok(
      await eventually(async () => {
        const r = await chat(b, TEST_API_KEY);
        await r.body?.cancel();
        return r.status === 200;
      }),
    );
  } finally {
    await stop();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  }
});

test('Redis unreachable: requests are admitted by default (fail open), refused with 503 when configured to fail closed', async () => {
  // Nothing listens on port 1.
  const limits = 'quotas:\n  default:\n    requestsPerMinute: 1\n';
  const open = await startTestServer(`redis:\n  url: redis://127.0.0.1:1\n${limits}`);
  try {
    for (let i = 0; i < 3; i++) assert.equal((await chat(open, TEST_API_KEY)).status, 200);
  } finally {
    await open.stop();
  }
  const closed = await startTestServer(`redis:\n  url: redis://127.0.0.1:1\n${limits}  onRedisError: deny\n`);
  try {
    const r = await chat(closed, TEST_API_KEY);
    assert.equal(r.status, 503);
    assert.match(((await r.json()) as { error: { message: string } }).error.message, /rate limiter is unavailable/);
    assert.equal(r.headers.get('retry-after'), '1');
  } finally {
    await closed.stop();
  }
});
