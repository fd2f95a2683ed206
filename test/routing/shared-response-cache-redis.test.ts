import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dropPrefix, REDIS_SKIP, REDIS_URL, testPrefix, testRedis } from '../../src/quotas/redis-test-kit.js';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';
import { startFaultUpstream } from './fault-upstream.js';

const MODEL = 'acme.chat-v1:0';

async function converse(server: TestServer, text: string, stream = false): Promise<Response> {
  return fetch(`${server.url}/model/${MODEL}/${stream ? 'converse-stream' : 'converse'}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: [{ text }] }], inferenceConfig: { temperature: 0 } }),
  });
}

test('two replicas on one Redis share the response cache: an answer one stored is a hit on the other, with its TTL', { skip: REDIS_SKIP }, async () => {
  const upstream = await startFaultUpstream('up');
  const prefix = testPrefix();
  const redis = testRedis();
  const yaml = `  - { id: up, type: openai-compatible, baseUrl: "${upstream.baseUrl}", timeoutMs: 3000 }
models:
  - { id: "${MODEL}", provider: up, upstreamModel: gpt-test, pricing: { inputPer1k: 0.5, outputPer1k: 1.5 } }
redis:
  url: ${REDIS_URL}
  keyPrefix: "${prefix}"
responseCache: { ttlMs: 60000 }
`;
  const a = await startTestServer(yaml);
  const b = await startTestServer(yaml, { dataDir: a.dataDir });
  try {
    const first = await converse(a, 'shared question');
    assert.equal(first.status, 200);
    const body = (await first.json()) as { output: unknown };
    assert.equal(upstream.seen.length, 1);
    // The entry is written after the answer goes out; wait for it to land rather than for a fixed time.
    for (let i = 0; i < 100 && (await redis.keys(`${prefix}rc:*`)).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const keys = await redis.keys(`${prefix}rc:*`);
    assert.equal(keys.length, 1, 'one entry, under the configured prefix');
    const ttl = await redis.pttl(keys[0]!);
    assert.ok(ttl > 50_000 && ttl <= 60_000, `the TTL is the configured one (${ttl} ms left)`);

    const second = await converse(b, 'shared question');
    assert.equal(second.status, 200);
    assert.deepEqual(((await second.json()) as { output: unknown }).output, body.output);
    assert.equal(upstream.seen.length, 1, 'replica b answered from replica a’s entry, without calling the model');
    assert.equal(b.runtime.cache?.stats().hits, 1);
    await b.meter.flush();
    const rec = (await b.meter.query()).find((r) => r.request_id === second.headers.get('x-amzn-requestid'));
    assert.equal(rec?.outcome, 'CacheHit');
    assert.ok((rec?.saved_usd ?? 0) > 0, 'the saving is recorded');

    // A streamed request on b is served from the same entry, as stream events.
    const s = await converse(b, 'shared question', true);
    assert.match(Buffer.from(await s.arrayBuffer()).toString('latin1'), /dog\./);
    assert.equal(upstream.seen.length, 1);
  } finally {
    await b.stop();
    await a.stop();
    await upstream.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  }
});

test('two replicas on one Redis share the semantic index: a paraphrase of what one cached is a hit on the other', { skip: REDIS_SKIP }, async () => {
  const prefix = testPrefix();
  const redis = testRedis();
  const yaml = `  - id: embedded
    type: embedded
redis:
  url: ${REDIS_URL}
  keyPrefix: "${prefix}"
responseCache:
  ttlMs: 60000
  semantic: { embeddingModel: quarry.embed-use-v1:0, threshold: 0.85 }
`;
  const a = await startTestServer(yaml);
  const b = await startTestServer(yaml, { dataDir: a.dataDir });
  const ask = async (server: TestServer, text: string) => {
    const r = await fetch(`${server.url}/model/scripted.echo-v1:0/converse`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: [{ text }] }], inferenceConfig: { temperature: 0 } }),
    });
    assert.equal(r.status, 200);
    return ((await r.json()) as { output: { message: { content: { text: string }[] } } }).output.message.content[0]!.text;
  };
  try {
    assert.equal(await ask(a, 'How do I reset my password?'), 'You said: How do I reset my password?');
    // Published once the answer is stored, just after the response.
    for (let i = 0; i < 100 && (await redis.xlen(`${prefix}semantic-feed`)) === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await redis.xlen(`${prefix}semantic-feed`), 1, 'replica a published its index entry');

    assert.equal(await ask(b, 'how can I reset my password'), 'You said: How do I reset my password?', 'b served a’s cached answer');
    assert.equal(b.runtime.cache?.semantic?.stats().hits, 1);
    assert.equal(await ask(b, 'What is the capital of France?'), 'You said: What is the capital of France?', 'an unrelated question is no hit');
    assert.equal(b.runtime.cache?.semantic?.stats().feedFailures, 0);

    // A damaged feed entry is skipped, not fatal.
    await redis.xadd(`${prefix}semantic-feed`, '*', 'p', 'x', 'k', 'y', 'v', 'not-a-vector!');
    assert.equal(await ask(a, 'What is the capital of France??'), 'You said: What is the capital of France?');
  } finally {
    await b.stop();
    await a.stop();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  }
});

test('Redis down: the cache misses and every request is still answered', async () => {
  const upstream = await startFaultUpstream('up');
  const server = await startTestServer(`  - { id: up, type: openai-compatible, baseUrl: "${upstream.baseUrl}", timeoutMs: 3000 }
models:
  - { id: "${MODEL}", provider: up, upstreamModel: gpt-test }
redis:
  url: redis://127.0.0.1:1
responseCache: { ttlMs: 60000 }
`);
  try {
    for (let i = 0; i < 3; i++) assert.equal((await converse(server, 'q')).status, 200);
    assert.equal(upstream.seen.length, 3);
    assert.equal(server.runtime.cache?.stats().hits, 0);
  } finally {
    await server.stop();
    await upstream.close();
  }
});
