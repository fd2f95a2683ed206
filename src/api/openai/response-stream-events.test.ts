import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ConverseResult, QuarryError, type StreamPart } from '../../core/index.js';
import { validate } from '../shared/parse-body.js';
import { responseStreamEvents } from './response-stream-events.js';
import { responsesRequest } from './responses-request-schema.js';
import { type ResponseObject, responseShell, toResponseObject } from './to-response-object.js';

const shell = responseShell(validate(responsesRequest, { model: 'm', input: 'x' }), { id: 'resp_1', createdAt: 1, store: true });

async function* from(parts: StreamPart[]): AsyncGenerator<StreamPart> {
  yield* parts;
}

type Event = { type: string; sequence_number: number; [k: string]: unknown };

async function events(parts: StreamPart[], finish: (r: ResponseObject) => Promise<void> = async () => {}) {
  const out: Event[] = [];
  for await (const chunk of responseStreamEvents(from(parts), shell, finish)) {
    const m = /^event: ([^\n]+)\ndata: (.*)\n\n$/s.exec(chunk);
    assert.ok(m, chunk);
    const data = JSON.parse(m[2]!) as Event;
    assert.equal(data.type, m[1]);
    out.push(data);
  }
  assert.deepEqual(
    out.map((e) => e.sequence_number),
    out.map((_, i) => i),
  );
  return out;
}

const usage = { inputTokens: 5, outputTokens: 2, totalTokens: 7, cacheReadInputTokens: 3, reasoningTokens: 1 };

test('reasoning, text and two function calls: each item opened, streamed and closed in turn, then response.completed', async () => {
  let finished: ResponseObject | undefined;
  const out = await events(
    [
      { type: 'messageStart', role: 'assistant' },
      { type: 'contentBlockDelta', index: 0, delta: { reasoningContent: { text: 'hmm' } } },
      { type: 'contentBlockDelta', index: 1, delta: { text: 'Hi' } },
      { type: 'contentBlockDelta', index: 1, delta: { text: ' there' } },
      { type: 'contentBlockStop', index: 1 },
      { type: 'contentBlockStart', index: 4, toolUse: { toolUseId: 'a', name: 'f' } },
      { type: 'contentBlockDelta', index: 4, delta: { toolUse: { input: '{"x"' } } },
      { type: 'contentBlockDelta', index: 4, delta: { toolUse: { input: ':1}' } } },
      { type: 'contentBlockStart', index: 7, toolUse: { toolUseId: 'b', name: 'g' } },
      { type: 'messageStop', stopReason: 'tool_use' },
      { type: 'metadata', usage, latencyMs: 1 },
    ],
    async (r) => {
      finished = r;
    },
  );
  assert.deepEqual(
    out.map((e) => [e.type, e.output_index ?? null]),
    [
      ['response.created', null],
      ['response.in_progress', null],
      ['response.output_item.added', 0],
      ['response.content_part.added', 0],
      ['response.reasoning_text.delta', 0],
      ['response.reasoning_text.done', 0],
      ['response.content_part.done', 0],
      ['response.output_item.done', 0],
      ['response.output_item.added', 1],
      ['response.content_part.added', 1],
      ['response.output_text.delta', 1],
      ['response.output_text.delta', 1],
      ['response.output_text.done', 1],
      ['response.content_part.done', 1],
      ['response.output_item.done', 1],
      ['response.output_item.added', 2],
      ['response.function_call_arguments.delta', 2],
      ['response.function_call_arguments.delta', 2],
      ['response.function_call_arguments.done', 2],
      ['response.output_item.done', 2],
      ['response.output_item.added', 3],
      ['response.function_call_arguments.done', 3],
      ['response.output_item.done', 3],
      ['response.completed', null],
    ],
  );
  const created = out[0]!.response as ResponseObject;
  assert.equal(created.status, 'in_progress');
  assert.deepEqual(created.output, []);
  const added = out[8]!.item as { id: string; status: string; content: unknown[] };
  assert.deepEqual([added.status, added.content], ['in_progress', []]);
  assert.equal(out[12]!.text, 'Hi there');
  assert.equal(out[12]!.item_id, added.id);
  assert.deepEqual([out[18]!.name, out[18]!.arguments], ['f', '{"x":1}']);
  // A call that streamed no arguments still carries valid JSON.
  assert.equal(out[21]!.arguments, '{}');
  const done = out.at(-1)!.response as ResponseObject;
  assert.equal(done.status, 'completed');
  assert.deepEqual(done.usage, { input_tokens: 8, input_tokens_details: { cached_tokens: 3 }, output_tokens: 2, output_tokens_details: { reasoning_tokens: 1 }, total_tokens: 10 });
  assert.deepEqual(
    done.output.map((i) => [i.type, i.status]),
    [
      ['reasoning', 'completed'],
      ['message', 'completed'],
      ['function_call', 'completed'],
      ['function_call', 'completed'],
    ],
  );
  assert.deepEqual(finished, done);
});

test('cut by max tokens: the open message is done as incomplete and the stream ends with response.incomplete', async () => {
  const out = await events([
    { type: 'contentBlockDelta', index: 0, delta: { text: 'Hi' } },
    { type: 'contentBlockStop', index: 0 },
    { type: 'messageStop', stopReason: 'max_tokens' },
    { type: 'metadata', usage, latencyMs: 1 },
  ]);
  const itemDone = out.find((e) => e.type === 'response.output_item.done')!;
  assert.equal((itemDone.item as { status: string }).status, 'incomplete');
  const last = out.at(-1)!;
  assert.equal(last.type, 'response.incomplete');
  assert.deepEqual((last.response as ResponseObject).incomplete_details, { reason: 'max_output_tokens' });
});

test('a failure mid-stream: an error event, then response.failed with the output so far; nothing completes', async () => {
  let finished: ResponseObject | undefined;
  const out = await events(
    [
      { type: 'contentBlockDelta', index: 0, delta: { text: 'Hi' } },
      { type: 'error', error: new QuarryError('ModelStreamErrorException', 'upstream broke') },
    ],
    async (r) => {
      finished = r;
    },
  );
  assert.deepEqual(
    out.slice(-2).map((e) => e.type),
    ['error', 'response.failed'],
  );
  assert.deepEqual([out.at(-2)!.code, out.at(-2)!.message, out.at(-2)!.param], ['ModelStreamErrorException', 'upstream broke', null]);
  const failed = out.at(-1)!.response as ResponseObject;
  assert.equal(failed.status, 'failed');
  assert.deepEqual(failed.error, { code: 'ModelStreamErrorException', message: 'upstream broke' });
  assert.equal(failed.output.length, 1);
  assert.equal(finished?.status, 'failed');
});

test('a store that fails before the last event fails the stream instead of claiming completion', async () => {
  const out = await events(
    [
      { type: 'contentBlockDelta', index: 0, delta: { text: 'Hi' } },
      { type: 'messageStop', stopReason: 'end_turn' },
    ],
    async (r) => {
      if (r.status === 'completed') throw new QuarryError('InternalServerException', 'disk full');
    },
  );
  assert.deepEqual(
    out.slice(-2).map((e) => e.type),
    ['error', 'response.failed'],
  );
  assert.ok(!out.some((e) => e.type === 'response.completed'));
});

test('a plain result: one message per run of text, function calls with JSON arguments, usage and outcome', () => {
  const result: ConverseResult = {
    message: {
      role: 'assistant',
      content: [{ text: 'Let me ' }, { text: 'check.' }, { toolUse: { toolUseId: 'call_1', name: 'f', input: { a: 1 } } }, { text: '' }],
    },
    stopReason: 'tool_use',
    usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 },
    latencyMs: 1,
  };
  const r = toResponseObject(result, shell, 99);
  assert.equal(r.status, 'completed');
  assert.equal(r.completed_at, 99);
  assert.equal(r.output.length, 2);
  const [msg, call] = r.output;
  assert.ok(msg?.type === 'message' && msg.content[0]!.text === 'Let me check.');
  assert.ok(call?.type === 'function_call' && call.call_id === 'call_1' && call.arguments === '{"a":1}' && /^fc_/.test(call.id));
  assert.deepEqual(r.usage, { input_tokens: 3, input_tokens_details: { cached_tokens: 0 }, output_tokens: 4, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 7 });
  const filtered = toResponseObject({ ...result, stopReason: 'guardrail_intervened' }, shell);
  assert.deepEqual([filtered.status, filtered.incomplete_details, filtered.completed_at], ['incomplete', { reason: 'content_filter' }, null]);
  // What the request left out reads back as OpenAI's defaults.
  assert.deepEqual([r.temperature, r.top_p, r.tool_choice, r.parallel_tool_calls, r.text.format], [1, 1, 'auto', true, { type: 'text' }]);
});
