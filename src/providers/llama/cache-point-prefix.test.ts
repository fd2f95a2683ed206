import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Message } from '../../core/index.js';
import { cachePointPrefix } from './cache-point-prefix.js';

const cp = { cachePoint: { type: 'default' as const } };
const user = (...content: Message['content']): Message => ({ role: 'user', content });

test('no cachePoint: no prefix', () => {
  assert.equal(cachePointPrefix({ system: [{ text: 'S' }], messages: [user({ text: 'hi' })] }), undefined);
});

test('the last cachePoint wins: in a message, the prefix keeps the system prompt and the blocks before it', () => {
  const req = {
    system: [{ text: 'S' }, cp],
    messages: [user({ text: 'doc' }, cp, { text: 'question' }), { role: 'assistant' as const, content: [{ text: 'answer' }] }, user({ text: 'more' })],
  };
  assert.deepEqual(cachePointPrefix(req), { system: req.system, messages: [user({ text: 'doc' })] });
});

test('a cachePoint first in a message keeps only the messages before it; one in the system prompt drops the messages', () => {
  const m0 = user({ text: 'a' });
  assert.deepEqual(cachePointPrefix({ messages: [m0, user(cp, { text: 'b' })] }), { system: undefined, messages: [m0] });
  assert.deepEqual(cachePointPrefix({ system: [{ text: 'S' }, cp, { text: 'T' }], messages: [m0] }), { system: [{ text: 'S' }], messages: [] });
});
