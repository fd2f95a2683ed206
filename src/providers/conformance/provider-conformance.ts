import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import {
  type CallOptions,
  collectStream,
  type ErrorCode,
  type GenerateRequest,
  type ModelInfo,
  type ModelProvider,
  QuarryError,
  type StreamPart,
  type Usage,
} from '../../core/index.js';
import { assertStreamOrder, drain, replay } from './assert-stream-order.js';
import { closedPortUrl, type Reply, type ReplayServer } from './replay-server.js';

/** Recorded upstream answers for the conversation the suite drives (see `conformanceRequests`). */
export interface ConformanceFixtures {
  /** A plain text answer to "Say hello." */
  text: Reply;
  textStream: Reply;
  /** A call of `get_weather` with `{ "city": "Paris" }`. */
  toolUse: Reply;
  toolUseStream: Reply;
  /** The answer once the tool result (18 °C, sunny) came back. */
  afterToolResult: Reply;
  /** The upstream's own error response for an HTTP status, carrying `message`. */
  error(status: number, message: string): Reply;
  /** A stream that turns into garbage part-way (a line that is not the format's JSON). */
  garbageStream: Reply;
}

export interface ConformanceOptions {
  name: string;
  upstream: ReplayServer;
  /** Builds the provider against `baseUrl` (the replay server, or a refused port) with the given call bound. */
  createProvider(o: { baseUrl: string; timeoutMs: number }): ModelProvider;
  model: ModelInfo;
  fixtures: ConformanceFixtures;
  /** What the fixtures say, in canonical form. */
  expect: {
    text: string;
    usage: Partial<Usage>;
    /** Defaults to `usage`. */
    streamUsage?: Partial<Usage>;
    toolUse: { name: string; input: unknown };
    finalText: string;
  };
  /** False where the wire format has no tool-call ids (Ollama): the round trip then checks the result text only. */
  toolUseIdsOnWire?: boolean;
}

export const WEATHER_TOOL = {
  toolSpec: {
    name: 'get_weather',
    description: 'Current weather for a city.',
    inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
  },
};

/** The requests the suite sends, exported so provider tests can reuse them for wire-shape assertions. */
export function conformanceRequests(model: ModelInfo) {
  const text: GenerateRequest = {
    modelId: model.id,
    model,
    system: [{ text: 'You are terse.' }],
    messages: [{ role: 'user', content: [{ text: 'Say hello.' }] }],
    inferenceConfig: { maxTokens: 64, temperature: 0 },
  };
  const tool: GenerateRequest = {
    modelId: model.id,
    model,
    messages: [{ role: 'user', content: [{ text: 'What is the weather in Paris?' }] }],
    toolConfig: { tools: [WEATHER_TOOL], toolChoice: { auto: {} } },
  };
  return { text, tool };
}

const call = (signal = new AbortController().signal): CallOptions => ({ signal });

async function rejectsWith(p: Promise<unknown>, code: ErrorCode | ErrorCode[]): Promise<QuarryError> {
  const codes = Array.isArray(code) ? code : [code];
  try {
    await p;
  } catch (e) {
    assert.ok(QuarryError.isInstance(e), `expected a QuarryError, got ${String(e)}`);
    assert.ok(codes.includes(e.code), `expected ${codes.join(' or ')}, got ${e.code}: ${e.message}`);
    return e;
  }
  assert.fail(`expected ${codes.join(' or ')}, but the call succeeded`);
}

function lastError(parts: readonly StreamPart[]): QuarryError {
  assertStreamOrder(parts);
  const last = parts[parts.length - 1];
  assert.equal(last.type, 'error', `the stream should end in an error part, ended in ${last.type}`);
  return last.error;
}

function pick(u: Usage, keys: Partial<Usage>): Partial<Usage> {
  return Object.fromEntries(Object.keys(keys).map((k) => [k, u[k as keyof Usage]]));
}

/**
 * The behaviour every remote provider owes the runtime, run against a local replay of the provider's upstream.
 * Registers a `describe` block; call it at the top level of the provider's test file.
 */
export function providerConformance(o: ConformanceOptions): void {
  const { upstream, fixtures, model } = o;
  const provider = () => o.createProvider({ baseUrl: upstream.url, timeoutMs: 5_000 });
  const reqs = conformanceRequests(model);

  describe(`${o.name} conformance`, () => {
    beforeEach(() => upstream.reset());

    test('lists the configured model', async () => {
      const models = await provider().listModels();
      assert.ok(
        models.some((m) => m.id === model.id),
        'the configured model is listed',
      );
    });

    test('generates text with usage', async () => {
      upstream.enqueue(fixtures.text);
      const r = await provider().generate(reqs.text, call());
      assert.deepEqual(r.message, { role: 'assistant', content: [{ text: o.expect.text }] });
      assert.equal(r.stopReason, 'end_turn');
      assert.ok(r.rawStopReason, 'the raw stop reason is kept');
      assert.deepEqual(pick(r.usage, o.expect.usage), o.expect.usage);
      assert.equal(r.latencyMs, 0);
      const sent = upstream.requests[0];
      assert.ok(
        (decodeURIComponent(sent.path) + sent.body).includes(model.upstreamModel),
        'the upstream model name is sent',
      );
      assert.ok(sent.body.includes('Say hello.'));
      assert.ok(sent.body.includes('You are terse.'), 'the system prompt is sent');
    });

    test('streams text in Bedrock order, equal to the non-streaming result', async () => {
      upstream.enqueue(fixtures.textStream);
      const parts = await drain(provider().stream(reqs.text, call()));
      assertStreamOrder(parts);
      assert.equal(parts[parts.length - 1].type, 'metadata');
      assert.ok(parts.filter((p) => p.type === 'contentBlockDelta').length > 1, 'text arrives in several deltas');
      const r = await collectStream(replay(parts));
      assert.deepEqual(r.message, { role: 'assistant', content: [{ text: o.expect.text }] });
      assert.equal(r.stopReason, 'end_turn');
      const usage = o.expect.streamUsage ?? o.expect.usage;
      assert.deepEqual(pick(r.usage, usage), usage);
    });

    test('tool use round trip', async () => {
      const p = provider();
      upstream.enqueue(fixtures.toolUse);
      const first = await p.generate(reqs.tool, call());
      assert.equal(first.stopReason, 'tool_use');
      const use = first.message.content.find((b) => 'toolUse' in b);
      assert.ok(use && 'toolUse' in use, 'a toolUse block');
      assert.equal(use.toolUse.name, o.expect.toolUse.name);
      assert.deepEqual(use.toolUse.input, o.expect.toolUse.input);
      assert.ok(use.toolUse.toolUseId, 'a tool use id, generated if the wire has none');
      assert.ok(upstream.requests[0].body.includes('get_weather'), 'the tool definition is sent');

      upstream.enqueue(fixtures.afterToolResult);
      const second = await p.generate(
        {
          ...reqs.tool,
          messages: [
            ...reqs.tool.messages,
            first.message,
            {
              role: 'user',
              content: [{ toolResult: { toolUseId: use.toolUse.toolUseId, content: [{ json: { tempC: 18, sky: 'sunny' } }] } }],
            },
          ],
        },
        call(),
      );
      const sent = upstream.requests[1].body;
      assert.ok(sent.includes('sunny'), 'the tool result is sent');
      if (o.toolUseIdsOnWire !== false) assert.ok(sent.includes(use.toolUse.toolUseId), 'the tool use id is sent back');
      assert.deepEqual(second.message.content, [{ text: o.expect.finalText }]);
      assert.equal(second.stopReason, 'end_turn');
    });

    test('streams tool use', async () => {
      upstream.enqueue(fixtures.toolUseStream);
      const parts = await drain(provider().stream(reqs.tool, call()));
      assertStreamOrder(parts);
      const start = parts.find((p) => p.type === 'contentBlockStart' && p.toolUse);
      assert.ok(start && start.type === 'contentBlockStart' && start.toolUse?.name === o.expect.toolUse.name);
      const r = await collectStream(replay(parts));
      assert.equal(r.stopReason, 'tool_use');
      const use = r.message.content.find((b) => 'toolUse' in b);
      assert.ok(use && 'toolUse' in use);
      assert.deepEqual(use.toolUse.input, o.expect.toolUse.input);
    });

    const statusCodes: [number, ErrorCode[]][] = [
      [400, ['ValidationException']],
      [401, ['AccessDeniedException']],
      [403, ['AccessDeniedException']],
      [404, ['ResourceNotFoundException']],
      [429, ['ThrottlingException']],
      [500, ['ModelErrorException', 'ServiceUnavailableException']],
      [503, ['ServiceUnavailableException', 'ModelErrorException']],
    ];
    for (const [status, codes] of statusCodes) {
      test(`maps upstream HTTP ${status} to ${codes[0]}`, async () => {
        upstream.enqueue(fixtures.error(status, `the service says ${status}`));
        const e = await rejectsWith(provider().generate(reqs.text, call()), codes);
        if (status === 400) assert.match(e.message, /the service says 400/, 'the upstream message is kept');
        if (status === 401 || status === 403) assert.match(e.message, /upstream.*refused/i, 'says that the upstream refused');
        if (status >= 429) assert.equal(e.retryable, true, `${status} is retryable`);
      });
    }

    for (const status of [429, 500]) {
      test(`a stream answered with HTTP ${status} yields one error part`, async () => {
        upstream.enqueue(fixtures.error(status, `upstream says ${status}`));
        const parts = await drain(provider().stream(reqs.text, call()));
        const e = lastError(parts);
        assert.equal(e.code, status === 429 ? 'ThrottlingException' : e.code);
        assert.equal(e.retryable, true);
      });
    }

    test('a body that is not JSON is a ModelErrorException', async () => {
      upstream.enqueue({ status: 200, headers: { 'content-type': 'application/json' }, body: '<html>502 Bad Gateway</html>' });
      const e = await rejectsWith(provider().generate(reqs.text, call()), 'ModelErrorException');
      assert.match(e.message, /upstream/i);
    });

    test('a truncated body is a ModelErrorException', async () => {
      upstream.enqueue({ ...fixtures.text, truncate: true });
      await rejectsWith(provider().generate(reqs.text, call()), 'ModelErrorException');
    });

    test('garbage mid-stream ends the stream with an error part', async () => {
      upstream.enqueue(fixtures.garbageStream);
      const e = lastError(await drain(provider().stream(reqs.text, call())));
      assert.equal(e.code, 'ModelErrorException');
    });

    test('a stream cut off mid-way ends with an error part', async () => {
      upstream.enqueue({ ...fixtures.textStream, truncate: true });
      const e = lastError(await drain(provider().stream(reqs.text, call())));
      assert.equal(e.code, 'ModelErrorException');
    });

    test('a hanging upstream ends in ModelTimeoutException', async () => {
      const p = o.createProvider({ baseUrl: upstream.url, timeoutMs: 300 });
      upstream.enqueue({ hang: 'before-headers' });
      const t0 = Date.now();
      await rejectsWith(p.generate(reqs.text, call()), 'ModelTimeoutException');
      assert.ok(Date.now() - t0 < 2_000, 'the timeout is honoured');
    });

    test('a stream that goes silent ends in a ModelTimeoutException part', async () => {
      const p = o.createProvider({ baseUrl: upstream.url, timeoutMs: 300 });
      upstream.enqueue({ ...fixtures.textStream, hang: 'after-first-chunk' });
      const t0 = Date.now();
      const e = lastError(await drain(p.stream(reqs.text, call())));
      assert.equal(e.code, 'ModelTimeoutException');
      assert.ok(Date.now() - t0 < 2_000, 'the timeout is honoured');
    });

    test('aborting the signal aborts the upstream request', async () => {
      upstream.enqueue({ hang: 'before-headers' });
      const ac = new AbortController();
      // Abort once the upstream has the request (a fixed delay races the connection on a loaded machine).
      const arrived = (async () => {
        while (!upstream.requests[0]) await new Promise((r) => setTimeout(r, 10));
        ac.abort();
      })();
      const pending = provider().generate(reqs.text, call(ac.signal));
      await arrived;
      const t0 = Date.now();
      await rejectsWith(pending, 'ModelTimeoutException');
      assert.ok(Date.now() - t0 < 1_500, 'the abort is prompt');
      await withTimeout(upstream.requests[0].closedEarly, 1_000, 'the upstream connection was not closed');
    });

    test('aborting mid-stream ends the stream and closes the upstream connection', async () => {
      upstream.enqueue({ ...fixtures.textStream, hang: 'after-first-chunk' });
      const ac = new AbortController();
      const parts: StreamPart[] = [];
      const t0 = Date.now();
      for await (const part of provider().stream(reqs.text, call(ac.signal))) {
        parts.push(part);
        if (parts.length === 1) ac.abort();
      }
      assert.ok(Date.now() - t0 < 1_500, 'the abort is prompt');
      assertStreamOrder(parts);
      assert.equal(parts[parts.length - 1].type, 'error');
      await withTimeout(upstream.requests[0].closedEarly, 1_000, 'the upstream connection was not closed');
    });

    test('a signal aborted before the call stops it before it reaches the upstream', async () => {
      const ac = new AbortController();
      ac.abort();
      await rejectsWith(provider().generate(reqs.text, call(ac.signal)), 'ModelTimeoutException');
      const e = lastError(await drain(provider().stream(reqs.text, call(ac.signal))));
      assert.equal(e.code, 'ModelTimeoutException');
      assert.equal(upstream.requests.length, 0);
    });

    test('a refused connection is ServiceUnavailableException naming the upstream', async () => {
      const baseUrl = await closedPortUrl();
      const p = o.createProvider({ baseUrl, timeoutMs: 2_000 });
      const e = await rejectsWith(p.generate(reqs.text, call()), 'ServiceUnavailableException');
      assert.ok(e.message.includes(baseUrl), `message names ${baseUrl}: ${e.message}`);
      assert.equal(e.retryable, true);
      const se = lastError(await drain(p.stream(reqs.text, call())));
      assert.equal(se.code, 'ServiceUnavailableException');
    });
  });
}

async function withTimeout(p: Promise<void>, ms: number, message: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([p, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
