import assert from 'node:assert/strict';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import OpenAI from 'openai';
import { type TestServer, TEST_ACCESS_KEY_ID, TEST_API_KEY, TEST_SECRET_ACCESS_KEY, startTestServer } from './support/start-test-server.js';

/**
 * The configuration shape from the README, end to end: an OpenAI-compatible upstream (a local server here) behind a
 * Bedrock-style model id, reached with the AWS SDK and the OpenAI SDK; and what clients see when the upstream misbehaves.
 */
let upstream: Server;
let server: TestServer;
let seenAuth = '';
let seenModel = '';

before(async () => {
  upstream = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      seenAuth = String(req.headers.authorization);
      const parsed = JSON.parse(body) as { model: string; stream?: boolean; messages: { content: string }[] };
      seenModel = parsed.model;
      const prompt = String(parsed.messages.at(-1)?.content ?? '');
      if (prompt.includes('hang')) return; // never answers
      if (prompt.includes('garbage')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"choices": [ this is not json');
      }
      if (prompt.includes('overloaded')) {
        res.writeHead(503, { 'content-type': 'application/json' });
        return res.end('{"error":{"message":"upstream overloaded"}}');
      }
      if (parsed.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const chunk = (o: object) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-test', ...o })}\n\n`;
        res.write(chunk({ choices: [{ index: 0, delta: { role: 'assistant', content: 'Hello' }, finish_reason: null }] }));
        res.write(chunk({ choices: [{ index: 0, delta: { content: ' world' }, finish_reason: 'stop' }] }));
        res.write(chunk({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 } }));
        return res.end('data: [DONE]\n\n');
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'c1',
          object: 'chat.completion',
          created: 1,
          model: 'gpt-test',
          choices: [{ index: 0, message: { role: 'assistant', content: 'Hello world' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 },
        }),
      );
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const port = (upstream.address() as AddressInfo).port;
  server = await startTestServer(
    `  - id: upstream
    type: openai-compatible
    baseUrl: http://127.0.0.1:${port}/v1
    apiKey: upstream-secret
    timeoutMs: 1000
models:
  - id: acme.chat-v1:0
    provider: upstream
    upstreamModel: gpt-test
    pricing: { inputPer1k: 0.0005, outputPer1k: 0.0015 }
`,
  );
});
after(async () => {
  await server.stop();
  upstream.close();
});

const bedrock = () =>
  new BedrockRuntimeClient({ region: 'us-east-1', endpoint: server.url, credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY } });
const user = (text: string) => [{ role: 'user' as const, content: [{ text }] }];

test('Converse and ConverseStream reach the upstream under its own model name and key; usage is metered with cost', async () => {
  const client = bedrock();
  const res = await client.send(new ConverseCommand({ modelId: 'acme.chat-v1:0', messages: user('hi') }));
  assert.equal(res.output?.message?.content?.[0]?.text, 'Hello world');
  assert.deepEqual(res.usage, { inputTokens: 7, outputTokens: 2, totalTokens: 9 });
  assert.equal(seenModel, 'gpt-test');
  assert.equal(seenAuth, 'Bearer upstream-secret');
  const stream = await client.send(
    new ConverseStreamCommand({ modelId: 'arn:aws:bedrock:us-east-1::foundation-model/acme.chat-v1:0', messages: user('hi') }),
  );
  let text = '';
  for await (const ev of stream.stream!) text += ev.contentBlockDelta?.delta?.text ?? '';
  assert.equal(text, 'Hello world');
  client.destroy();
  await server.meter.flush();
  const rec = (await server.meter.query()).find((r) => r.model_id === 'acme.chat-v1:0' && r.outcome === 'ok');
  assert.ok(rec && Math.abs(rec.cost_usd - (7 * 0.0005 + 2 * 0.0015) / 1000) < 1e-12);
});

test('the OpenAI SDK reaches the same upstream model', async () => {
  const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: TEST_API_KEY });
  const r = await openai.chat.completions.create({ model: 'acme.chat-v1:0', messages: [{ role: 'user', content: 'hi' }] });
  assert.equal(r.choices[0]?.message.content, 'Hello world');
});

test('an upstream that hangs, returns garbage or is overloaded gives clear errors, and the server keeps serving', async () => {
  const client = bedrock();
  await assert.rejects(client.send(new ConverseCommand({ modelId: 'acme.chat-v1:0', messages: user('please hang') })), (e: Error) => e.name === 'ModelTimeoutException');
  await assert.rejects(client.send(new ConverseCommand({ modelId: 'acme.chat-v1:0', messages: user('garbage please') })), (e: Error) => e.name === 'ModelErrorException');
  await assert.rejects(
    client.send(new ConverseCommand({ modelId: 'acme.chat-v1:0', messages: user('overloaded') })),
    (e: Error) => /ServiceUnavailable|ModelError/.test(e.name) && /overloaded/.test(e.message),
  );
  const ok = await client.send(new ConverseCommand({ modelId: 'acme.chat-v1:0', messages: user('hi again') }));
  assert.equal(ok.stopReason, 'end_turn');
  client.destroy();
});
