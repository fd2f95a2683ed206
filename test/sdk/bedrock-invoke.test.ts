import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  BedrockRuntimeClient,
  CountTokensCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  ModelStreamErrorException,
} from '@aws-sdk/client-bedrock-runtime';
import { type TestServer, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, startTestServer } from '../support/start-test-server.js';

/** Scripted models whose ids reveal their family, so each native body format is served. */
const MODELS = {
  claude: 'anthropic.claude-test-v1:0',
  llama: 'meta.llama3-test-v1:0',
  titanText: 'amazon.titan-text-test-v1',
  titanEmbedV2: 'amazon.titan-embed-text-v2:0',
  titanEmbedV1: 'amazon.titan-embed-text-v1',
  cohereEmbed: 'cohere.embed-english-v3',
  nova: 'amazon.nova-test-v1:0',
  mistral: 'mistral.mistral-test-v0:2',
  generic: 'scripted.echo-v1:0',
  genericEmbed: 'scripted.embed-v1:0',
};

const YAML = `models:\n${Object.values(MODELS)
  .map((id) => `  - id: ${id}\n    provider: scripted\n    upstreamModel: ${/embed/.test(id) ? 'embed' : 'echo'}\n`)
  .join('')}`;

let server: TestServer;
let client: BedrockRuntimeClient;
/** Raw headers of the last response, which the SDK does not model for InvokeModel (the token counts). */
let lastHeaders: Record<string, string> = {};

before(async () => {
  server = await startTestServer(YAML);
  // The default request handler: HTTP/2 with SigV4, as most Bedrock code runs.
  client = new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: server.url,
    credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY },
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      lastHeaders = (out.response as { headers?: Record<string, string> }).headers ?? {};
      return out;
    },
    { step: 'deserialize', name: 'captureHeaders' },
  );
});
after(async () => {
  client.destroy();
  await server.stop();
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies are parsed JSON, checked field by field by the assertions.
type Json = Record<string, any>;

async function invoke(modelId: string, body: unknown): Promise<Json> {
  const res = await client.send(new InvokeModelCommand({ modelId, body: JSON.stringify(body), contentType: 'application/json', accept: 'application/json' }));
  assert.equal(res.contentType, 'application/json');
  return JSON.parse(res.body.transformToString());
}

async function invokeStream(modelId: string, body: unknown, seen: Json[] = []): Promise<Json[]> {
  const res = await client.send(new InvokeModelWithResponseStreamCommand({ modelId, body: JSON.stringify(body), contentType: 'application/json' }));
  assert.equal(res.contentType, 'application/json');
  for await (const ev of res.body!) {
    assert.ok(ev.chunk?.bytes, `expected only chunk events, got ${Object.keys(ev)}`);
    seen.push(JSON.parse(new TextDecoder().decode(ev.chunk.bytes)));
  }
  return seen;
}

function assertMetrics(chunk: Json, input: number, output: number) {
  const m = chunk['amazon-bedrock-invocationMetrics'];
  assert.ok(m, 'the last chunk carries amazon-bedrock-invocationMetrics');
  assert.equal(m.inputTokenCount, input);
  assert.equal(m.outputTokenCount, output);
  assert.ok(Number.isInteger(m.invocationLatency) && m.invocationLatency >= 0);
  assert.ok(Number.isInteger(m.firstByteLatency) && m.firstByteLatency <= m.invocationLatency);
}

const anthropic = (messages: unknown[], extra: Json = {}) => ({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 100, messages, ...extra });

const weatherTool = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

const isValidation = (pattern: RegExp) => (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
  assert.equal(e.name, 'ValidationException');
  assert.equal(e.$metadata?.httpStatusCode, 400);
  assert.match(e.message, pattern);
  return true;
};

describe('InvokeModel: Anthropic Messages', () => {
  test('a message with a system prompt, and Bedrock token-count headers', async () => {
    const res = await invoke(MODELS.claude, anthropic([{ role: 'user', content: 'hello claude' }], { system: 'Be brief.' }));
    assert.match(res.id, /^msg_bdrk_01[0-9A-Za-z]{22}$/);
    assert.equal(res.type, 'message');
    assert.equal(res.role, 'assistant');
    assert.equal(res.model, 'claude-test');
    assert.deepEqual(res.content, [{ type: 'text', text: 'You said: hello claude' }]);
    assert.equal(res.stop_reason, 'end_turn');
    assert.equal(res.stop_sequence, null);
    assert.deepEqual(res.usage, { input_tokens: 4, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 4 });
    assert.equal(lastHeaders['x-amzn-bedrock-input-token-count'], '4');
    assert.equal(lastHeaders['x-amzn-bedrock-output-token-count'], '4');
    assert.match(lastHeaders['x-amzn-bedrock-invocation-latency'] ?? '', /^\d+$/);
  });

  test('content blocks: text with cache_control, image, text document', async () => {
    const png = Buffer.from('89504e470d0a1a0a', 'hex').toString('base64');
    const res = await invoke(
      MODELS.claude,
      anthropic(
        [
          {
            role: 'user',
            content: [
              { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'some notes' }, title: 'notes.txt' },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
              { type: 'text', text: 'describe these', cache_control: { type: 'ephemeral' } },
            ],
          },
        ],
        { system: [{ type: 'text', text: 'You look at things.' }], temperature: 0.2, top_p: 0.9, top_k: 40 },
      ),
    );
    assert.deepEqual(res.content, [{ type: 'text', text: 'You said: describe these' }]);
  });

  test('max_tokens and stop_sequences', async () => {
    const short = await invoke(MODELS.claude, anthropic([{ role: 'user', content: 'one two three four' }], { max_tokens: 2 }));
    assert.equal(short.stop_reason, 'max_tokens');
    assert.deepEqual(short.content, [{ type: 'text', text: 'You said:' }]);
    const stopped = await invoke(MODELS.claude, anthropic([{ role: 'user', content: 'alpha beta STOP gamma' }], { stop_sequences: ['STOP'] }));
    assert.equal(stopped.stop_reason, 'stop_sequence');
    assert.equal(stopped.stop_sequence, 'STOP');
    assert.deepEqual(stopped.content, [{ type: 'text', text: 'You said: alpha beta' }]);
  });

  test('a tool-use round trip', async () => {
    const messages: Json[] = [{ role: 'user', content: [{ type: 'text', text: 'use get_weather for Paris' }] }];
    const first = await invoke(MODELS.claude, anthropic(messages, { tools: [weatherTool] }));
    assert.equal(first.stop_reason, 'tool_use');
    const call = first.content.find((b: Json) => b.type === 'tool_use');
    assert.match(call.id, /^tooluse_/);
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(call.input, { city: 'Paris' });
    messages.push({ role: 'assistant', content: first.content });
    messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: [{ type: 'text', text: '21 degrees' }] }] });
    const second = await invoke(MODELS.claude, anthropic(messages, { tools: [weatherTool] }));
    assert.equal(second.stop_reason, 'end_turn');
    assert.deepEqual(second.content, [{ type: 'text', text: 'The tool returned: 21 degrees' }]);

    const forced = await invoke(MODELS.claude, anthropic([{ role: 'user', content: 'whatever' }], { tools: [weatherTool], tool_choice: { type: 'any' } }));
    assert.equal(forced.stop_reason, 'tool_use');
    const none = await invoke(MODELS.claude, anthropic([{ role: 'user', content: 'use get_weather' }], { tools: [weatherTool], tool_choice: { type: 'none' } }));
    assert.equal(none.stop_reason, 'end_turn');
  });

  test('streams Anthropic events, with metrics on message_stop', async () => {
    const chunks = await invokeStream(MODELS.claude, anthropic([{ role: 'user', content: 'stream me please' }]));
    assert.deepEqual(
      chunks.map((c) => c.type),
      ['message_start', 'content_block_start', ...Array(5).fill('content_block_delta'), 'content_block_stop', 'message_delta', 'message_stop'],
    );
    const [start, blockStart] = chunks;
    assert.equal(start!.message.role, 'assistant');
    assert.equal(start!.message.model, 'claude-test');
    assert.deepEqual(start!.message.content, []);
    assert.equal(start!.message.usage.input_tokens, 3);
    assert.deepEqual(blockStart, { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    const deltas = chunks.filter((c) => c.type === 'content_block_delta');
    assert.ok(deltas.every((c) => c.delta.type === 'text_delta'));
    const text = deltas.map((c) => c.delta.text);
    assert.equal(text.join(''), 'You said: stream me please');
    const delta = chunks.at(-2)!;
    assert.deepEqual(delta.delta, { stop_reason: 'end_turn', stop_sequence: null });
    assert.equal(delta.usage.output_tokens, 5);
    assertMetrics(chunks.at(-1)!, 3, 5);
  });

  test('streams tool input as input_json_delta', async () => {
    const chunks = await invokeStream(MODELS.claude, anthropic([{ role: 'user', content: 'get_weather in Oslo' }], { tools: [weatherTool] }));
    const start = chunks.find((c) => c.type === 'content_block_start')!;
    assert.equal(start.content_block.type, 'tool_use');
    assert.equal(start.content_block.name, 'get_weather');
    assert.deepEqual(start.content_block.input, {});
    const json = chunks.filter((c) => c.delta?.type === 'input_json_delta').map((c) => c.delta.partial_json);
    assert.ok(json.length >= 2, 'tool input arrives in pieces');
    assert.deepEqual(JSON.parse(json.join('')), { city: 'Oslo' });
    assert.equal(chunks.find((c) => c.type === 'message_delta')!.delta.stop_reason, 'tool_use');
  });

  test('Bedrock-style validation errors name the field', async () => {
    const messages = [{ role: 'user', content: 'hi' }];
    await assert.rejects(invoke(MODELS.claude, { max_tokens: 10, messages }), isValidation(/required key \[anthropic_version\] not found/));
    await assert.rejects(invoke(MODELS.claude, anthropic(messages, { maxTokens: 5 })), isValidation(/extraneous key \[maxTokens\] is not permitted/));
    await assert.rejects(invoke(MODELS.claude, anthropic(messages, { temperature: 3 })), isValidation(/#\/temperature/));
    await assert.rejects(
      invoke(MODELS.claude, anthropic([{ role: 'user', content: [{ type: 'video', url: 'x' }] }])),
      isValidation(/#\/messages\/0\/content\/0\/type/),
    );
    await assert.rejects(
      invoke(MODELS.claude, anthropic([{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: '***' } }] }])),
      isValidation(/#\/messages\/0\/content\/0\/source\/data is not valid base64/),
    );
  });

  test('model-side errors keep their exception class', async () => {
    await assert.rejects(invoke(MODELS.claude, anthropic([{ role: 'user', content: '__error:ThrottlingException' }])), (e: Error) => e.name === 'ThrottlingException');
  });
});

describe('InvokeModel: Meta Llama', () => {
  const prompt =
    '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>' +
    '<|start_header_id|>user<|end_header_id|>\n\nhello llama<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n';

  test('a chat-template prompt becomes system + user turns', async () => {
    const res = await invoke(MODELS.llama, { prompt, max_gen_len: 100, temperature: 0.5, top_p: 0.9 });
    assert.deepEqual(res, { generation: 'You said: hello llama', prompt_token_count: 4, generation_token_count: 4, stop_reason: 'stop' });
    assert.equal(lastHeaders['x-amzn-bedrock-input-token-count'], '4');
  });

  test('a plain prompt, cut at max_gen_len', async () => {
    const res = await invoke(MODELS.llama, { prompt: 'tell me a long story', max_gen_len: 3 });
    assert.deepEqual(res, { generation: 'You said: tell', prompt_token_count: 5, generation_token_count: 3, stop_reason: 'length' });
  });

  test('streams Llama chunks', async () => {
    const chunks = await invokeStream(MODELS.llama, { prompt });
    assert.deepEqual(chunks[0], { generation: 'You', prompt_token_count: 4, generation_token_count: 1, stop_reason: null });
    assert.equal(chunks[1]!.prompt_token_count, null);
    assert.equal(chunks.map((c) => c.generation).join(''), 'You said: hello llama');
    const last = chunks.at(-1)!;
    assert.equal(last.stop_reason, 'stop');
    assert.equal(last.generation_token_count, 4);
    assertMetrics(last, 4, 4);
  });

  test('rejects keys Llama does not take', async () => {
    await assert.rejects(invoke(MODELS.llama, { prompt: 'x', max_tokens: 5 }), isValidation(/extraneous key \[max_tokens\]/));
    await assert.rejects(invoke(MODELS.llama, { max_gen_len: 5 }), isValidation(/required key \[prompt\] not found/));
  });
});

describe('InvokeModel: Amazon Titan Text', () => {
  test('whole response, LENGTH and STOP_CRITERIA_MET', async () => {
    const res = await invoke(MODELS.titanText, { inputText: 'hi titan', textGenerationConfig: { maxTokenCount: 50, temperature: 0, topP: 1 } });
    assert.deepEqual(res, { inputTextTokenCount: 2, results: [{ tokenCount: 4, outputText: 'You said: hi titan', completionReason: 'FINISH' }] });
    const cut = await invoke(MODELS.titanText, { inputText: 'a b c d', textGenerationConfig: { maxTokenCount: 1 } });
    assert.equal(cut.results[0].completionReason, 'LENGTH');
    const stopped = await invoke(MODELS.titanText, { inputText: 'a User: b', textGenerationConfig: { stopSequences: ['User:'] } });
    assert.equal(stopped.results[0].completionReason, 'STOP_CRITERIA_MET');
    assert.equal(stopped.results[0].outputText, 'You said: a');
  });

  test('streams Titan chunks', async () => {
    const chunks = await invokeStream(MODELS.titanText, { inputText: 'hi titan' });
    assert.deepEqual(chunks[0], { outputText: 'You', index: 0, totalOutputTextTokenCount: null, completionReason: null, inputTextTokenCount: 2 });
    assert.equal(chunks.map((c) => c.outputText).join(''), 'You said: hi titan');
    const last = chunks.at(-1)!;
    assert.equal(last.completionReason, 'FINISH');
    assert.equal(last.totalOutputTextTokenCount, 4);
    assertMetrics(last, 2, 4);
  });

  test('validates textGenerationConfig', async () => {
    await assert.rejects(invoke(MODELS.titanText, { inputText: 'x', textGenerationConfig: { maxTokens: 5 } }), isValidation(/#\/textGenerationConfig: extraneous key \[maxTokens\]/));
  });
});

describe('InvokeModel: embeddings', () => {
  test('Titan Text Embeddings V2 with dimensions and normalize', async () => {
    const res = await invoke(MODELS.titanEmbedV2, { inputText: 'embed these four words', dimensions: 256, normalize: true });
    assert.deepEqual(Object.keys(res).sort(), ['embedding', 'inputTextTokenCount']);
    assert.equal(res.embedding.length, 256);
    assert.ok(Math.abs(Math.hypot(...res.embedding) - 1) < 1e-6, 'unit length');
    assert.equal(res.inputTextTokenCount, 4);
    assert.equal(lastHeaders['x-amzn-bedrock-input-token-count'], '4');

    const typed = await invoke(MODELS.titanEmbedV2, { inputText: 'embed these four words', dimensions: 256, embeddingTypes: ['float', 'binary'] });
    assert.deepEqual(typed.embeddingsByType.float, res.embedding);
    assert.deepEqual(
      typed.embeddingsByType.binary,
      res.embedding.map((x: number) => (x > 0 ? 1 : 0)),
    );
    await assert.rejects(invoke(MODELS.titanEmbedV2, { inputText: 'x', dimensions: 300 }), isValidation(/#\/dimensions/));
  });

  test('Titan Embeddings G1 takes only inputText', async () => {
    const res = await invoke(MODELS.titanEmbedV1, { inputText: 'hello' });
    assert.equal(res.embedding.length, 8);
    assert.equal(res.inputTextTokenCount, 1);
    await assert.rejects(invoke(MODELS.titanEmbedV1, { inputText: 'hello', dimensions: 256 }), isValidation(/extraneous key \[dimensions\]/));
  });

  test('Cohere Embed, floats and by type', async () => {
    const res = await invoke(MODELS.cohereEmbed, { texts: ['one', 'two words'], input_type: 'search_document' });
    assert.equal(res.response_type, 'embeddings_floats');
    assert.deepEqual(res.texts, ['one', 'two words']);
    assert.equal(typeof res.id, 'string');
    assert.equal(res.embeddings.length, 2);
    assert.equal(res.embeddings[0].length, 8);
    const typed = await invoke(MODELS.cohereEmbed, { texts: ['one'], input_type: 'search_query', embedding_types: ['float', 'int8', 'ubinary'] });
    assert.equal(typed.response_type, 'embeddings_by_type');
    assert.deepEqual(typed.embeddings.float, res.embeddings.slice(0, 1));
    assert.ok(typed.embeddings.int8[0].every((x: number) => Number.isInteger(x) && x >= -128 && x <= 127));
    assert.equal(typed.embeddings.ubinary[0].length, 1, '8 dimensions pack into one byte');
    await assert.rejects(invoke(MODELS.cohereEmbed, { texts: ['x'] }), isValidation(/required key \[input_type\] not found/));
  });

  test('an embedding model refuses to stream', async () => {
    await assert.rejects(invokeStream(MODELS.titanEmbedV2, { inputText: 'x' }), isValidation(/embedding model/));
  });
});

describe('InvokeModel: Amazon Nova and Mistral', () => {
  test('Nova messages-v1', async () => {
    const body = {
      schemaVersion: 'messages-v1',
      system: [{ text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ text: 'hello nova' }] }],
      inferenceConfig: { max_new_tokens: 50, temperature: 0.1, topP: 0.9, topK: 20 },
    };
    const res = await invoke(MODELS.nova, body);
    assert.deepEqual(res, {
      output: { message: { role: 'assistant', content: [{ text: 'You said: hello nova' }] } },
      stopReason: 'end_turn',
      usage: { inputTokens: 4, outputTokens: 4, totalTokens: 8, cacheReadInputTokenCount: 0, cacheWriteInputTokenCount: 0 },
    });
    const chunks = await invokeStream(MODELS.nova, body);
    assert.deepEqual(chunks[0], { messageStart: { role: 'assistant' } });
    assert.equal(chunks.flatMap((c) => c.contentBlockDelta?.delta.text ?? []).join(''), 'You said: hello nova');
    assert.deepEqual(chunks.at(-2), { messageStop: { stopReason: 'end_turn' } });
    assert.equal(chunks.at(-1)!.metadata.usage.outputTokens, 4);
    assertMetrics(chunks.at(-1)!, 4, 4);
  });

  test('Mistral text completion', async () => {
    const res = await invoke(MODELS.mistral, { prompt: '<s>[INST] hello mistral [/INST]', max_tokens: 50, top_k: 10 });
    assert.deepEqual(res, { outputs: [{ text: 'You said: hello mistral', stop_reason: 'stop' }] });
    const chunks = await invokeStream(MODELS.mistral, { prompt: '<s>[INST] hello mistral [/INST]', max_tokens: 2 });
    assert.equal(chunks.map((c) => c.outputs[0].text).join(''), 'You said:');
    assert.equal(chunks.at(-1)!.outputs[0].stop_reason, 'length');
    assertMetrics(chunks.at(-1)!, 2, 2);
  });
});

describe('InvokeModel: generic models answer in the format they are spoken to', () => {
  test('Anthropic, Llama, Titan, Nova and Mistral bodies', async () => {
    const a = await invoke(MODELS.generic, anthropic([{ role: 'user', content: 'hi there' }]));
    assert.equal(a.type, 'message');
    assert.deepEqual(a.content, [{ type: 'text', text: 'You said: hi there' }]);
    const l = await invoke(MODELS.generic, { prompt: 'hi there' });
    assert.equal(l.generation, 'You said: hi there');
    const t = await invoke(MODELS.generic, { inputText: 'hi there' });
    assert.equal(t.results[0].outputText, 'You said: hi there');
    const n = await invoke(MODELS.generic, { messages: [{ role: 'user', content: [{ text: 'hi there' }] }] });
    assert.equal(n.output.message.content[0].text, 'You said: hi there');
    const m = await invoke(MODELS.generic, { prompt: '[INST] hi there [/INST]', max_tokens: 20 });
    assert.equal(m.outputs[0].text, 'You said: hi there');
    const chunks = await invokeStream(MODELS.generic, { prompt: 'hi there' });
    assert.equal(chunks.map((c) => c.generation).join(''), 'You said: hi there');
  });

  test('embedding models take Titan (and Cohere) bodies', async () => {
    const t = await invoke(MODELS.genericEmbed, { inputText: 'hi' });
    assert.equal(t.embedding.length, 8);
    const c = await invoke(MODELS.genericEmbed, { texts: ['hi'], input_type: 'clustering' });
    assert.deepEqual(c.embeddings, [t.embedding]);
  });

  test('a body of no known shape says which shapes are', async () => {
    await assert.rejects(invoke(MODELS.generic, { input: 'hello' }), isValidation(/Anthropic Messages.*Meta Llama.*\[input\]/));
    await assert.rejects(invoke(MODELS.generic, [1, 2]), isValidation(/expected a JSON object/));
  });
});

describe('CountTokens and failures', () => {
  test('CountTokens with an InvokeModel body', async () => {
    const body = new TextEncoder().encode(JSON.stringify(anthropic([{ role: 'user', content: 'one two three' }], { system: 'four five' })));
    const res = await client.send(new CountTokensCommand({ modelId: MODELS.claude, input: { invokeModel: { body } } }));
    assert.equal(res.inputTokens, 5);
    const llama = await client.send(
      new CountTokensCommand({ modelId: MODELS.llama, input: { invokeModel: { body: new TextEncoder().encode(JSON.stringify({ prompt: 'a b' })) } } }),
    );
    assert.equal(llama.inputTokens, 2);
    await assert.rejects(
      client.send(new CountTokensCommand({ modelId: MODELS.claude, input: { invokeModel: { body: new TextEncoder().encode('{"prompt":"x"}') } } })),
      isValidation(/anthropic_version/),
    );
  });

  for (const [family, modelId, body] of [
    ['Anthropic', MODELS.claude, anthropic([{ role: 'user', content: '__fail_after:2 one two three' }])],
    ['Llama', MODELS.llama, { prompt: '__fail_after:2 one two three' }],
    ['Titan', MODELS.titanText, { inputText: '__fail_after:2 one two three' }],
  ] as const) {
    test(`a mid-stream failure surfaces as ModelStreamErrorException (${family})`, async () => {
      const seen: Json[] = [];
      await assert.rejects(invokeStream(modelId, body, seen), (e: Error) => {
        assert.ok(e instanceof ModelStreamErrorException, `got ${e.name}: ${e.message}`);
        assert.match(e.message, /after 2 words/);
        return true;
      });
      const texts = seen.map((c) => c.delta?.text ?? c.generation ?? c.outputText).filter((t) => t !== undefined);
      assert.equal(texts.join(''), 'You said:', 'the two words before the failure arrived');
      assert.ok(!seen.some((c) => c['amazon-bedrock-invocationMetrics']), 'no final chunk after a failure');
    });
  }

  test('a failure before the first chunk is an ordinary error response', async () => {
    await assert.rejects(invokeStream(MODELS.llama, { prompt: '__error:ServiceUnavailableException' }), (e: Error) => e.name === 'ServiceUnavailableException');
    await assert.rejects(invoke('nope.missing-v1', { prompt: 'x' }), (e: Error) => e.name === 'ResourceNotFoundException');
  });
});
