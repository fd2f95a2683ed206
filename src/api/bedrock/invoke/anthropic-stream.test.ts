import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuarryError, type StreamPart, usageOf } from '../../../core/index.js';
import { anthropicChunks } from './anthropic-stream.js';

async function* from(parts: StreamPart[]) {
  yield* parts;
}

async function run(parts: StreamPart[], stopSequences?: string[]) {
  const out: Record<string, unknown>[] = [];
  const request = { modelId: 'm', messages: [], inferenceConfig: { stopSequences } };
  for await (const c of anthropicChunks(from(parts), { startedAt: performance.now(), inputTokens: 7 }, { id: 'msg_x', model: 'claude-x', request })) {
    out.push(c as Record<string, unknown>);
  }
  return out;
}

test('thinking, text without a start part, and a tool call become typed blocks', async () => {
  const chunks = await run([
    { type: 'messageStart', role: 'assistant' },
    { type: 'contentBlockDelta', index: 0, delta: { reasoningContent: { text: 'hmm' } } },
    { type: 'contentBlockDelta', index: 0, delta: { reasoningContent: { signature: 'sig' } } },
    { type: 'contentBlockStop', index: 0 },
    { type: 'contentBlockDelta', index: 1, delta: { text: 'Hi' } },
    { type: 'contentBlockStop', index: 1 },
    { type: 'contentBlockStart', index: 2, toolUse: { toolUseId: 't1', name: 'f' } },
    { type: 'contentBlockDelta', index: 2, delta: { toolUse: { input: '{"a":1}' } } },
    { type: 'contentBlockStop', index: 2 },
    { type: 'messageStop', stopReason: 'tool_use' },
    { type: 'metadata', usage: usageOf(7, 5), latencyMs: 0 },
  ]);
  assert.deepEqual(chunks.slice(1, -2), [
    { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'hmm' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig' } },
    { type: 'content_block_stop', index: 0 },
    { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
    { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Hi' } },
    { type: 'content_block_stop', index: 1 },
    { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 't1', name: 'f', input: {} } },
    { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"a":1}' } },
    { type: 'content_block_stop', index: 2 },
  ]);
  assert.deepEqual((chunks[0] as { message: { usage: unknown } }).message.usage, {
    input_tokens: 7,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: 0,
  });
  assert.deepEqual(chunks.at(-2), {
    type: 'message_delta',
    delta: { stop_reason: 'tool_use', stop_sequence: null },
    usage: { input_tokens: 7, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 5 },
  });
  assert.equal(chunks.at(-1)!.type, 'message_stop');
});

test('the matched stop sequence, and no final events after a failure', async () => {
  const stopped = await run(
    [
      { type: 'messageStart', role: 'assistant' },
      { type: 'contentBlockDelta', index: 0, delta: { text: 'a' } },
      { type: 'contentBlockStop', index: 0 },
      { type: 'messageStop', stopReason: 'stop_sequence' },
      { type: 'metadata', usage: usageOf(1, 1), latencyMs: 0 },
    ],
    ['END'],
  );
  assert.deepEqual((stopped.at(-2) as { delta: unknown }).delta, { stop_reason: 'stop_sequence', stop_sequence: 'END' });

  const failed = await run([
    { type: 'messageStart', role: 'assistant' },
    { type: 'contentBlockDelta', index: 0, delta: { text: 'a' } },
    { type: 'error', error: new QuarryError('ModelStreamErrorException', 'boom') },
  ]);
  assert.deepEqual(
    failed.map((c) => c.type),
    ['message_start', 'content_block_start', 'content_block_delta'],
  );
});

test('prompt-cache tokens reach the final usage and the invocation metrics, apart from input', async () => {
  const chunks = await run([
    { type: 'messageStart', role: 'assistant' },
    { type: 'contentBlockDelta', index: 0, delta: { text: 'a' } },
    { type: 'contentBlockStop', index: 0 },
    { type: 'messageStop', stopReason: 'end_turn' },
    { type: 'metadata', usage: { inputTokens: 3, outputTokens: 1, totalTokens: 34, cacheReadInputTokens: 20, cacheWriteInputTokens: 10 }, latencyMs: 0 },
  ]);
  assert.deepEqual((chunks.at(-2) as { usage: unknown }).usage, { input_tokens: 3, cache_creation_input_tokens: 10, cache_read_input_tokens: 20, output_tokens: 1 });
  const metrics = chunks.at(-1)!['amazon-bedrock-invocationMetrics'] as Record<string, number>;
  assert.deepEqual([metrics.inputTokenCount, metrics.cacheReadInputTokenCount, metrics.cacheWriteInputTokenCount], [3, 20, 10]);
});
