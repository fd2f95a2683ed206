import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuarryError, type StreamPart } from '../../core/index.js';
import { messageStreamEvents } from './message-stream-events.js';

async function* from(parts: StreamPart[]): AsyncGenerator<StreamPart> {
  yield* parts;
}

async function events(parts: StreamPart[]) {
  const out: { event: string; data: Record<string, unknown> }[] = [];
  for await (const frame of messageStreamEvents(from(parts), { id: 'msg_1', model: 'm' })) {
    const m = /^event: (\S+)\ndata: (.*)\n\n$/s.exec(frame);
    assert.ok(m, `malformed frame ${frame}`);
    out.push({ event: m[1]!, data: JSON.parse(m[2]!) });
  }
  return out;
}

test('reasoning, a text block with no start (as Bedrock sends it) and a tool are renumbered 0, 1, 2', async () => {
  const ev = await events([
    { type: 'messageStart', role: 'assistant' },
    { type: 'contentBlockStart', index: 0 },
    { type: 'contentBlockDelta', index: 0, delta: { reasoningContent: { text: 'hmm' } } },
    { type: 'contentBlockDelta', index: 0, delta: { reasoningContent: { signature: 'sig' } } },
    { type: 'contentBlockStop', index: 0 },
    // An empty block that never gets a delta is not shown and takes no index.
    { type: 'contentBlockStart', index: 1 },
    { type: 'contentBlockStop', index: 1 },
    { type: 'contentBlockDelta', index: 2, delta: { text: 'Hi' } },
    { type: 'contentBlockStop', index: 2 },
    { type: 'contentBlockStart', index: 5, toolUse: { toolUseId: 't1', name: 'f' } },
    { type: 'contentBlockDelta', index: 5, delta: { toolUse: { input: '{"a":' } } },
    { type: 'contentBlockDelta', index: 5, delta: { toolUse: { input: '1}' } } },
    { type: 'contentBlockStop', index: 5 },
    { type: 'messageStop', stopReason: 'tool_use' },
    { type: 'metadata', usage: { inputTokens: 7, outputTokens: 3, totalTokens: 10, cacheReadInputTokens: 2 }, latencyMs: 1 },
  ]);
  assert.deepEqual(
    ev.map((e) => [e.event, e.data.index ?? null]),
    [
      ['message_start', null],
      ['content_block_start', 0],
      ['content_block_delta', 0],
      ['content_block_delta', 0],
      ['content_block_stop', 0],
      ['content_block_start', 1],
      ['content_block_delta', 1],
      ['content_block_stop', 1],
      ['content_block_start', 2],
      ['content_block_delta', 2],
      ['content_block_delta', 2],
      ['content_block_stop', 2],
      ['message_delta', null],
      ['message_stop', null],
    ],
  );
  assert.deepEqual(ev[1]!.data.content_block, { type: 'thinking', thinking: '', signature: '' });
  assert.deepEqual(ev[3]!.data.delta, { type: 'signature_delta', signature: 'sig' });
  assert.deepEqual(ev[8]!.data.content_block, { type: 'tool_use', id: 't1', name: 'f', input: {} });
  assert.deepEqual(ev[12]!.data, {
    type: 'message_delta',
    delta: { stop_reason: 'tool_use', stop_sequence: null },
    usage: { input_tokens: 7, output_tokens: 3, cache_creation_input_tokens: 0, cache_read_input_tokens: 2 },
  });
});

test('an error part ends the stream with an error event and no message_stop', async () => {
  const ev = await events([
    { type: 'messageStart', role: 'assistant' },
    { type: 'contentBlockDelta', index: 0, delta: { text: 'Hi' } },
    { type: 'error', error: new QuarryError('ThrottlingException', 'slow down') },
  ]);
  assert.deepEqual(ev.at(-1), { event: 'error', data: { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } } });
  assert.ok(!ev.some((e) => e.event === 'message_stop'));
});

test('a stream that ends without metadata still closes its blocks and the message', async () => {
  const ev = await events([
    { type: 'messageStart', role: 'assistant' },
    { type: 'contentBlockDelta', index: 0, delta: { text: 'Hi' } },
    { type: 'messageStop', stopReason: 'max_tokens' },
  ]);
  assert.deepEqual(
    ev.slice(-3).map((e) => e.event),
    ['content_block_stop', 'message_delta', 'message_stop'],
  );
  assert.equal((ev.at(-2)!.data.delta as { stop_reason: string }).stop_reason, 'max_tokens');
});
