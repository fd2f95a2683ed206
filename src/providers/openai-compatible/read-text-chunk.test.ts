import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StreamPart } from '../../core/index.js';
import { openAIChunkSchema } from './openai-schemas.js';
import { OpenAIStreamMapper } from './openai-stream-mapper.js';
import { readTextChunk } from './read-text-chunk.js';

const base = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm' };
const choice = (c: Record<string, unknown>) => ({ ...base, choices: [c] });

// What vLLM, llama.cpp, LM Studio and OpenAI send for text, with the odd types a broken server might send instead.
const CHUNKS: unknown[] = [
  choice({ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }),
  choice({ index: 0, delta: { content: ' fox' }, logprobs: null, finish_reason: null }),
  choice({ index: 0, delta: { reasoning_content: 'hmm', content: null } }),
  choice({ index: 0, delta: { reasoning: 'hmm' } }),
  choice({ index: 0, delta: {}, finish_reason: 'stop', stop_reason: '###' }),
  choice({ index: 0, delta: {}, finish_reason: 'stop', stop_reason: 128009 }),
  choice({ index: 1, delta: { content: 'second choice' } }),
  choice({ index: 0, delta: null, finish_reason: 'length' }),
  { ...base, choices: [] },
  { ...base },
  { ...base, choices: null, usage: null, error: null },
  // Left to the schema:
  { ...base, choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5, extra: 1 } },
  choice({ index: 0, delta: { tool_calls: [{ index: 0, id: 'c1', function: { name: 'f', arguments: '{}' } }] } }),
  { error: { message: 'overloaded' } },
  { error: 'overloaded' },
  // Invalid: the schema refuses them, and so must the fast path.
  choice({ index: '0', delta: { content: 'x' } }),
  choice({ index: 0, delta: { content: 7 } }),
  choice({ index: 0, delta: { reasoning: ['x'] } }),
  choice({ index: 0, delta: 'x' }),
  choice({ index: 0, delta: { content: 'x' }, finish_reason: 1 }),
  choice({ index: 0, delta: { content: 'x' }, stop_reason: true }),
  { ...base, choices: [['x']] },
  { ...base, choices: {} },
  [],
  'data',
  null,
];

function mapped(chunk: Parameters<OpenAIStreamMapper['chunk']>[0]): StreamPart[] {
  const out: StreamPart[] = [];
  const mapper = new OpenAIStreamMapper(['###']);
  mapper.chunk(chunk, out);
  mapper.end(out, undefined);
  return out;
}

test('a chunk read by hand is one the schema accepts, and maps to exactly the same parts', () => {
  let read = 0;
  for (const json of CHUNKS) {
    const fast = readTextChunk(json);
    const parsed = openAIChunkSchema.safeParse(json);
    if (!fast) continue;
    read++;
    assert.ok(parsed.success, `the schema refuses ${JSON.stringify(json)}, which was read by hand`);
    assert.deepEqual(mapped(fast), mapped(parsed.data), JSON.stringify(json));
  }
  assert.equal(read, 11, 'every text chunk is read by hand');
});

test('tool calls, usage and errors are left to the schema', () => {
  assert.equal(readTextChunk({ ...base, choices: [], usage: { prompt_tokens: 1 } }), undefined);
  assert.equal(readTextChunk(choice({ index: 0, delta: { tool_calls: [] } })), undefined);
  assert.equal(readTextChunk({ error: 'x' }), undefined);
});
