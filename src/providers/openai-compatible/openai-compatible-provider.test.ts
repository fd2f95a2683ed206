import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, beforeEach, describe, test } from 'node:test';
import { collectStream, type GenerateRequest, type ModelInfo, QuarryError, type StreamPart } from '../../core/index.js';
import { assertStreamOrder, drain, replay } from '../conformance/assert-stream-order.js';
import { conformanceRequests, providerConformance, WEATHER_TOOL } from '../conformance/provider-conformance.js';
import { closedPortUrl, type Reply, sseEvents, startReplayServer } from '../conformance/replay-server.js';
import { createOpenAICompatibleProvider } from './index.js';
import { SseDecoder } from './sse-decoder.js';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const json = (name: string, status = 200): Reply => ({ status, headers: { 'content-type': 'application/json' }, body: fixture(name) });
const sse = (name: string): Reply => ({ headers: { 'content-type': 'text/event-stream' }, body: sseEvents(fixture(name)), chunkDelayMs: 1 });

const model = (id: string, upstreamModel = id, kind: ModelInfo['kind'] = 'text'): ModelInfo => ({
  id,
  name: id,
  providerId: 'oai',
  upstreamModel,
  family: 'generic',
  kind,
  inputModalities: ['TEXT', 'IMAGE'],
  outputModalities: kind === 'text' ? ['TEXT'] : ['EMBEDDING'],
  runsOn: 'remote',
  supportsTools: true,
  supportsStreaming: true,
});
const chatModel = model('openai.gpt-4o-mini', 'gpt-4o-mini');
const embedModel = model('openai.text-embedding-3-small', 'text-embedding-3-small', 'embedding');

const upstream = await startReplayServer();
after(() => upstream.close());

const create = (o: { baseUrl?: string; timeoutMs?: number; options?: Record<string, unknown>; models?: ModelInfo[] } = {}) =>
  createOpenAICompatibleProvider({
    id: 'oai',
    type: 'openai-compatible',
    baseUrl: o.baseUrl ?? `${upstream.url}/v1`,
    apiKey: 'sk-test-123',
    models: o.models ?? [chatModel, embedModel],
    options: o.options ?? {},
    dataDir: '/nonexistent',
    timeoutMs: o.timeoutMs ?? 5_000,
  });

providerConformance({
  name: 'openai-compatible',
  upstream,
  createProvider: ({ baseUrl, timeoutMs }) => create({ baseUrl: `${baseUrl}/v1`, timeoutMs }),
  model: chatModel,
  fixtures: {
    text: json('chat-text.json'),
    textStream: sse('chat-text.sse'),
    toolUse: json('chat-tool.json'),
    toolUseStream: sse('chat-tool.sse'),
    afterToolResult: json('chat-after-tool.json'),
    error: (status, message) => ({
      status,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code: null } }),
    }),
    garbageStream: sse('chat-garbage.sse'),
  },
  expect: {
    text: 'Hello! How can I help you today?',
    usage: { inputTokens: 19, outputTokens: 10, totalTokens: 29 },
    toolUse: { name: 'get_weather', input: { city: 'Paris' } },
    finalText: 'It is 18 °C and sunny in Paris.',
  },
});

const call = () => ({ signal: new AbortController().signal });
const reqs = conformanceRequests(chatModel);

describe('openai-compatible specifics', () => {
  beforeEach(() => upstream.reset());

  test('sends a Chat Completions body with the bearer key and the version path', async () => {
    upstream.enqueue(json('chat-text.json'));
    await create({ options: { headers: { 'OpenAI-Organization': 'org-quarry' } } }).generate(
      { ...reqs.text, inferenceConfig: { maxTokens: 64, temperature: 0.2, topP: 0.9, stopSequences: ['END'] } },
      call(),
    );
    const sent = upstream.requests[0];
    assert.equal(sent.path, '/v1/chat/completions');
    assert.equal(sent.headers.authorization, 'Bearer sk-test-123');
    assert.equal(sent.headers['openai-organization'], 'org-quarry');
    assert.deepEqual(sent.json(), {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Say hello.' },
      ],
      max_tokens: 64,
      temperature: 0.2,
      top_p: 0.9,
      stop: ['END'],
    });
  });

  test('maps tools, tool choice, images, tool results and json schema', async () => {
    upstream.enqueue(json('chat-after-tool.json'));
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    const req: GenerateRequest = {
      ...reqs.tool,
      toolConfig: { tools: [WEATHER_TOOL], toolChoice: { tool: { name: 'get_weather' } } },
      jsonSchema: { name: 'weather', description: 'A report', schema: { type: 'object' } },
      additionalModelRequestFields: { seed: 7, model: 'ignored' },
      messages: [
        { role: 'user', content: [{ text: 'Weather here?' }, { image: { format: 'png', source: { bytes: png } } }] },
        {
          role: 'assistant',
          content: [
            { text: 'Checking.' },
            { toolUse: { toolUseId: 'call_1', name: 'get_weather', input: { city: 'Paris' } } },
          ],
        },
        {
          role: 'user',
          content: [
            { toolResult: { toolUseId: 'call_1', content: [{ json: { tempC: 18 } }], status: 'error' } },
            { text: 'And tomorrow?' },
          ],
        },
      ],
    };
    await create().generate(req, call());
    const body = upstream.requests[0].json();
    assert.equal(body.model, 'gpt-4o-mini');
    assert.equal(body.seed, 7);
    assert.deepEqual(body.tools, [
      {
        type: 'function',
        function: { name: 'get_weather', description: 'Current weather for a city.', parameters: WEATHER_TOOL.toolSpec.inputSchema.json },
      },
    ]);
    assert.deepEqual(body.tool_choice, { type: 'function', function: { name: 'get_weather' } });
    assert.deepEqual(body.response_format, {
      type: 'json_schema',
      json_schema: { name: 'weather', description: 'A report', schema: { type: 'object' } },
    });
    assert.deepEqual(body.messages, [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Weather here?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw==' } },
        ],
      },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'Error: {"tempC":18}' },
      { role: 'user', content: 'And tomorrow?' },
    ]);
  });

  test('tool choice any is required; streams ask for usage', async () => {
    upstream.enqueue(sse('chat-tool.sse'));
    await drain(create().stream({ ...reqs.tool, toolConfig: { tools: [WEATHER_TOOL], toolChoice: { any: {} } } }, call()));
    const body = upstream.requests[0].json();
    assert.equal(body.tool_choice, 'required');
    assert.equal(body.stream, true);
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.equal(upstream.requests[0].headers.accept, 'text/event-stream');
  });

  test('maxTokensField and streamUsage options', async () => {
    upstream.enqueue(sse('chat-text.sse'));
    await drain(create({ options: { maxTokensField: 'max_completion_tokens', streamUsage: false } }).stream(reqs.text, call()));
    const body = upstream.requests[0].json();
    assert.equal(body.max_completion_tokens, 64);
    assert.equal(body.max_tokens, undefined);
    assert.equal(body.stream_options, undefined);
  });

  test('unknown options are a ValidationException', () => {
    assert.throws(
      () => create({ options: { discovr: true } }),
      (e: unknown) => QuarryError.isInstance(e) && e.code === 'ValidationException' && /oai/.test(e.message),
    );
  });

  test('vLLM reasoning deltas become a reasoning block; a named stop string is stop_sequence', async () => {
    upstream.enqueue(sse('vllm-reasoning.sse'));
    const parts = await drain(
      create().stream({ ...reqs.text, inferenceConfig: { stopSequences: ['END'] } }, call()),
    );
    assertStreamOrder(parts);
    const r = await collectStream(replay(parts));
    assert.deepEqual(r.message.content, [
      { reasoningContent: { reasoningText: { text: 'The user wants a number.', signature: undefined } } },
      { text: '42' },
    ]);
    assert.equal(r.stopReason, 'stop_sequence');
    assert.equal(r.rawStopReason, 'stop');
    assert.deepEqual([r.usage.inputTokens, r.usage.outputTokens, r.usage.totalTokens], [14, 17, 31]);
  });

  test('a vLLM error body keeps its message', async () => {
    upstream.enqueue(json('vllm-error-400.json', 400));
    await assert.rejects(create().generate(reqs.text, call()), (e: unknown) => {
      assert.ok(QuarryError.isInstance(e));
      assert.equal(e.code, 'ValidationException');
      assert.match(e.message, /maximum context length is 8192 tokens/);
      return true;
    });
  });

  test('a 2xx answer to a stream request that is not an event stream is an upstream error before any output', async () => {
    upstream.enqueue({ headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<html>502 from a proxy</html>' });
    const parts = await drain(create().stream(reqs.text, call()));
    assert.equal(parts.length, 1, 'nothing but the error');
    const [only] = parts;
    assert.ok(only?.type === 'error');
    assert.equal(only.error.code, 'ModelErrorException');
    assert.match(only.error.message, /text\/html where an event stream was asked for: <html>502 from a proxy/);
  });

  test('a stream without usage (LM Studio) gets an estimate, marked as such', async () => {
    upstream.enqueue(sse('lmstudio-no-usage.sse'));
    const parts = await drain(create().stream(reqs.text, call()));
    assertStreamOrder(parts);
    const meta = parts.at(-1);
    assert.ok(meta?.type === 'metadata');
    assert.ok(meta.usage.inputTokens > 0 && meta.usage.outputTokens > 0);
    assert.deepEqual(meta.usage.raw, { estimated: true });
  });

  test('llama.cpp tool calls with finish_reason stop are tool_use', async () => {
    upstream.enqueue(json('llamacpp-tool-stop.json'));
    const r = await create().generate(reqs.tool, call());
    assert.equal(r.stopReason, 'tool_use');
    assert.equal(r.rawStopReason, 'stop');
    assert.deepEqual(r.message.content, [
      { toolUse: { toolUseId: 'Xz9hQ2pLr0aB3cD4eF5gH6iJ7kL8mN9o', name: 'get_weather', input: { city: 'Paris' } } },
    ]);
  });

  test('cached prompt tokens are split out of inputTokens', async () => {
    upstream.enqueue(json('chat-after-tool.json'));
    const r = await create().generate(reqs.text, call());
    assert.equal(r.usage.inputTokens, 101 - 64);
    assert.equal(r.usage.cacheReadInputTokens, 64);
    assert.equal(r.usage.outputTokens, 12);
    assert.equal(r.usage.totalTokens, 113);
    assert.ok(r.usage.raw, 'the raw usage is kept');
  });

  test('embeddings come back in input order', async () => {
    upstream.enqueue(json('embeddings.json'));
    const r = await create().embed!({ modelId: embedModel.id, model: embedModel, inputs: ['a', 'b'], dimensions: 3 }, call());
    assert.deepEqual(r.embeddings, [
      [0.0023064255, -0.009327292, 0.015797347],
      [0.25, -0.5, 0.125],
    ]);
    assert.equal(r.inputTokens, 8);
    assert.equal(upstream.requests[0].path, '/v1/embeddings');
    assert.deepEqual(upstream.requests[0].json(), {
      model: 'text-embedding-3-small',
      input: ['a', 'b'],
      encoding_format: 'float',
      dimensions: 3,
    });
  });

  test('listModels: configured only, or with discovery', async () => {
    assert.deepEqual(await create().listModels(), [chatModel, embedModel]);
    assert.equal(upstream.requests.length, 0, 'no discovery unless asked');

    upstream.enqueue(json('models-vllm.json'));
    const models = await create({ options: { discover: true }, models: [chatModel] }).listModels();
    assert.equal(upstream.requests[0].path, '/v1/models');
    assert.deepEqual(
      models.map((m) => [m.id, m.kind, m.contextWindow]),
      [
        ['openai.gpt-4o-mini', 'text', undefined],
        ['Qwen/Qwen3-8B', 'text', 32768],
        ['BAAI/bge-m3', 'embedding', 8192],
      ],
    );

    upstream.enqueue({ status: 500, body: 'down' });
    assert.deepEqual(await create({ options: { discover: true }, models: [chatModel] }).listModels(), [chatModel]);
  });

  test('countTokens estimates with the o200k tokenizer', async () => {
    const n = await create().countTokens!(reqs.text);
    assert.ok(n > 5 && n < 40, `estimate ${n}`);
  });

  test('keeps connections alive between calls', async () => {
    const p = create();
    for (let i = 0; i < 3; i++) upstream.enqueue(json('chat-text.json'), sse('chat-text.sse'));
    for (let i = 0; i < 3; i++) {
      await p.generate(reqs.text, call());
      await drain(p.stream(reqs.text, call()));
    }
    // undici's pool learns that a socket is free again a tick after the body ended, so a call made at once may open
    // a second socket; what matters is that six calls did not open six.
    const ports = new Set(upstream.requests.map((r) => r.remotePort));
    assert.ok(ports.size <= 2, `${ports.size} sockets for 6 calls`);
    await p.close?.();
  });

  test('a consumer that stops reading closes the upstream stream', async () => {
    upstream.enqueue({ ...sse('chat-text.sse'), hang: 'after-first-chunk' });
    const parts: StreamPart[] = [];
    for await (const part of create().stream(reqs.text, call())) {
      parts.push(part);
      break;
    }
    await upstream.requests[0].closedEarly;
    assert.equal(parts[0].type, 'messageStart');
  });

  test('probe lists models with the key, and fails on an error status, a non-list body, or no upstream', async () => {
    const p = create();
    upstream.enqueue({ headers: { 'content-type': 'application/json' }, body: JSON.stringify({ object: 'list', data: [{ id: 'gpt-4o-mini' }] }) });
    await p.probe!(call());
    assert.equal(upstream.requests[0].path, '/v1/models');
    assert.equal(upstream.requests[0].headers.authorization, 'Bearer sk-test-123');
    upstream.enqueue({ status: 503, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { message: 'overloaded' } }) });
    await assert.rejects(p.probe!(call()), (e: QuarryError) => e.retryable);
    upstream.enqueue({ headers: { 'content-type': 'application/json' }, body: '{"choices":[]}' });
    await assert.rejects(p.probe!(call()), /model list/);
    await assert.rejects(create({ baseUrl: `${await closedPortUrl()}/v1` }).probe!(call()), (e: QuarryError) => e.code === 'ServiceUnavailableException');
  });
});

describe('SseDecoder', () => {
  test('joins data lines, skips comments, survives split reads and CRLF', () => {
    const d = new SseDecoder();
    assert.deepEqual(d.push(': keep-alive\n\nda'), []);
    assert.deepEqual(d.push('ta: {"a":\r\ndata: 1}\r\n'), []);
    assert.equal(d.pending, true);
    assert.deepEqual(d.push('\r\nevent: error\ndata:x\n\n'), [
      { event: '', data: '{"a":\n1}' },
      { event: 'error', data: 'x' },
    ]);
    assert.equal(d.pending, false);
  });
});
