import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type OpenAIChatResponse, openAIChatResponseSchema } from './openai-schemas.js';
import { readChatCompletion } from './read-chat-completion.js';

const base = { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'm' };
const answer = (message: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  ...base,
  choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: 'stop', logprobs: null }],
  ...extra,
});

// What vLLM, llama.cpp, LM Studio and OpenAI answer, with the odd types a broken server might send instead.
const BODIES: unknown[] = [
  answer({ content: 'The fox.' }, { usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 } }),
  answer({ content: 'x' }, { usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15, prompt_tokens_details: { cached_tokens: 8, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 2, accepted_prediction_tokens: 0 } } }),
  answer({ content: 'x' }, { usage: { prompt_tokens: 1, prompt_tokens_details: null, completion_tokens_details: {} } }),
  answer({ content: null, reasoning_content: 'hmm' }),
  answer({ reasoning: 'hmm', content: 'x' }, { usage: null }),
  { ...base, choices: [{ message: { content: 'x' }, finish_reason: 'stop', stop_reason: '###' }] },
  { ...base, choices: [{ message: { content: 'x' }, finish_reason: 'stop', stop_reason: 128009 }] },
  { ...base, choices: [] },
  { choices: [{ message: {} }] },
  // Left to the schema:
  answer({ content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] }),
  // Invalid: the schema refuses them, and so must the fast path.
  answer({ content: 7 }),
  answer({ content: 'x' }, { usage: { prompt_tokens: '12' } }),
  answer({ content: 'x' }, { usage: { prompt_tokens_details: { cached_tokens: 'many' } } }),
  answer({ content: 'x' }, { usage: 'lots' }),
  answer({ content: 'x' }, { id: 42 }),
  { ...base, choices: [{ message: 'x' }] },
  { ...base, choices: [{ message: { content: 'x' }, finish_reason: 1 }] },
  { ...base, choices: [{ message: { content: 'x' }, stop_reason: true }] },
  { ...base, choices: {} },
  { ...base },
  [],
  null,
];

/** Every field fromOpenAIResponse reads. */
function read(r: OpenAIChatResponse) {
  return {
    choices: r.choices.map((c) => ({
      content: c.message.content,
      reasoning_content: c.message.reasoning_content,
      reasoning: c.message.reasoning,
      tool_calls: c.message.tool_calls,
      finish_reason: c.finish_reason,
      stop_reason: c.stop_reason,
    })),
    usage: r.usage,
  };
}

test('an answer read by hand is one the schema accepts, with the same fields and usage', () => {
  let fast = 0;
  for (const json of BODIES) {
    const mine = readChatCompletion(json);
    const parsed = openAIChatResponseSchema.safeParse(json);
    if (!mine) continue;
    fast++;
    assert.ok(parsed.success, `the schema refuses ${JSON.stringify(json)}, which was read by hand`);
    assert.deepEqual(read(mine), read(parsed.data), JSON.stringify(json));
  }
  assert.equal(fast, 9, 'every text answer is read by hand');
});

test('usage keeps only the keys the schema keeps', () => {
  const r = readChatCompletion(answer({ content: 'x' }, { usage: { prompt_tokens: 3, extra: 1, prompt_tokens_details: { cached_tokens: 1, audio_tokens: 0 } } }));
  assert.deepEqual(r?.usage, { prompt_tokens: 3, prompt_tokens_details: { cached_tokens: 1 } });
});
