import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { BedrockRuntimeClient, ConverseStreamCommand, type TokenUsage } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';

// The scripted model plays Bedrock's prompt cache: the words before a cachePoint are written the first time its
// provider sees them and read after. Its configured prices are 0.001 input and 0.002 output per 1,000 tokens.
const ECHO = 'scripted.echo-v1:0';
const CACHE_READ = 0.0003;
const CACHE_WRITE = 0.005;
let server: TestServer;

before(async () => {
  server = await startTestServer();
  // Cache prices of its own, neither the input price nor Bedrock's ratios of it, so the test sees which was used.
  const res = await fetch(`${server.url}/quarry/pricing/models/${encodeURIComponent(ECHO)}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ cacheReadPer1k: CACHE_READ, cacheWritePer1k: CACHE_WRITE }),
  });
  assert.equal(res.status, 200);
});
after(async () => server.stop());

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} != ${b}`);
const recordOf = async (requestId: string | null | undefined) => {
  const rows = await server.meter.query({ requestId: requestId ?? 'none' });
  assert.equal(rows.length, 1, `one record for ${requestId}`);
  return rows[0]!;
};
const cost = (u: { input: number; output: number; read?: number; write?: number }) =>
  (u.input * 0.001 + u.output * 0.002 + (u.read ?? 0) * CACHE_READ + (u.write ?? 0) * CACHE_WRITE) / 1000;

describe('prompt caching through the real APIs', () => {
  // Thirteen words, so they can be told apart from the two of the question.
  const system = 'You answer questions about the weather in Paris, briefly and always in French.';

  test('Converse: a cachePoint is written, usage splits it out, and the record prices it at the cache-write price', async () => {
    const res = await fetch(`${server.url}/model/${encodeURIComponent(ECHO)}/converse`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ system: [{ text: system }, { cachePoint: { type: 'default' } }], messages: [{ role: 'user', content: [{ text: 'hello there' }] }] }),
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { usage: TokenUsage };
    assert.deepEqual(body.usage, { inputTokens: 2, outputTokens: 4, totalTokens: 19, cacheWriteInputTokens: 13 });
    const r = await recordOf(res.headers.get('x-amzn-requestid'));
    assert.deepEqual([r.input_tokens, r.output_tokens, r.cache_read_tokens, r.cache_write_tokens], [2, 4, 0, 13]);
    close(r.cost_usd, cost({ input: 2, output: 4, write: 13 }));
  });

  test('ConverseStream: the same prefix is read back, in the metadata event and the record', async () => {
    const client = new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: server.url,
      token: { token: TEST_API_KEY },
      authSchemePreference: ['httpBearerAuth'],
      requestHandler: new NodeHttpHandler(),
    });
    try {
      const res = await client.send(
        new ConverseStreamCommand({ modelId: ECHO, system: [{ text: system }, { cachePoint: { type: 'default' } }], messages: [{ role: 'user', content: [{ text: 'hi again' }] }] }),
      );
      let usage: TokenUsage | undefined;
      for await (const ev of res.stream!) if (ev.metadata) usage = ev.metadata.usage;
      assert.deepEqual(usage, { inputTokens: 2, outputTokens: 4, totalTokens: 19, cacheReadInputTokens: 13 });
      const r = await recordOf(res.$metadata.requestId);
      assert.deepEqual([r.input_tokens, r.cache_read_tokens, r.cache_write_tokens], [2, 13, 0]);
      close(r.cost_usd, cost({ input: 2, output: 4, read: 13 }));
    } finally {
      client.destroy();
    }
  });

  test('Anthropic Messages: cache_control is a cachePoint; cache_read_input_tokens in the answer and in the stream', async () => {
    const client = new Anthropic({ baseURL: server.url, apiKey: TEST_API_KEY, maxRetries: 0 });
    const params = {
      model: ECHO,
      max_tokens: 50,
      system: [{ type: 'text' as const, text: system, cache_control: { type: 'ephemeral' as const } }],
      messages: [{ role: 'user' as const, content: 'bonjour encore' }],
    };
    const { data: msg, response } = await client.messages.create(params).withResponse();
    assert.deepEqual(msg.usage, { input_tokens: 2, output_tokens: 4, cache_creation_input_tokens: 0, cache_read_input_tokens: 13 });
    const r = await recordOf(response.headers.get('request-id') ?? response.headers.get('x-request-id') ?? response.headers.get('x-amzn-requestid'));
    close(r.cost_usd, cost({ input: 2, output: 4, read: 13 }));

    const streamed = await client.messages.stream(params).finalMessage();
    assert.equal(streamed.usage.cache_read_input_tokens, 13);
    assert.equal(streamed.usage.input_tokens, 2);
  });
});
