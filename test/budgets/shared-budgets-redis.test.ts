import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dropPrefix, REDIS_SKIP, REDIS_URL, testPrefix, testRedis } from '../../src/quotas/redis-test-kit.js';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';

/**
 * Budgets shared by replicas through Redis: two servers on one store (the same SQLite file) and one Redis key prefix
 * of the test's own. A DENY budget that affords ten calls admits ten in all, not ten per replica.
 */

interface Reply {
  status: number;
  body: Record<string, unknown> & { message?: string };
  errorType?: string;
}

async function call(server: TestServer, key: string, method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Reply> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    signal,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {}, errorType: res.headers.get('x-amzn-errortype')?.split(':')[0] ?? undefined };
}

const converse = (server: TestServer, key: string, text: string, signal?: AbortSignal) =>
  call(server, key, 'POST', '/model/scripted.echo-v1%3A0/converse', { messages: [{ role: 'user', content: [{ text }] }], inferenceConfig: { maxTokens: 1000 } }, signal);

type Status = { actualUsd: number; reservedUsd: number; exceeded: boolean };
const status = async (server: TestServer, name: string) => ((await call(server, TEST_API_KEY, 'GET', `/quarry/budgets/${name}`)).body.budget as { status: Status }).status;

async function until(ok: () => Promise<boolean>, ms = 15_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await ok()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

async function racer(a: TestServer, name: string): Promise<string> {
  const admin = (method: string, path: string, body?: unknown) => call(a, TEST_API_KEY, method, path, body);
  await admin('POST', '/quarry/iam/users', { userName: name });
  const key = ((await admin('POST', `/quarry/iam/users/${name}/keys`, {})).body.key as { apiKey: string }).apiKey;
  await admin('POST', '/quarry/iam/policies', {
    policyName: `invoke-${name}`,
    policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: '*' }] },
  });
  assert.equal((await admin('PUT', `/quarry/iam/users/${name}/policies/invoke-${name}`)).status, 204);
  return key;
}

test('two replicas on one Redis share a DENY budget: 50 concurrent calls over both admit 10, and each sees the other spend', { skip: REDIS_SKIP, timeout: 120_000 }, async () => {
  const prefix = testPrefix();
  const redis = testRedis();
  const yaml = `redis:\n  url: ${REDIS_URL}\n  keyPrefix: "${prefix}"\n`;
  const a = await startTestServer(yaml);
  const b = await startTestServer(yaml, { dataDir: a.dataDir });
  const abort = new AbortController();
  try {
    const key = await racer(a, 'racer');
    // Worst case per call: 1000 output tokens at $0.002/1K plus a few input tokens ≈ $0.00201, so $0.02 is ten of them.
    const created = await call(a, TEST_API_KEY, 'POST', '/quarry/budgets', { name: 'racer', amountUsd: 0.02, period: 'DAILY', scope: { type: 'user', userName: 'racer' }, action: 'DENY' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    // Replica b learns of the budget at its next sync; the test does not wait for the timer.
    await b.budgets.admission.reload();

    // The admitted calls hang until the test lets go, so all 50 are in flight together across both replicas.
    const settled: Reply[] = [];
    const calls = Array.from({ length: 50 }, (_, i) =>
      converse(i % 2 ? b : a, key, 'race __hang', abort.signal).then(
        (r) => void settled.push(r),
        () => undefined,
      ),
    );
    assert.ok(await until(async () => settled.length >= 40), `refusals answered: ${settled.length}`);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(settled.length, 40, 'ten calls in all are admitted and still running (one replica alone would admit ten of its own)');
    for (const r of settled) {
      assert.equal(r.status, 400);
      assert.equal(r.errorType, 'ServiceQuotaExceededException');
      assert.match(r.body.message ?? '', /Budget racer .* has used \$0\.020\d of its daily \$0\.02 for user racer/);
    }
    // Either replica reports every replica's reservations.
    for (const s of [a, b]) {
      const during = await status(s, 'racer');
      assert.ok(during.reservedUsd > 0.02 && during.exceeded, JSON.stringify(during));
    }
    abort.abort();
    await Promise.allSettled(calls);
    // The abandoned calls cost nothing: the reservations are released on both.
    assert.ok(await until(async () => (await status(a, 'racer')).reservedUsd === 0 && (await status(b, 'racer')).reservedUsd === 0), 'reservations released');

    // Spend settled on one replica counts on the other at once (no store sync in between).
    assert.equal((await converse(a, key, 'one two three')).status, 200);
    await a.budgets.admission.alertsSent();
    assert.ok(await until(async () => (await status(b, 'racer')).actualUsd > 0), 'replica b sees what replica a spent');
    assert.ok((await redis.keys(`${prefix}bg:*`)).length > 0, 'budget spend lives in Redis under the configured prefix');
  } finally {
    abort.abort();
    await b.stop();
    await a.stop();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  }
});

test("a Redis that lost the budget's keys is re-seeded from what the replicas know: a used-up budget stays used up", { skip: REDIS_SKIP, timeout: 120_000 }, async () => {
  const prefix = testPrefix();
  const redis = testRedis();
  const yaml = `redis:\n  url: ${REDIS_URL}\n  keyPrefix: "${prefix}"\n`;
  const a = await startTestServer(yaml);
  const b = await startTestServer(yaml, { dataDir: a.dataDir });
  try {
    const key = await racer(a, 'spender');
    // One call's worst case ($0.002) is more than the budget: the first call is admitted, the second is not.
    assert.equal((await call(a, TEST_API_KEY, 'POST', '/quarry/budgets', { name: 'tiny', amountUsd: 0.00001, period: 'MONTHLY', scope: { type: 'user', userName: 'spender' }, action: 'DENY' })).status, 201);
    await b.budgets.admission.reload();
    assert.equal((await converse(a, key, 'spend it all on one call')).status, 200);
    await a.meter.flush();
    assert.ok(await until(async () => (await status(b, 'tiny')).actualUsd >= 0.00001));
    assert.equal((await converse(b, key, 'over')).errorType, 'ServiceQuotaExceededException');

    // Redis loses the budget's keys; the next sync writes the store's figure back.
    await dropPrefix(redis, prefix);
    await b.budgets.admission.sync();
    assert.equal((await converse(b, key, 'still over')).errorType, 'ServiceQuotaExceededException');
    assert.equal((await converse(a, key, 'still over')).errorType, 'ServiceQuotaExceededException');
  } finally {
    await b.stop();
    await a.stop();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  }
});
