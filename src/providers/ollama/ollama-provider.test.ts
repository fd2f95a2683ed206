import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, beforeEach, describe, test } from 'node:test';
import { collectStream, type GenerateRequest, type ModelInfo, QuarryError } from '../../core/index.js';
import { assertStreamOrder, drain, replay } from '../conformance/assert-stream-order.js';
import { conformanceRequests, providerConformance, WEATHER_TOOL } from '../conformance/provider-conformance.js';
import { closedPortUrl, ndjsonLines, type Reply, startReplayServer } from '../conformance/replay-server.js';
import { createOllamaProvider, type OllamaPullProgress, probeOllama, pullOllamaModel } from './index.js';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const json = (name: string): Reply => ({ headers: { 'content-type': 'application/json; charset=utf-8' }, body: fixture(name) });
const ndjson = (name: string): Reply => ({ headers: { 'content-type': 'application/x-ndjson' }, body: ndjsonLines(fixture(name)), chunkDelayMs: 1 });
const errorReply = (status: number, message: string): Reply => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify({ error: message }),
});

const model: ModelInfo = {
  id: 'ollama.llama3.2-3b',
  name: 'Llama 3.2 3B',
  providerId: 'ollama',
  upstreamModel: 'llama3.2:3b',
  family: 'meta',
  kind: 'text',
  inputModalities: ['TEXT'],
  outputModalities: ['TEXT'],
  runsOn: 'remote',
  supportsTools: true,
  supportsStreaming: true,
};
const embedModel: ModelInfo = { ...model, id: 'nomic', upstreamModel: 'nomic-embed-text', kind: 'embedding', outputModalities: ['EMBEDDING'] };

const upstream = await startReplayServer();
after(() => upstream.close());

const create = (o: { baseUrl?: string; timeoutMs?: number; options?: Record<string, unknown> } = {}) =>
  createOllamaProvider({
    id: 'ollama',
    type: 'ollama',
    baseUrl: o.baseUrl ?? upstream.url,
    models: [model],
    options: o.options ?? { discover: false },
    dataDir: '/nonexistent',
    timeoutMs: o.timeoutMs ?? 5_000,
  });

providerConformance({
  name: 'ollama',
  upstream,
  createProvider: ({ baseUrl, timeoutMs }) => create({ baseUrl, timeoutMs }),
  model,
  fixtures: {
    text: json('chat-text.json'),
    textStream: ndjson('chat-text.ndjson'),
    toolUse: json('chat-tool.json'),
    toolUseStream: ndjson('chat-tool.ndjson'),
    afterToolResult: json('chat-after-tool.json'),
    error: errorReply,
    garbageStream: ndjson('chat-garbage.ndjson'),
  },
  expect: {
    text: 'Hello! How can I help you today?',
    usage: { inputTokens: 14, outputTokens: 12, totalTokens: 26 },
    toolUse: { name: 'get_weather', input: { city: 'Paris' } },
    finalText: 'It is 18 °C and sunny in Paris.',
  },
  toolUseIdsOnWire: false,
});

const call = () => ({ signal: new AbortController().signal });
const reqs = conformanceRequests(model);

describe('ollama specifics', () => {
  beforeEach(() => upstream.reset());

  test('sends a native /api/chat body: options, format, tools, images, tool results by name', async () => {
    upstream.enqueue(json('chat-after-tool.json'));
    const req: GenerateRequest = {
      ...reqs.tool,
      system: [{ text: 'Be brief.' }],
      inferenceConfig: { maxTokens: 100, temperature: 0.3, topP: 0.8, stopSequences: ['END'] },
      toolConfig: { tools: [WEATHER_TOOL, { toolSpec: { ...WEATHER_TOOL.toolSpec, name: 'other' } }], toolChoice: { tool: { name: 'get_weather' } } },
      jsonSchema: { name: 'weather', schema: { type: 'object' } },
      additionalModelRequestFields: { think: true, num_ctx: 8192, options: { seed: 7 } },
      messages: [
        { role: 'user', content: [{ text: 'Look:' }, { image: { format: 'png', source: { bytes: new Uint8Array([1, 2, 3]) } } }] },
        {
          role: 'assistant',
          content: [
            { reasoningContent: { reasoningText: { text: 'Need weather.' } } },
            { toolUse: { toolUseId: 'call_1', name: 'get_weather', input: { city: 'Paris' } } },
          ],
        },
        { role: 'user', content: [{ toolResult: { toolUseId: 'call_1', content: [{ json: { tempC: 18 } }] } }, { text: 'Thanks' }] },
      ],
    };
    await create({ options: { discover: false, keepAlive: '10m', modelOptions: { num_gpu: 1, num_ctx: 4096 } } }).generate(req, call());
    const sent = upstream.requests[0];
    assert.equal(sent.path, '/api/chat');
    assert.deepEqual(sent.json(), {
      model: 'llama3.2:3b',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Look:', images: ['AQID'] },
        { role: 'assistant', content: '', thinking: 'Need weather.', tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }] },
        { role: 'tool', content: '{"tempC":18}', tool_name: 'get_weather' },
        { role: 'user', content: 'Thanks' },
      ],
      options: { num_gpu: 1, num_ctx: 8192, seed: 7, temperature: 0.3, top_p: 0.8, num_predict: 100, stop: ['END'] },
      keep_alive: '10m',
      think: true,
      format: { type: 'object' },
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Current weather for a city.', parameters: WEATHER_TOOL.toolSpec.inputSchema.json } }],
      stream: false,
    });
  });

  test('streamed thinking becomes a reasoning block; length is max_tokens', async () => {
    upstream.enqueue(ndjson('chat-thinking.ndjson'));
    const parts = await drain(create().stream(reqs.text, call()));
    assertStreamOrder(parts);
    const r = await collectStream(replay(parts));
    assert.deepEqual(r.message.content, [{ reasoningContent: { reasoningText: { text: 'The user wants 6×7.', signature: undefined } } }, { text: '42' }]);
    assert.equal(r.stopReason, 'max_tokens');
    assert.deepEqual([r.usage.inputTokens, r.usage.outputTokens], [18, 64]);
  });

  test('tool call ids from newer Ollama are kept; a missing prompt count is 0', async () => {
    upstream.enqueue(json('chat-tool-with-id.json'));
    const r = await create().generate(reqs.tool, call());
    assert.deepEqual(r.message.content, [
      { reasoningContent: { reasoningText: { text: 'Need the weather.' } } },
      { toolUse: { toolUseId: 'call_pj3wd0sn', name: 'get_weather', input: { city: 'Paris' } } },
    ]);
    assert.equal(r.usage.inputTokens, 0);
    assert.equal(r.usage.outputTokens, 20);
  });

  test('an error line mid-stream becomes a final error part', async () => {
    upstream.enqueue(ndjson('chat-error-midstream.ndjson'));
    const parts = await drain(create().stream(reqs.text, call()));
    assertStreamOrder(parts);
    const last = parts.at(-1);
    assert.ok(last?.type === 'error');
    assert.equal(last.error.code, 'ModelStreamErrorException');
    assert.match(last.error.message, /unexpected EOF/);
  });

  test('a model that is not pulled is ResourceNotFoundException with Ollama’s hint', async () => {
    upstream.enqueue(errorReply(404, "model 'llama3.2:3b' not found, try pulling it first"));
    await assert.rejects(create().generate(reqs.text, call()), (e: unknown) => {
      assert.ok(QuarryError.isInstance(e) && e.code === 'ResourceNotFoundException');
      assert.match(e.message, /try pulling it first/);
      return true;
    });
  });

  test('embeddings', async () => {
    upstream.enqueue(json('embed.json'));
    const r = await create().embed!({ modelId: embedModel.id, model: embedModel, inputs: ['a', 'b'] }, call());
    assert.equal(r.embeddings.length, 2);
    assert.equal(r.inputTokens, 8);
    assert.equal(upstream.requests[0].path, '/api/embed');
    assert.deepEqual(upstream.requests[0].json(), { model: 'nomic-embed-text', input: ['a', 'b'], truncate: true });
  });

  test('discovery lists pulled models with context length and capabilities, caching /api/show', async () => {
    upstream.route((req) => {
      if (req.path === '/api/tags') return json('tags.json');
      if (req.path === '/api/show') return json(req.json().model === 'llama3.2:3b' ? 'show-llama.json' : 'show-nomic.json');
      return undefined;
    });
    const p = create({ options: {} });
    const models = await p.listModels();
    assert.deepEqual(
      models.map((m) => [m.id, m.kind, m.contextWindow, m.embeddingDimensions, m.supportsTools]),
      [
        ['ollama.llama3.2-3b', 'text', undefined, undefined, true],
        ['nomic-embed-text:latest', 'embedding', 2048, 768, false],
      ],
      'the configured entry wins over the discovered one of the same upstream model',
    );
    await p.listModels();
    assert.equal(upstream.requests.filter((r) => r.path === '/api/show').length, 2, 'show is asked once per model');
  });

  test('discovery failure leaves the configured models', async () => {
    upstream.enqueue(errorReply(500, 'boom'));
    assert.deepEqual(await create({ options: {} }).listModels(), [model]);
  });

  test('probeOllama', async () => {
    upstream.enqueue(json('version.json'));
    assert.equal(await probeOllama(upstream.url, 500), true);
    assert.equal(upstream.requests[0].path, '/api/version');
    assert.equal(await probeOllama(await closedPortUrl(), 500), false);
    upstream.enqueue({ hang: 'before-headers' });
    const t0 = Date.now();
    assert.equal(await probeOllama(upstream.url, 100), false);
    assert.ok(Date.now() - t0 < 1_000);
    upstream.enqueue({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html>not ollama</html>' });
    assert.equal(await probeOllama(upstream.url, 500), false);
  });

  test('pullOllamaModel reports progress until success', async () => {
    upstream.enqueue(ndjson('pull.ndjson'));
    const seen: OllamaPullProgress[] = [];
    await pullOllamaModel(upstream.url, 'llama3.2:3b', (p) => seen.push(p));
    assert.deepEqual(upstream.requests[0].json(), { name: 'llama3.2:3b', stream: true });
    assert.equal(seen.length, 7);
    assert.deepEqual(seen[2], {
      status: 'pulling dde5aa3fc5ff',
      digest: 'sha256:dde5aa3fc5ffc17176b5e8bdc82f587b24b2678c6c66101bf7da77af9f7ccdff',
      total: 2019377376,
      completed: 1009688688,
    });
    assert.equal(seen.at(-1)?.status, 'success');
  });

  test('pulling a model the registry does not have is ResourceNotFoundException', async () => {
    upstream.enqueue(ndjson('pull-missing.ndjson'));
    await assert.rejects(
      pullOllamaModel(upstream.url, 'nope:1b', () => {}),
      (e: unknown) => QuarryError.isInstance(e) && e.code === 'ResourceNotFoundException' && /file does not exist/.test(e.message),
    );
  });

  test('probe reads /api/tags without loading a model, and fails when Ollama is down or answers something else', async () => {
    const call = { signal: new AbortController().signal };
    upstream.enqueue(json('tags.json'));
    await create().probe!(call);
    assert.deepEqual(
      upstream.requests.map((r) => r.path),
      ['/api/tags'],
    );
    upstream.enqueue({ headers: { 'content-type': 'application/json' }, body: '{"nope":1}' });
    await assert.rejects(create().probe!(call), /model list/);
    await assert.rejects(create({ baseUrl: await closedPortUrl() }).probe!(call), (e: unknown) => QuarryError.isInstance(e) && e.retryable);
  });

  test('unknown options are a ValidationException', () => {
    assert.throws(() => create({ options: { keep_alive: '5m' } }), (e: unknown) => QuarryError.isInstance(e) && e.code === 'ValidationException');
  });
});
