import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { dropPrefix, REDIS_SKIP, REDIS_URL, testPrefix, testRedis } from '../../src/quotas/redis-test-kit.js';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';
import { startFaultUpstream } from './fault-upstream.js';

const MODEL = 'acme.chat-v1:0';

async function converse(server: TestServer, text: string): Promise<number> {
  const r = await fetch(`${server.url}/model/${MODEL}/converse`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: [{ text }] }] }),
  });
  await r.arrayBuffer();
  return r.status;
}

test('two replicas on one Redis: a breaker one opens is open on the other, which sends nothing to that deployment', { skip: REDIS_SKIP }, async () => {
  const [east, west] = await Promise.all([startFaultUpstream('east'), startFaultUpstream('west')]);
  const prefix = testPrefix();
  const redis = testRedis();
  const provider = (u: typeof east) => `  - { id: ${u.name}, type: openai-compatible, baseUrl: "${u.baseUrl}", timeoutMs: 3000 }\n`;
  const yaml = `${provider(east)}${provider(west)}models:
  - { id: "${MODEL}", provider: east, upstreamModel: gpt-test }
routing:
  retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 }
  breaker: { consecutiveFailures: 2, cooldownMs: 60000 }
deployments:
  - { id: acme-east, model: "${MODEL}", provider: east }
  - { id: acme-west, model: "${MODEL}", provider: west, priority: 1 }
redis:
  url: ${REDIS_URL}
  keyPrefix: "${prefix}"
`;
  const a = await startTestServer(yaml);
  const b = await startTestServer(yaml, { dataDir: a.dataDir });
  try {
    // b routes once with everything healthy, so its breakers exist and listen before a's opens.
    assert.equal(await converse(b, 'warm'), 200);
    assert.equal(east.seen.length, 1);
    await sleep(200);
    east.setPlan(() => ({ status: 500 }));
    for (let i = 0; i < 2; i++) assert.equal(await converse(a, `fail ${i}`), 200, 'west answers after east fails');
    assert.equal(a.runtime.router.health().find((d) => d.id === 'acme-east')?.state, 'open');
    const eastState = () => b.runtime.router.health().find((d) => d.id === 'acme-east')?.state;
    for (let i = 0; i < 250 && eastState() !== 'open'; i++) await sleep(20);
    assert.equal(eastState(), 'open', 'b follows a');
    const eastCalls = east.seen.length;
    for (let i = 0; i < 5; i++) assert.equal(await converse(b, `after ${i}`), 200);
    assert.equal(east.seen.length, eastCalls, 'b sent nothing to east while its breaker is open');
  } finally {
    await b.stop();
    await a.stop();
    await Promise.all([east.close(), west.close()]);
    await dropPrefix(redis, prefix);
    redis.disconnect();
  }
});
