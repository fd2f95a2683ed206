import assert from 'node:assert/strict';
import { test } from 'node:test';
import { promptToMessages } from './llama-prompt.js';

const text = (t: string) => [{ text: t }];

test('a prompt without template markers is one user message, verbatim', () => {
  assert.deepEqual(promptToMessages('  Hello <b>there</b>\n'), { messages: [{ role: 'user', content: text('  Hello <b>there</b>\n') }] });
});

test('Llama 3 headers become system and alternating turns; the empty assistant header is dropped', () => {
  const prompt =
    '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>' +
    '<|start_header_id|>user<|end_header_id|>\n\nA<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nB<|eot_id|>' +
    '<|start_header_id|>ipython<|end_header_id|>\n\n{"ok":true}<|eom_id|><|start_header_id|>user<|end_header_id|>\n\nC<|eot_id|>' +
    '<|start_header_id|>assistant<|end_header_id|>\n\n';
  assert.deepEqual(promptToMessages(prompt), {
    system: text('Be brief.'),
    messages: [
      { role: 'user', content: text('A') },
      { role: 'assistant', content: text('B') },
      // Tool output (ipython) and the next user turn are both the user's side: merged into one message.
      { role: 'user', content: text('{"ok":true}\n\nC') },
    ],
  });
});

test('a non-empty trailing assistant turn is kept as a prefill', () => {
  const prompt = '<|start_header_id|>user<|end_header_id|>\n\nList three<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n1.';
  assert.deepEqual(promptToMessages(prompt).messages.at(-1), { role: 'assistant', content: text('1.') });
});

test('Llama 2 / Mistral [INST] prompts, with a <<SYS>> block', () => {
  const prompt = '<s>[INST] <<SYS>>\nBe nice\n<</SYS>>\n\nHi there [/INST] Hello! </s><s>[INST] How are you? [/INST]';
  assert.deepEqual(promptToMessages(prompt), {
    system: text('Be nice'),
    messages: [
      { role: 'user', content: text('Hi there') },
      { role: 'assistant', content: text('Hello!') },
      { role: 'user', content: text('How are you?') },
    ],
  });
});

test('a template with nothing but a system turn falls back to the raw prompt', () => {
  const prompt = '<|start_header_id|>system<|end_header_id|>\n\nonly system<|eot_id|>';
  assert.deepEqual(promptToMessages(prompt), { messages: [{ role: 'user', content: text(prompt) }] });
});
