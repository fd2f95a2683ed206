import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StreamPart } from '../../core/index.js';
import { chatCompletionChunks } from './chat-completion-chunks.js';

async function* from(parts: StreamPart[]): AsyncGenerator<StreamPart> {
  yield* parts;
}

async function chunks(parts: StreamPart[], includeUsage: boolean) {
  const out: unknown[] = [];
  for await (const line of chatCompletionChunks(from(parts), { id: 'chatcmpl-1', created: 1, model: 'm' }, includeUsage)) {
    assert.match(line, /^data: .*\n\n$/s);
    const data = line.slice(6, -2);
    out.push(data === '[DONE]' ? data : JSON.parse(data));
  }
  return out as ({ choices: { delta: Record<string, unknown>; finish_reason: string | null }[]; usage?: unknown } | '[DONE]')[];
}

test('reasoning, text and two tool calls numbered in the order they start', async () => {
  const out = await chunks(
    [
      { type: 'messageStart', role: 'assistant' },
      { type: 'contentBlockDelta', index: 0, delta: { reasoningContent: { text: 'hmm' } } },
      { type: 'contentBlockDelta', index: 1, delta: { text: 'Hi' } },
      { type: 'contentBlockStart', index: 4, toolUse: { toolUseId: 'a', name: 'f' } },
      { type: 'contentBlockDelta', index: 4, delta: { toolUse: { input: '{}' } } },
      { type: 'contentBlockStart', index: 7, toolUse: { toolUseId: 'b', name: 'g' } },
      { type: 'contentBlockDelta', index: 7, delta: { toolUse: { input: '{"x":1}' } } },
      { type: 'messageStop', stopReason: 'tool_use' },
      { type: 'metadata', usage: { inputTokens: 5, outputTokens: 2, totalTokens: 7, cacheReadInputTokens: 3 }, latencyMs: 1 },
    ],
    true,
  );
  const deltas = out.flatMap((c) => (c === '[DONE]' ? [] : c.choices.map((x) => x.delta)));
  assert.deepEqual(deltas, [
    { role: 'assistant', content: '' },
    { reasoning_content: 'hmm' },
    { content: 'Hi' },
    { tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'f', arguments: '' } }] },
    { tool_calls: [{ index: 0, function: { arguments: '{}' } }] },
    { tool_calls: [{ index: 1, id: 'b', type: 'function', function: { name: 'g', arguments: '' } }] },
    { tool_calls: [{ index: 1, function: { arguments: '{"x":1}' } }] },
    {},
  ]);
  const last = out.at(-2);
  assert.ok(last && last !== '[DONE]');
  assert.deepEqual(last.choices, []);
  // Cache reads are part of OpenAI's prompt_tokens, and repeated as cached_tokens.
  assert.deepEqual(last.usage, {
    prompt_tokens: 8,
    completion_tokens: 2,
    total_tokens: 10,
    prompt_tokens_details: { cached_tokens: 3 },
    completion_tokens_details: { reasoning_tokens: 0 },
  });
  assert.equal(out.at(-1), '[DONE]');
  const finish = out.at(-3);
  assert.ok(finish && finish !== '[DONE]');
  assert.equal(finish.choices[0]!.finish_reason, 'tool_calls');
});

test('without include_usage there is no usage field and no usage chunk', async () => {
  const out = await chunks(
    [
      { type: 'messageStart', role: 'assistant' },
      { type: 'contentBlockDelta', index: 0, delta: { text: 'Hi' } },
      { type: 'messageStop', stopReason: 'content_filtered' },
      { type: 'metadata', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, latencyMs: 1 },
    ],
    false,
  );
  assert.ok(out.every((c) => c === '[DONE]' || !('usage' in c)));
  const finish = out.at(-2);
  assert.ok(finish && finish !== '[DONE]');
  assert.equal(finish.choices[0]!.finish_reason, 'content_filter');
});

test('each chunk is exactly the JSON of its object, in OpenAI field order, whatever the text holds', async () => {
  const text = ' "quoted" \\ ü 🦊 \u2028 </script>\n';
  const meta = { id: 'chatcmpl-"x"', created: 1_700_000_000, model: 'org/model "ü"' };
  const lines: string[] = [];
  const parts: StreamPart[] = [
    { type: 'messageStart', role: 'assistant' },
    { type: 'contentBlockDelta', index: 0, delta: { reasoningContent: { text } } },
    { type: 'contentBlockDelta', index: 1, delta: { text } },
    { type: 'contentBlockStart', index: 2, toolUse: { toolUseId: 'a', name: 'f' } },
    { type: 'contentBlockDelta', index: 2, delta: { toolUse: { input: text } } },
    { type: 'messageStop', stopReason: 'tool_use' },
    { type: 'metadata', usage: { inputTokens: 5, outputTokens: 2, totalTokens: 7 }, latencyMs: 1 },
  ];
  for (const includeUsage of [true, false]) {
    for await (const line of chatCompletionChunks(from(parts), meta, includeUsage)) lines.push(line);
  }
  const base = { id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model };
  const choice = (delta: unknown, finish_reason: string | null = null) => ({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason }] });
  const expected = (includeUsage: boolean) => [
    ...[
      choice({ role: 'assistant', content: '' }),
      choice({ reasoning_content: text }),
      choice({ content: text }),
      choice({ tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'f', arguments: '' } }] }),
      choice({ tool_calls: [{ index: 0, function: { arguments: text } }] }),
      choice({}, 'tool_calls'),
    ].map((c) => (includeUsage ? { ...c, usage: null } : c)),
    ...(includeUsage ? [{ ...base, choices: [], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } } }] : []),
  ];
  const wire = (objects: unknown[]) => [...objects.map((o) => `data: ${JSON.stringify(o)}\n\n`), 'data: [DONE]\n\n'];
  assert.deepEqual(lines, [...wire(expected(true)), ...wire(expected(false))]);
});
