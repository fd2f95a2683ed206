import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, beforeEach, describe, test } from 'node:test';
import { collectStream, type GenerateRequest, type ModelInfo, QuarryError } from '../../core/index.js';
import { assertStreamOrder, drain, replay } from '../conformance/assert-stream-order.js';
import { conformanceRequests, providerConformance, WEATHER_TOOL } from '../conformance/provider-conformance.js';
import { type Reply, sseEvents, startReplayServer } from '../conformance/replay-server.js';
import { createAnthropicProvider } from './index.js';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const json = (name: string, status = 200): Reply => ({
  status,
  headers: { 'content-type': 'application/json', 'request-id': 'req_011CSHoEeqs5C35K2UUqR7Fy' },
  body: fixture(name),
});
const sse = (name: string): Reply => ({ headers: { 'content-type': 'text/event-stream; charset=utf-8' }, body: sseEvents(fixture(name)), chunkDelayMs: 1 });
const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};
const errorReply = (status: number, message: string): Reply => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ type: 'error', error: { type: ERROR_TYPES[status] ?? 'api_error', message }, request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy' }),
});

const model: ModelInfo = {
  id: 'anthropic.claude-sonnet-4-20250514-v1:0',
  name: 'Claude Sonnet 4',
  providerId: 'anthropic',
  upstreamModel: 'claude-sonnet-4-20250514',
  family: 'anthropic',
  kind: 'text',
  inputModalities: ['TEXT', 'IMAGE', 'DOCUMENT'],
  outputModalities: ['TEXT'],
  maxOutputTokens: 8192,
  runsOn: 'remote',
  supportsTools: true,
  supportsStreaming: true,
};

const upstream = await startReplayServer();
after(() => upstream.close());

const create = (o: { baseUrl?: string; timeoutMs?: number; options?: Record<string, unknown> } = {}) =>
  createAnthropicProvider({
    id: 'anthropic',
    type: 'anthropic',
    baseUrl: o.baseUrl ?? upstream.url,
    apiKey: 'sk-ant-test',
    models: [model],
    options: o.options ?? {},
    dataDir: '/nonexistent',
    timeoutMs: o.timeoutMs ?? 5_000,
  });

providerConformance({
  name: 'anthropic',
  upstream,
  createProvider: ({ baseUrl, timeoutMs }) => create({ baseUrl, timeoutMs }),
  model,
  fixtures: {
    text: json('message-text.json'),
    textStream: sse('message-text.sse'),
    toolUse: json('message-tool.json'),
    toolUseStream: sse('message-tool.sse'),
    afterToolResult: json('message-after-tool.json'),
    error: errorReply,
    garbageStream: sse('message-garbage.sse'),
  },
  expect: {
    text: 'Hello! How can I help you today?',
    usage: { inputTokens: 14, outputTokens: 12, totalTokens: 26 },
    toolUse: { name: 'get_weather', input: { city: 'Paris' } },
    finalText: 'It is 18 °C and sunny in Paris.',
  },
});

const call = () => ({ signal: new AbortController().signal });
const reqs = conformanceRequests(model);

describe('anthropic specifics', () => {
  beforeEach(() => upstream.reset());

  test('sends a Messages body with the key, version and system blocks', async () => {
    upstream.enqueue(json('message-text.json'));
    await create({ options: { headers: { 'x-gateway': 'g1' } } }).generate(
      { ...reqs.text, inferenceConfig: { temperature: 0.5, topP: 0.9, stopSequences: ['END'] } },
      call(),
    );
    const sent = upstream.requests[0];
    assert.equal(sent.path, '/v1/messages');
    assert.equal(sent.headers.authorization, 'Bearer sk-ant-test', 'the SDK sends API keys as bearer tokens');
    assert.ok(sent.headers['anthropic-version']);
    assert.equal(sent.headers['x-gateway'], 'g1');
    assert.deepEqual(sent.json(), {
      model: 'claude-sonnet-4-20250514',
      max_tokens: 8192,
      system: [{ type: 'text', text: 'You are terse.' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Say hello.' }] }],
      temperature: 0.5,
      top_p: 0.9,
      stop_sequences: ['END'],
    });
  });

  test('x-api-key auth scheme and betas', async () => {
    upstream.enqueue(json('message-text.json'));
    await create({ options: { authScheme: 'x-api-key', betas: ['context-1m-2025-08-07'] } }).generate(
      { ...reqs.text, additionalModelRequestFields: { anthropic_beta: ['interleaved-thinking-2025-05-14'], top_k: 5 } },
      call(),
    );
    const sent = upstream.requests[0];
    assert.equal(sent.headers['x-api-key'], 'sk-ant-test');
    assert.equal(sent.headers.authorization, undefined);
    assert.equal(sent.headers['anthropic-beta'], 'context-1m-2025-08-07,interleaved-thinking-2025-05-14');
    const body = sent.json();
    assert.equal(body.top_k, 5);
    assert.equal(body.anthropic_beta, undefined);
  });

  test('maps tools, images, documents, tool results, thinking, cache points and json schema', async () => {
    upstream.enqueue(json('message-after-tool.json'));
    const bytes = new Uint8Array([1, 2, 3]);
    const req: GenerateRequest = {
      ...reqs.tool,
      system: [{ text: 'Be brief.' }, { cachePoint: { type: 'default' } }],
      toolConfig: { tools: [WEATHER_TOOL], toolChoice: { any: {} } },
      jsonSchema: { name: 'weather', schema: { type: 'object' } },
      messages: [
        {
          role: 'user',
          content: [
            { text: 'Look:' },
            { image: { format: 'jpeg', source: { bytes } } },
            { document: { format: 'pdf', name: 'report', source: { bytes } } },
            { document: { format: 'md', name: 'notes', source: { bytes: new TextEncoder().encode('# hi') } } },
            { cachePoint: { type: 'default' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { reasoningContent: { reasoningText: { text: 'Need weather.', signature: 'sig1' } } },
            { toolUse: { toolUseId: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } } },
          ],
        },
        { role: 'user', content: [{ toolResult: { toolUseId: 'toolu_1', content: [{ text: 'boom' }], status: 'error' } }] },
      ],
    };
    await create().generate(req, call());
    const body = upstream.requests[0].json();
    assert.deepEqual(body.system, [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }]);
    assert.deepEqual(body.tools, [
      { name: 'get_weather', description: 'Current weather for a city.', input_schema: WEATHER_TOOL.toolSpec.inputSchema.json },
    ]);
    assert.deepEqual(body.tool_choice, { type: 'any' });
    assert.deepEqual(body.output_config, { format: { type: 'json_schema', schema: { type: 'object' } } });
    assert.deepEqual(body.messages, [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look:' },
          { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: 'AQID' } },
          { type: 'document', title: 'report', source: { type: 'base64', media_type: 'application/pdf', data: 'AQID' } },
          {
            type: 'document',
            title: 'notes',
            source: { type: 'text', media_type: 'text/plain', data: '# hi' },
            cache_control: { type: 'ephemeral' },
          },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Need weather.', signature: 'sig1' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
        ],
      },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'boom' }], is_error: true }],
      },
    ]);
  });

  test('documents the API cannot read are a ValidationException before any call', async () => {
    const req: GenerateRequest = {
      ...reqs.text,
      messages: [{ role: 'user', content: [{ document: { format: 'docx', name: 'd', source: { bytes: new Uint8Array(1) } } }] }],
    };
    await assert.rejects(create().generate(req, call()), (e: unknown) => QuarryError.isInstance(e) && e.code === 'ValidationException');
    assert.equal(upstream.requests.length, 0);
  });

  test('thinking, redacted thinking and the matched stop sequence', async () => {
    upstream.enqueue(json('message-thinking.json'));
    const r = await create().generate(reqs.text, call());
    assert.deepEqual(r.message.content[0], {
      reasoningContent: { reasoningText: { text: 'The user wants 6 times 7.', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' } },
    });
    const redacted = r.message.content[1];
    assert.ok('reasoningContent' in redacted && redacted.reasoningContent.redactedContent);
    assert.equal(Buffer.from(redacted.reasoningContent.redactedContent).toString(), 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP');
    assert.deepEqual(r.message.content[2], { text: '42' });
    assert.equal(r.stopReason, 'stop_sequence');
    assert.deepEqual(r.additionalModelResponseFields, { stop_sequence: '\n\nHuman:' });
  });

  test('streamed thinking keeps its signature; usage merges message_start and message_delta', async () => {
    upstream.enqueue(sse('message-thinking.sse'));
    const parts = await drain(create().stream(reqs.text, call()));
    assertStreamOrder(parts);
    const r = await collectStream(replay(parts));
    assert.deepEqual(r.message.content, [
      { reasoningContent: { reasoningText: { text: 'The user wants 6 times 7.', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' } } },
      { text: '42' },
    ]);
    assert.equal(r.usage.inputTokens, 40);
    assert.equal(r.usage.outputTokens, 90);
    assert.equal(r.usage.cacheReadInputTokens, 1024);
    assert.equal(r.usage.reasoningTokens, 71);
    assert.equal(r.usage.totalTokens, 40 + 90 + 1024);
  });

  test('cache reads and writes are split out', async () => {
    upstream.enqueue(json('message-after-tool.json'));
    const r = await create().generate(reqs.text, call());
    assert.deepEqual(
      [r.usage.inputTokens, r.usage.outputTokens, r.usage.cacheReadInputTokens, r.usage.cacheWriteInputTokens, r.usage.totalTokens],
      [31, 14, 420, 12, 477],
    );
  });

  test('an overloaded error mid-stream becomes a final error part', async () => {
    upstream.enqueue(sse('message-overloaded.sse'));
    const parts = await drain(create().stream(reqs.text, call()));
    assertStreamOrder(parts);
    const last = parts.at(-1);
    assert.ok(last?.type === 'error');
    assert.equal(last.error.code, 'ServiceUnavailableException');
    assert.ok(parts.some((p) => p.type === 'contentBlockDelta'), 'the text before the failure was delivered');
  });

  test('HTTP 529 overloaded is ServiceUnavailableException', async () => {
    upstream.enqueue(errorReply(529, 'Overloaded'));
    await assert.rejects(create().generate(reqs.text, call()), (e: unknown) => QuarryError.isInstance(e) && e.code === 'ServiceUnavailableException');
  });

  test('countTokens uses the count_tokens endpoint, and estimates when it is missing', async () => {
    upstream.enqueue(json('count-tokens.json'));
    assert.equal(await create().countTokens!(reqs.tool), 2095);
    assert.equal(upstream.requests[0].path, '/v1/messages/count_tokens');
    const body = upstream.requests[0].json();
    assert.equal(body.model, 'claude-sonnet-4-20250514');
    assert.equal(body.max_tokens, undefined);
    assert.ok(body.tools);

    upstream.enqueue(errorReply(404, 'Not found'));
    const estimate = await create().countTokens!(reqs.tool);
    assert.ok(estimate > 5 && estimate < 200, `estimate ${estimate}`);

    upstream.reset();
    assert.ok((await create({ options: { countTokens: 'estimate' } }).countTokens!(reqs.text)) > 0);
    assert.equal(upstream.requests.length, 0);
  });

  test('no API key anywhere is an AccessDeniedException before any call', async () => {
    const saved = process.env.ANTHROPIC_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
    try {
      const p = createAnthropicProvider({
        id: 'anthropic',
        type: 'anthropic',
        baseUrl: upstream.url,
        models: [model],
        options: {},
        dataDir: '/nonexistent',
        timeoutMs: 5_000,
      });
      await assert.rejects(p.generate(reqs.text, call()), (e: unknown) => QuarryError.isInstance(e) && e.code === 'AccessDeniedException');
      assert.equal(upstream.requests.length, 0);
    } finally {
      if (saved !== undefined) process.env.ANTHROPIC_API_KEY = saved;
    }
  });

  test('probe lists one model page with the key, and fails on an error status', async () => {
    const call = { signal: new AbortController().signal };
    upstream.enqueue({
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: [{ type: 'model', id: 'claude-sonnet-4-5', display_name: 'Claude', created_at: '2025-09-29T00:00:00Z' }], has_more: true, first_id: 'a', last_id: 'a' }),
    });
    await create().probe!(call);
    assert.equal(upstream.requests.length, 1, 'one page, not the whole listing');
    assert.match(upstream.requests[0]!.path, /^\/v1\/models\?limit=1/);
    upstream.enqueue({ status: 529, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }) });
    await assert.rejects(create().probe!(call), (e: unknown) => QuarryError.isInstance(e) && e.retryable);
  });

  test('unknown options are a ValidationException', () => {
    assert.throws(() => create({ options: { beta: ['x'] } }), (e: unknown) => QuarryError.isInstance(e) && e.code === 'ValidationException');
  });
});
