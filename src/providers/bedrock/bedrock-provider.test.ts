import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, beforeEach, describe, test } from 'node:test';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { collectStream, type GenerateRequest, type ModelInfo, QuarryError } from '../../core/index.js';
import { assertStreamOrder, drain, replay } from '../conformance/assert-stream-order.js';
import { conformanceRequests, providerConformance, WEATHER_TOOL } from '../conformance/provider-conformance.js';
import { type Reply, startReplayServer } from '../conformance/replay-server.js';
import { createBedrockProvider } from './index.js';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const json = (name: string): Reply => ({
  headers: { 'content-type': 'application/json', 'x-amzn-requestid': '4c5f1c7e-2b1a-4d8e-9a33-1f2b3c4d5e6f' },
  body: fixture(name),
});

/** Encodes recorded ConverseStream events as Bedrock sends them: one AWS event-stream message per event. */
const codec = new EventStreamCodec(toUtf8, fromUtf8);
type Headers = Parameters<EventStreamCodec['encode']>[0]['headers'];
function frames(events: Record<string, unknown>[]): Uint8Array[] {
  const str = (value: string) => ({ type: 'string' as const, value });
  return events.map((e) => {
    const [type, body] = Object.entries(e)[0];
    const headers: Headers = type.endsWith('Exception')
      ? { ':message-type': str('exception'), ':exception-type': str(type), ':content-type': str('application/json') }
      : { ':message-type': str('event'), ':event-type': str(type), ':content-type': str('application/json') };
    return codec.encode({ headers, body: fromUtf8(JSON.stringify(body)) });
  });
}
const eventStream = (name: string): Reply => ({
  headers: { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': '9b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e' },
  body: frames(JSON.parse(fixture(name))),
  chunkDelayMs: 1,
});

const ERROR_NAMES: Record<number, string> = {
  400: 'ValidationException',
  401: 'UnrecognizedClientException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  429: 'ThrottlingException',
  500: 'InternalServerException',
  503: 'ServiceUnavailableException',
};
const errorReply = (status: number, message: string): Reply => ({
  status,
  headers: {
    'content-type': 'application/json',
    'x-amzn-errortype': `${ERROR_NAMES[status]}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    'x-amzn-requestid': '1f2e3d4c-5b6a-7980-a1b2-c3d4e5f60718',
  },
  body: JSON.stringify({ message }),
});

const textModel = (id: string): ModelInfo => ({
  id,
  name: id,
  providerId: 'bedrock',
  upstreamModel: id,
  family: 'anthropic',
  kind: 'text',
  inputModalities: ['TEXT', 'IMAGE', 'DOCUMENT'],
  outputModalities: ['TEXT'],
  runsOn: 'remote',
  supportsTools: true,
  supportsStreaming: true,
});
const model = textModel('anthropic.claude-3-5-sonnet-20240620-v1:0');
const embedModel = (id: string, family: ModelInfo['family']): ModelInfo => ({
  ...textModel(id),
  family,
  kind: 'embedding',
  outputModalities: ['EMBEDDING'],
  supportsTools: false,
  supportsStreaming: false,
});

const upstream = await startReplayServer();
after(() => upstream.close());

const create = (o: { baseUrl?: string; timeoutMs?: number; options?: Record<string, unknown>; apiKey?: string } = {}) =>
  createBedrockProvider({
    id: 'bedrock',
    type: 'bedrock',
    baseUrl: o.baseUrl ?? upstream.url,
    region: 'eu-west-3',
    apiKey: o.apiKey,
    models: [model],
    options: o.options ?? (o.apiKey ? {} : { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }),
    dataDir: '/nonexistent',
    timeoutMs: o.timeoutMs ?? 5_000,
  });

providerConformance({
  name: 'bedrock',
  upstream,
  createProvider: ({ baseUrl, timeoutMs }) => create({ baseUrl, timeoutMs }),
  model,
  fixtures: {
    text: json('converse-text.json'),
    textStream: eventStream('converse-stream-text.json'),
    toolUse: json('converse-tool.json'),
    toolUseStream: eventStream('converse-stream-tool.json'),
    afterToolResult: json('converse-after-tool.json'),
    error: errorReply,
    garbageStream: {
      ...eventStream('converse-stream-text.json'),
      body: [...frames(JSON.parse(fixture('converse-stream-text.json'))).slice(0, 2), new TextEncoder().encode('<html><body>502 Bad Gateway</body></html>')],
    },
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

describe('bedrock specifics', () => {
  beforeEach(() => upstream.reset());

  test('sends a SigV4-signed Converse request that mirrors the canonical one', async () => {
    upstream.enqueue(json('converse-after-tool.json'));
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    const req: GenerateRequest = {
      ...reqs.tool,
      system: [{ text: 'Be brief.' }, { cachePoint: { type: 'default' } }],
      inferenceConfig: { maxTokens: 100, temperature: 0.3, topP: 0.8, stopSequences: ['END'] },
      toolConfig: { tools: [WEATHER_TOOL], toolChoice: { tool: { name: 'get_weather' } } },
      jsonSchema: { name: 'weather', schema: { type: 'object' } },
      additionalModelRequestFields: { top_k: 5 },
      requestMetadata: { team: 'search' },
      messages: [
        {
          role: 'user',
          content: [
            { text: 'Look:' },
            { image: { format: 'png', source: { bytes: png } } },
            { document: { format: 'txt', name: 'notes', source: { text: 'hi' } } },
          ],
        },
        { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'get_weather', input: { city: 'Paris' } } }] },
        { role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [{ json: { tempC: 18 } }], status: 'success' } }] },
      ],
    };
    await create().generate(req, call());
    const sent = upstream.requests[0];
    assert.equal(sent.path, '/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse');
    assert.match(String(sent.headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-3\/bedrock\/aws4_request/);
    assert.deepEqual(sent.json(), {
      messages: [
        {
          role: 'user',
          content: [
            { text: 'Look:' },
            { image: { format: 'png', source: { bytes: 'iVBORw==' } } },
            { document: { format: 'txt', name: 'notes', source: { text: 'hi' } } },
          ],
        },
        { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'get_weather', input: { city: 'Paris' } } }] },
        { role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [{ json: { tempC: 18 } }], status: 'success' } }] },
      ],
      system: [{ text: 'Be brief.' }, { cachePoint: { type: 'default' } }],
      inferenceConfig: { maxTokens: 100, temperature: 0.3, topP: 0.8, stopSequences: ['END'] },
      toolConfig: {
        tools: [{ toolSpec: { name: 'get_weather', description: 'Current weather for a city.', inputSchema: { json: WEATHER_TOOL.toolSpec.inputSchema.json } } }],
        toolChoice: { tool: { name: 'get_weather' } },
      },
      additionalModelRequestFields: { top_k: 5 },
      requestMetadata: { team: 'search' },
      outputConfig: { textFormat: { type: 'json_schema', structure: { jsonSchema: { name: 'weather', schema: '{"type":"object"}' } } } },
    });
  });

  test('a Bedrock API key is sent as a bearer token', async () => {
    upstream.enqueue(json('converse-text.json'));
    await create({ apiKey: 'ABSKQmVkcm9ja0FQSUtleS1example' }).generate(reqs.text, call());
    assert.equal(upstream.requests[0].headers.authorization, 'Bearer ABSKQmVkcm9ja0FQSUtleS1example');
  });

  test('reasoning with signature and redacted reasoning', async () => {
    upstream.enqueue(json('converse-reasoning.json'));
    const r = await create().generate(reqs.text, call());
    assert.deepEqual(r.message.content[0], {
      reasoningContent: { reasoningText: { text: 'The user wants 6 times 7.', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' } },
    });
    const redacted = r.message.content[1];
    assert.ok('reasoningContent' in redacted && redacted.reasoningContent.redactedContent instanceof Uint8Array);
    assert.deepEqual(r.message.content[2], { text: '42' });
  });

  test('streamed text blocks get the contentBlockStart Bedrock leaves out', async () => {
    upstream.enqueue(eventStream('converse-stream-reasoning.json'));
    const parts = await drain(create().stream(reqs.text, call()));
    assertStreamOrder(parts);
    assert.deepEqual(
      parts.filter((p) => p.type === 'contentBlockStart'),
      [
        { type: 'contentBlockStart', index: 0 },
        { type: 'contentBlockStart', index: 1 },
      ],
    );
    const r = await collectStream(replay(parts));
    assert.deepEqual(r.message.content, [
      { reasoningContent: { reasoningText: { text: 'The user wants 6 times 7.', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' } } },
      { text: '42' },
    ]);
    assert.equal(r.usage.cacheReadInputTokens, 1024);
    assert.equal(r.usage.totalTokens, 1154);
  });

  test('an exception event mid-stream becomes a final error part', async () => {
    upstream.enqueue(eventStream('converse-stream-model-error.json'));
    const parts = await drain(create().stream(reqs.text, call()));
    assertStreamOrder(parts);
    const last = parts.at(-1);
    assert.ok(last?.type === 'error');
    assert.equal(last.error.code, 'ModelStreamErrorException');
    assert.match(last.error.message, /invalid sequence/);
    assert.ok(parts.some((p) => p.type === 'contentBlockDelta'));
  });

  test('cache reads and writes pass through', async () => {
    upstream.enqueue(json('converse-after-tool.json'));
    const r = await create().generate(reqs.text, call());
    assert.deepEqual(
      [r.usage.inputTokens, r.usage.outputTokens, r.usage.cacheReadInputTokens, r.usage.cacheWriteInputTokens, r.usage.totalTokens],
      [31, 14, 420, 12, 477],
    );
  });

  test('Titan embeddings: one InvokeModel per text, token counts summed', async () => {
    upstream.enqueue(json('titan-embed-v2.json'), json('titan-embed-v2.json'));
    const m = embedModel('amazon.titan-embed-text-v2:0', 'amazon-titan-embed');
    const r = await create().embed!({ modelId: m.id, model: m, inputs: ['a', 'b'], dimensions: 256, normalize: true }, call());
    assert.deepEqual(r.embeddings, [
      [0.0123, -0.0456, 0.0789],
      [0.0123, -0.0456, 0.0789],
    ]);
    assert.equal(r.inputTokens, 6);
    assert.equal(upstream.requests[0].path, '/model/amazon.titan-embed-text-v2%3A0/invoke');
    assert.deepEqual(
      upstream.requests.map((q) => q.json()).sort((a, b) => String(a.inputText).localeCompare(String(b.inputText))),
      [
        { inputText: 'a', dimensions: 256, normalize: true },
        { inputText: 'b', dimensions: 256, normalize: true },
      ],
    );
  });

  test('Cohere embeddings: one call per batch', async () => {
    upstream.enqueue(json('cohere-embed-v3.json'));
    const m = embedModel('cohere.embed-english-v3', 'cohere');
    const r = await create().embed!({ modelId: m.id, model: m, inputs: ['a', 'b'] }, call());
    assert.deepEqual(r.embeddings, [
      [0.01, 0.02],
      [0.03, 0.04],
    ]);
    assert.deepEqual(upstream.requests[0].json(), { texts: ['a', 'b'], input_type: 'search_document', truncate: 'END' });
    assert.ok(r.inputTokens > 0);
  });

  test('countTokens asks Bedrock, and estimates for models CountTokens does not serve', async () => {
    upstream.enqueue(json('count-tokens.json'));
    assert.equal(await create().countTokens!(reqs.tool), 37);
    assert.equal(upstream.requests[0].path, '/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/count-tokens');
    assert.ok(upstream.requests[0].json<{ input: { converse: { messages: unknown[] } } }>().input.converse.messages.length);

    upstream.enqueue(errorReply(400, "The provided model doesn't support counting tokens."));
    const estimate = await create().countTokens!(reqs.tool);
    assert.ok(estimate > 5 && estimate < 200, `estimate ${estimate}`);
  });

  test('probe: a free CountTokens for a configured model; an answering endpoint passes, refused credentials, throttling and no answer fail', async () => {
    upstream.enqueue(json('count-tokens.json'));
    await create().probe!(call());
    assert.equal(upstream.requests[0].path, '/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/count-tokens');

    // A model CountTokens does not serve: the endpoint read and authorised the call, so it is up.
    upstream.enqueue(errorReply(400, "The provided model doesn't support counting tokens."));
    await create().probe!(call());

    for (const [status, code] of [
      [403, 'AccessDeniedException'],
      [429, 'ThrottlingException'],
      [503, 'ServiceUnavailableException'],
    ] as const) {
      upstream.enqueue(errorReply(status, 'no'));
      await assert.rejects(create().probe!(call()), (e: unknown) => QuarryError.isInstance(e) && e.code === code);
    }
    await assert.rejects(create({ baseUrl: 'http://127.0.0.1:1' }).probe!(call()), (e: unknown) => QuarryError.isInstance(e) && e.code === 'ServiceUnavailableException');
  });

  test('invalid options are a ValidationException', () => {
    for (const options of [{ accessKeyId: 'AKID' }, { region: 'x' }]) {
      assert.throws(() => create({ options }), (e: unknown) => QuarryError.isInstance(e) && e.code === 'ValidationException');
    }
  });
});
