import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { startTestServer, TEST_ACCESS_KEY_ID, TEST_API_KEY, TEST_SECRET_ACCESS_KEY, type TestServer } from '../support/start-test-server.js';

/**
 * The semantic cache through the real server, with the bundled Universal Sentence Encoder comparing prompts: a
 * paraphrase at temperature 0 gets the cached answer (billed as a cache hit), while another question, another system
 * prompt, another model or another account does not. The scripted model echoes its prompt, so an answer shows which
 * prompt produced it.
 */
const MODEL = 'scripted.echo-v1:0';
let server: TestServer;
let sdk: BedrockRuntimeClient;

before(async () => {
  server = await startTestServer(`  - id: embedded
    type: embedded
responseCache:
  semantic: { embeddingModel: quarry.embed-use-v1:0, threshold: 0.85 }
`);
  sdk = new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: server.url,
    credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY },
    maxAttempts: 1,
  });
});
after(async () => {
  sdk?.destroy();
  await server?.stop();
});

async function ask(text: string, opts: { system?: string; model?: string; temperature?: number } = {}) {
  const out = await sdk.send(
    new ConverseCommand({
      modelId: opts.model ?? MODEL,
      messages: [{ role: 'user', content: [{ text }] }],
      system: opts.system ? [{ text: opts.system }] : undefined,
      inferenceConfig: { temperature: opts.temperature ?? 0 },
    }),
  );
  const answer = out.output?.message?.content?.[0]?.text ?? '';
  const requestId = out.$metadata.requestId!;
  await server.meter.flush();
  const record = (await server.meter.query()).find((r) => r.request_id === requestId);
  return { answer, outcome: record?.outcome, cost: record?.cost_usd };
}

const semanticStats = () => server.runtime.cache!.semantic!.stats();

describe('semantic cache', () => {
  test('a paraphrase gets the cached answer, billed as a cache hit; an unrelated question does not', async () => {
    const first = await ask('How do I reset my password?');
    assert.equal(first.answer, 'You said: How do I reset my password?');
    assert.equal(first.outcome, 'ok');
    // The index entry is added once the answer is stored, just after the response.
    for (let i = 0; i < 100 && semanticStats().entries === 0; i++) await new Promise((r) => setTimeout(r, 10));

    const paraphrase = await ask('how can I reset my password');
    assert.equal(paraphrase.answer, first.answer, 'served the cached answer');
    assert.equal(paraphrase.outcome, 'CacheHit');
    assert.equal(paraphrase.cost, 0);

    const other = await ask('What is the capital of France?');
    assert.equal(other.answer, 'You said: What is the capital of France?');
    assert.equal(other.outcome, 'ok');
    assert.ok(semanticStats().hits >= 1 && semanticStats().misses >= 1);
  });

  test('nothing is shared across system prompts or with sampling requests', async () => {
    const withSystem = await ask('how can I reset my password', { system: 'Answer in French.' });
    assert.equal(withSystem.outcome, 'ok', 'another system prompt is another partition');
    const sampled = await ask('how can I reset my password', { temperature: 0.8 });
    assert.equal(sampled.outcome, 'ok', 'a sampling request is not served from the cache');
  });

  test('another account does not get the entry', async () => {
    const created = await fetch(`${server.url}/quarry/iam/accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'semantic-tenant', adminUserName: 'owner' }),
    });
    assert.equal(created.status, 201);
    const tenantKey = ((await created.json()) as { key: { apiKey: string } }).key.apiKey;
    const res = await fetch(`${server.url}/model/${encodeURIComponent(MODEL)}/converse`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenantKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'How do I reset my password?' }] }], inferenceConfig: { temperature: 0 } }),
    });
    assert.equal(res.status, 200);
    const requestId = res.headers.get('x-amzn-requestid');
    await server.meter.flush();
    const record = (await server.meter.query()).find((r) => r.request_id === requestId);
    assert.equal(record?.outcome, 'ok', 'answered by the model, not from the other account\'s cache');
  });

  test('a semantic cache naming a missing or non-embedding model is refused at start', async () => {
    await assert.rejects(startTestServer('responseCache:\n  semantic: { embeddingModel: acme.nope-v1:0 }\n'), /no model acme.nope-v1:0/);
    await assert.rejects(startTestServer('responseCache:\n  semantic: { embeddingModel: scripted.echo-v1:0 }\n'), /not an embedding model/);
  });
});
