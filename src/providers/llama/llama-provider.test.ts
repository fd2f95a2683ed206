import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  collectStream,
  type GenerateRequest,
  type Message,
  type ModelInfo,
  QuarryError,
  type StreamPart,
  type Usage,
} from '../../core/index.js';
import { createLlamaProvider, type LlamaProvider } from './index.js';
import { makeTinyDataDir } from './test-fixtures/tiny-data-dir.js';

const fixture = makeTinyDataDir();
const settings = (options: Record<string, unknown> = {}, models: ModelInfo[] = []) => ({
  id: 'local-llama',
  type: 'llama',
  models,
  // One thread: on a 2-core CI box, two compute threads plus Node's own thread thrash the spinning thread pool.
  options: { threads: 1, ...options },
  dataDir: fixture.dataDir,
  timeoutMs: 60_000,
});
const provider = createLlamaProvider(settings());
let models: ModelInfo[] = [];
const model = (id: string) => models.find((m) => m.id === id) ?? assert.fail(`no model ${id}`);
const user = (text: string): Message => ({ role: 'user', content: [{ text }] });
const noAbort = { signal: new AbortController().signal };

function request(modelId: string, messages: Message[], extra: Partial<GenerateRequest> = {}): GenerateRequest {
  return { modelId, model: model(modelId), messages, inferenceConfig: { temperature: 0 }, ...extra };
}

async function parts(p: LlamaProvider, req: GenerateRequest, signal = noAbort.signal): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of p.stream(req, { signal })) out.push(part);
  return out;
}

const types = (ps: StreamPart[]) => ps.map((p) => (p.type === 'contentBlockDelta' ? `delta:${Object.keys(p.delta)[0]}` : p.type));
const metadataOf = (ps: StreamPart[]) => ps.find((p) => p.type === 'metadata') ?? assert.fail('no metadata part');
// Bedrock's split: the prompt is inputTokens plus the cache reads and writes counted apart from it.
const promptOf = (u: Usage) => u.inputTokens + (u.cacheReadInputTokens ?? 0) + (u.cacheWriteInputTokens ?? 0);
const rawUsage = (ps: StreamPart[]) => metadataOf(ps).usage.raw as { promptTokens: number; reusedPromptTokens: number; evaluatedTokens: number };

before(async () => {
  models = await provider.listModels();
});

after(async () => {
  await provider.close();
  fixture.cleanup();
});

describe('llama provider on a generated GGUF', () => {
  test('lists the GGUF files of the models folder', () => {
    assert.deepEqual(models.map((m) => m.id).sort(), ['local.tiny-qa', 'local.tiny-random', 'local.tiny-text', 'local.tiny-tool']);
    const m = model('local.tiny-random');
    assert.equal(m.name, 'Tiny Random');
    assert.equal(m.providerId, 'local-llama');
    assert.equal(m.contextWindow, 2048);
    assert.equal(m.runsOn, 'local');
    assert.equal(m.kind, 'text');
    assert.ok(m.supportsTools && m.supportsStreaming);
  });

  test('streams a reply in Bedrock order and ends the turn on EOS', async () => {
    const req = request('local.tiny-text', [user('Say hello')]);
    const ps = await parts(provider, req);
    assert.deepEqual(types(ps), [
      'messageStart',
      'contentBlockStart',
      ...Array(5).fill('delta:text'),
      'contentBlockStop',
      'messageStop',
      'metadata',
    ]);
    const result = await collectStream((async function* () { yield* ps; })());
    assert.deepEqual(result.message.content, [{ text: 'Hello there, friend!' }]);
    assert.equal(result.stopReason, 'end_turn');
    assert.equal(promptOf(result.usage), await provider.countTokens(req));
    assert.equal(result.usage.outputTokens, 6, 'five script tokens and the end-of-turn token');
    assert.equal(result.usage.totalTokens, promptOf(result.usage) + 6);
  });

  test('generate returns the same result as the stream', async () => {
    const result = await provider.generate(request('local.tiny-text', [user('Say hello')]), noAbort);
    assert.deepEqual(result.message, { role: 'assistant', content: [{ text: 'Hello there, friend!' }] });
    assert.equal(result.stopReason, 'end_turn');
  });

  test("renders the model's own Jinja template when no built-in wrapper matches it", async () => {
    const req = request('local.tiny-qa', [user('hi')], { system: [{ text: 'Be nice.' }] });
    const result = await provider.generate(req, noAbort);
    assert.deepEqual(result.message.content, [{ text: 'Hello there, friend!' }]);
    assert.equal(result.stopReason, 'end_turn');
    assert.equal(promptOf(result.usage), await provider.countTokens(req));
  });

  test('stops at a stop sequence and leaves it out of the text', async () => {
    const result = await provider.generate(
      request('local.tiny-text', [user('Say hello')], { inferenceConfig: { temperature: 0, stopSequences: [' friend'] } }),
      noAbort,
    );
    assert.deepEqual(result.message.content, [{ text: 'Hello there,' }]);
    assert.equal(result.stopReason, 'stop_sequence');
    assert.deepEqual(result.additionalModelResponseFields, { stop_sequence: ' friend' });
  });

  test('honours maxTokens', async () => {
    const result = await provider.generate(
      request('local.tiny-random', [user('Tell me a story')], { inferenceConfig: { temperature: 0, maxTokens: 7 } }),
      noAbort,
    );
    assert.equal(result.stopReason, 'max_tokens');
    assert.equal(result.usage.outputTokens, 7);
    assert.ok('text' in result.message.content[0] && result.message.content[0].text.length > 0);
  });

  test('sampling with temperature and topP still generates', async () => {
    const result = await provider.generate(
      request('local.tiny-random', [user('Tell me a story')], {
        inferenceConfig: { temperature: 0.9, topP: 0.5, maxTokens: 5 },
        additionalModelRequestFields: { seed: 7, top_k: 20 },
      }),
      noAbort,
    );
    assert.equal(result.usage.outputTokens, 5);
  });

  test('returns tool calls as toolUse blocks with stopReason tool_use', async () => {
    const req = request('local.tiny-tool', [user('What is the weather in Paris?')], {
      toolConfig: {
        tools: [
          {
            toolSpec: {
              name: 'get_weather',
              description: 'Current weather for a city',
              inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
            },
          },
        ],
      },
    });
    const ps = await parts(provider, req);
    const t = types(ps);
    assert.equal(t[0], 'messageStart');
    assert.equal(t[1], 'contentBlockStart');
    assert.deepEqual(t.slice(-3), ['contentBlockStop', 'messageStop', 'metadata']);
    const start = ps[1];
    assert.ok(start.type === 'contentBlockStart' && start.toolUse);
    assert.equal(start.toolUse.name, 'get_weather');
    assert.match(start.toolUse.toolUseId, /^tooluse_[A-Za-z0-9_-]{22}$/);
    const result = await collectStream((async function* () { yield* ps; })());
    assert.equal(result.stopReason, 'tool_use');
    assert.deepEqual(result.message.content, [{ toolUse: { toolUseId: start.toolUse.toolUseId, name: 'get_weather', input: { city: 'paris' } } }]);
    // The chat wrapper documents the tool in the prompt, so the count must include it.
    const without = await provider.countTokens({ ...req, toolConfig: undefined });
    assert.ok(promptOf(result.usage) > without + 50, `${promptOf(result.usage)} vs ${without}`);
  });

  test('takes tool results back and continues the turn', async () => {
    const messages: Message[] = [
      user('What is the weather in Paris?'),
      { role: 'assistant', content: [{ toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'paris' } } }] },
      { role: 'user', content: [{ toolResult: { toolUseId: 'tooluse_1', content: [{ json: { celsius: 21 } }] } }] },
    ];
    const tools = {
      tools: [{ toolSpec: { name: 'get_weather', inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } } } } } }],
    };
    const result = await provider.generate(request('local.tiny-text', messages, { toolConfig: tools }), noAbort);
    assert.equal(result.stopReason, 'end_turn');
    assert.deepEqual(result.message.content, [{ text: 'Hello there, friend!' }]);
    const withResult = await provider.countTokens(request('local.tiny-text', messages, { toolConfig: tools }));
    const withoutResult = await provider.countTokens(request('local.tiny-text', messages.slice(0, 1), { toolConfig: tools }));
    assert.ok(withResult > withoutResult, 'the call and its result are part of the prompt');
  });

  test('constrains output to a JSON schema', async () => {
    const schema = {
      type: 'object',
      properties: {
        ok: { type: 'boolean' },
        color: { enum: ['red', 'green', 'blue'] },
        label: { type: 'string', maxLength: 8 },
      },
      required: ['ok', 'color', 'label'],
      additionalProperties: false,
    };
    const result = await provider.generate(
      request('local.tiny-random', [user('Describe it as JSON')], {
        inferenceConfig: { temperature: 0, maxTokens: 200 },
        jsonSchema: { name: 'thing', schema },
      }),
      noAbort,
    );
    assert.equal(result.stopReason, 'end_turn');
    const text = 'text' in result.message.content[0] ? result.message.content[0].text : '';
    const parsed = JSON.parse(text);
    assert.deepEqual(Object.keys(parsed).sort(), ['color', 'label', 'ok']);
    assert.equal(typeof parsed.ok, 'boolean');
    assert.ok(['red', 'green', 'blue'].includes(parsed.color));
    assert.ok(typeof parsed.label === 'string' && parsed.label.length <= 8);
  });

  test('a prompt longer than the context is a ValidationException with the numbers', async () => {
    const small = createLlamaProvider(settings({ contextSize: 256 }));
    try {
      const [m] = (await small.listModels()).filter((x) => x.id === 'local.tiny-random');
      assert.equal(m.contextWindow, 256);
      const long = 'the weather in paris is what you tell me about '.repeat(30);
      const req: GenerateRequest = { modelId: m.id, model: m, messages: [user(long)] };
      const ps = await parts(small, req);
      assert.equal(ps.length, 1);
      const only = ps[0];
      assert.ok(only.type === 'error');
      assert.equal(only.error.code, 'ValidationException');
      const count = await small.countTokens(req);
      assert.ok(count > 256);
      assert.match(only.error.message, new RegExp(`prompt is ${count} tokens.*context window of 256 tokens`));
      await assert.rejects(small.generate(req, noAbort), (e) => QuarryError.isInstance(e) && e.code === 'ValidationException');
    } finally {
      await small.close();
    }
  });

  test('a reply that runs into the end of the context stops with model_context_window_exceeded', async () => {
    const small = createLlamaProvider(settings({ contextSize: 64 }));
    try {
      const [m] = (await small.listModels()).filter((x) => x.id === 'local.tiny-random');
      const req: GenerateRequest = { modelId: m.id, model: m, messages: [user('Tell me a story')], inferenceConfig: { temperature: 0 } };
      const result = await small.generate(req, noAbort);
      assert.equal(result.stopReason, 'model_context_window_exceeded');
      assert.ok(promptOf(result.usage) + result.usage.outputTokens <= 64);
    } finally {
      await small.close();
    }
  });

  test('an abort stops generation promptly and frees the sequence', async () => {
    const abort = new AbortController();
    const started = Date.now();
    const ps: StreamPart[] = [];
    for await (const part of provider.stream(
      request('local.tiny-random', [user('Tell me a long story')], { inferenceConfig: { temperature: 0, maxTokens: 1500 } }),
      { signal: abort.signal },
    )) {
      ps.push(part);
      if (part.type === 'contentBlockDelta' && ps.length === 5) abort.abort();
    }
    const last = ps.at(-1);
    assert.ok(last?.type === 'error', `ends with an error part, got ${last?.type}`);
    assert.ok(!ps.some((p) => p.type === 'messageStop'));
    const deltas = ps.filter((p) => p.type === 'contentBlockDelta').length;
    assert.ok(deltas < 100, `stopped early (${deltas} deltas)`);
    assert.ok(Date.now() - started < 5_000);
    // Both sequences are free again: two more requests run at once without waiting.
    const again = await Promise.all([
      provider.generate(request('local.tiny-text', [user('hi')]), noAbort),
      provider.generate(request('local.tiny-text', [user('hi')]), noAbort),
    ]);
    assert.deepEqual(
      again.map((r) => r.stopReason),
      ['end_turn', 'end_turn'],
    );
  });

  test('breaking out of the stream also ends the generation', async () => {
    for await (const part of provider.stream(
      request('local.tiny-random', [user('Tell me a long story')], { inferenceConfig: { temperature: 0, maxTokens: 1500 } }),
      noAbort,
    )) {
      if (part.type === 'contentBlockDelta') break;
    }
    const result = await provider.generate(request('local.tiny-text', [user('hi')]), noAbort);
    assert.equal(result.stopReason, 'end_turn');
  });

  test('concurrent requests run side by side on the pool', async () => {
    const events: string[] = [];
    const run = async (name: string) => {
      for await (const part of provider.stream(
        request('local.tiny-random', [user(`Story number ${name}`)], { inferenceConfig: { temperature: 0, maxTokens: 60 } }),
        noAbort,
      )) {
        if (part.type === 'contentBlockStart') events.push(`${name}:start`);
        if (part.type === 'messageStop') {
          events.push(`${name}:stop`);
          assert.equal(part.stopReason, 'max_tokens');
        }
      }
    };
    await Promise.all([run('a'), run('b')]);
    assert.equal(events.length, 4);
    // Interleaved: the second began before the first finished, so neither waited for the other.
    assert.deepEqual(events.slice(0, 2).map((e) => e.split(':')[1]), ['start', 'start']);
  });

  test('a queued request leaves the queue when aborted, and the rest finish in order', async () => {
    const single = createLlamaProvider(settings({ sequences: 1 }));
    try {
      const [m] = (await single.listModels()).filter((x) => x.id === 'local.tiny-random');
      const req = (maxTokens: number): GenerateRequest => ({
        modelId: m.id,
        model: m,
        messages: [user('Tell me a story')],
        inferenceConfig: { temperature: 0, maxTokens },
      });
      const order: string[] = [];
      // Hold the only sequence: read the first request up to its first token, then let it run on in the background.
      const firstStream = single.stream(req(600), noAbort)[Symbol.asyncIterator]();
      while ((await firstStream.next()).value?.type !== 'contentBlockDelta');
      const first = (async () => {
        let out = 0;
        for (let r = await firstStream.next(); !r.done; r = await firstStream.next()) {
          if (r.value.type === 'metadata') out = r.value.usage.outputTokens;
        }
        order.push('first');
        return out;
      })();
      const abort = new AbortController();
      const queued = single.generate(req(10), { signal: abort.signal }).then(
        () => order.push('queued'),
        (e: unknown) => {
          order.push('aborted');
          return e;
        },
      );
      const third = single.generate(req(5), noAbort).then((r) => {
        order.push('third');
        return r;
      });
      await new Promise((r) => setTimeout(r, 20));
      abort.abort();
      const err = await queued;
      assert.deepEqual(order, ['aborted'], 'left the queue before the running request finished');
      assert.ok(QuarryError.isInstance(err));
      const [firstTokens, c] = await Promise.all([first, third]);
      assert.deepEqual(order, ['aborted', 'first', 'third']);
      assert.equal(firstTokens, 600);
      assert.equal(c.usage.outputTokens, 5);
    } finally {
      await single.close();
    }
  });

  test('a stream abandoned mid-way gives its sequence back once the engine stops, and close() does not wait for it', async () => {
    const single = createLlamaProvider(settings({ sequences: 1 }));
    const [m] = (await single.listModels()).filter((x) => x.id === 'local.tiny-random');
    const req = (maxTokens: number): GenerateRequest => ({ modelId: m.id, model: m, messages: [user('Tell me a story')], inferenceConfig: { temperature: 0, maxTokens } });
    const abandoned = single.stream(req(30), noAbort)[Symbol.asyncIterator]();
    while ((await abandoned.next()).value?.type !== 'contentBlockDelta');
    // Never read again, never returned: the next request still gets the only sequence.
    const next = await single.generate(req(3), noAbort);
    assert.equal(next.usage.outputTokens, 3);
    const hung = single.stream(req(1500), noAbort)[Symbol.asyncIterator]();
    await hung.next();
    await single.close();
  });

  test('a follow-up turn reuses the KV cache of its conversation', async () => {
    const turn1: Message[] = [user('Tell me a story about the weather in Paris, and what the city was like once upon a time.')];
    const cfg = { temperature: 0, maxTokens: 12 };
    const first = await parts(provider, request('local.tiny-random', turn1, { inferenceConfig: cfg }));
    const firstRaw = rawUsage(first);
    const reply = (await collectStream((async function* () { yield* first; })())).message;
    // Another conversation in between must not evict this one: it goes to the other sequence.
    await provider.generate(request('local.tiny-random', [user('Something else entirely')], { inferenceConfig: cfg }), noAbort);
    const turn2: Message[] = [...turn1, reply, user('And then?')];
    const second = rawUsage(await parts(provider, request('local.tiny-random', turn2, { inferenceConfig: cfg })));
    assert.ok(second.reusedPromptTokens >= firstRaw.promptTokens, `reused ${second.reusedPromptTokens} of the first prompt's ${firstRaw.promptTokens}`);
    assert.ok(
      second.evaluatedTokens < second.promptTokens - firstRaw.promptTokens + cfg.maxTokens + 2,
      `evaluated ${second.evaluatedTokens} of a ${second.promptTokens}-token prompt`,
    );
  });

  test('a cachePoint prefix is reported as a cache write, then read back by a later request, one-off chats in between', async () => {
    const system = [
      { text: `You are a weather assistant for Paris. ${'Answer briefly, cite the forecast, and mention the temperature in Celsius. '.repeat(6)}` },
      { cachePoint: { type: 'default' as const } },
    ];
    const cfg = { temperature: 0, maxTokens: 4 };
    const ask = (q: string) => request('local.tiny-random', [user(q)], { system, inferenceConfig: cfg });
    const first = metadataOf(await parts(provider, ask('Will it rain tomorrow?'))).usage;
    assert.ok((first.cacheWriteInputTokens ?? 0) > 100, `a write of the system prompt: ${JSON.stringify(first)}`);
    assert.equal(promptOf(first), await provider.countTokens(ask('Will it rain tomorrow?')));
    // Two chats without a cachePoint: with two sequences, plain LRU would give the second one the cached prefix's.
    await provider.generate(request('local.tiny-random', [user('Something else entirely')], { inferenceConfig: cfg }), noAbort);
    await provider.generate(request('local.tiny-random', [user('And another thing')], { inferenceConfig: cfg }), noAbort);
    const secondParts = await parts(provider, ask('How windy will it be on Sunday?'));
    const second = metadataOf(secondParts).usage;
    assert.ok((second.cacheReadInputTokens ?? 0) >= (first.cacheWriteInputTokens ?? 0), `the prefix read back: ${JSON.stringify(second)}`);
    assert.equal(second.cacheWriteInputTokens, undefined, 'nothing new to write');
    assert.ok(second.inputTokens < first.inputTokens + (first.cacheWriteInputTokens ?? 0), 'fewer tokens billed as input');
    assert.equal(promptOf(second), await provider.countTokens(ask('How windy will it be on Sunday?')));
    // The engine agrees: it evaluated the new tail and the reply, not the cached prefix.
    const raw = rawUsage(secondParts);
    assert.ok(raw.evaluatedTokens <= second.inputTokens + second.outputTokens + 1, `evaluated ${raw.evaluatedTokens}: ${JSON.stringify(second)}`);
  });

  test('configured models name their file relative to the models folder', async () => {
    const configured: ModelInfo = {
      id: 'acme.greeter-v1:0',
      name: 'Greeter',
      providerId: 'local-llama',
      upstreamModel: 'tiny-text',
      family: 'generic',
      kind: 'text',
      inputModalities: ['TEXT'],
      outputModalities: ['TEXT'],
      runsOn: 'local',
      supportsTools: true,
      supportsStreaming: true,
    };
    const p = createLlamaProvider(settings({}, [configured, { ...configured, id: 'acme.missing', upstreamModel: 'nope.gguf' }]));
    try {
      const listed = await p.listModels();
      const greeter = listed.find((m) => m.id === 'acme.greeter-v1:0');
      assert.equal(greeter?.contextWindow, 2048);
      assert.equal(listed.length, 6);
      const r = await p.generate({ modelId: configured.id, model: greeter!, messages: [user('hi')], inferenceConfig: { temperature: 0 } }, noAbort);
      assert.deepEqual(r.message.content, [{ text: 'Hello there, friend!' }]);
      const missing = listed.find((m) => m.id === 'acme.missing')!;
      await assert.rejects(
        p.generate({ modelId: missing.id, model: missing, messages: [user('hi')] }, noAbort),
        (e) => QuarryError.isInstance(e) && e.code === 'ResourceNotFoundException',
      );
    } finally {
      await p.close();
    }
  });

  test('rejects invalid options and requests with clear errors', async () => {
    assert.throws(() => createLlamaProvider(settings({ sequences: 0 })), /options\.sequences/);
    assert.throws(() => createLlamaProvider(settings({ sequence: 2 })), /options/);
    const image: Message = { role: 'user', content: [{ image: { format: 'png', source: { bytes: new Uint8Array([1]) } } }] };
    await assert.rejects(provider.generate(request('local.tiny-text', [image]), noAbort), /text only/);
    await assert.rejects(
      provider.generate(request('local.tiny-text', [user('hi')], { inferenceConfig: { maxTokens: 0 } }), noAbort),
      /maxTokens/,
    );
  });

  test('after close, requests fail as unavailable', async () => {
    const p = createLlamaProvider(settings());
    const [m] = (await p.listModels()).filter((x) => x.id === 'local.tiny-text');
    await p.generate({ modelId: m.id, model: m, messages: [user('hi')] }, noAbort);
    await p.close();
    await assert.rejects(
      p.generate({ modelId: m.id, model: m, messages: [user('hi')] }, noAbort),
      (e) => QuarryError.isInstance(e) && e.code === 'ServiceUnavailableException',
    );
  });
});
