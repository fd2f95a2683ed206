import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromConverseWire } from './converse-codec.js';

const turn = (role: 'user' | 'assistant', text = 'x') => ({ role, content: [{ text }] });

test('a conversation must start with the user and alternate, as Bedrock requires; a last assistant turn (prefill) is fine', () => {
  assert.equal(fromConverseWire('m', { messages: [turn('user'), turn('assistant'), turn('user'), turn('assistant', '{')] }).messages.length, 4);
  assert.throws(() => fromConverseWire('m', { messages: [turn('assistant'), turn('user')] }), { code: 'ValidationException', message: /must start with a user message/ });
  assert.throws(() => fromConverseWire('m', { messages: [turn('user'), turn('user')] }), { code: 'ValidationException', message: /messages\.0 and messages\.1 are both user/ });
  // CountTokens may count a system prompt alone.
  assert.deepEqual(fromConverseWire('m', { messages: [], system: [{ text: 's' }] }).messages, []);
});
