import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Message, QuarryError } from '../../core/index.js';
import { toChatHistory } from './to-chat-history.js';

const isValidation = (e: unknown) => QuarryError.isInstance(e) && e.code === 'ValidationException';

test('system, user and assistant turns map one to one', () => {
  const history = toChatHistory({
    system: [{ text: 'Be brief.' }, { cachePoint: { type: 'default' } }, { text: 'Be kind.' }],
    messages: [
      { role: 'user', content: [{ text: 'Hi' }, { guardContent: { text: { text: 'guarded' } } }] },
      { role: 'assistant', content: [{ reasoningContent: { reasoningText: { text: 'hmm' } } }, { text: 'Hello!' }] },
      { role: 'user', content: [{ document: { format: 'md', name: 'notes', source: { bytes: new TextEncoder().encode('# Notes') } } }] },
    ],
  });
  assert.deepEqual(history, [
    { type: 'system', text: 'Be brief.\nBe kind.' },
    { type: 'user', text: 'Hi\nguarded' },
    { type: 'model', response: ['Hello!'] },
    { type: 'user', text: 'notes:\n# Notes' },
  ]);
});

test('tool results attach to their calls; a results-only message adds no user turn', () => {
  const messages: Message[] = [
    { role: 'user', content: [{ text: 'Weather in Paris and Rome?' }] },
    {
      role: 'assistant',
      content: [
        { text: 'Checking.' },
        { toolUse: { toolUseId: 't1', name: 'weather', input: { city: 'paris' } } },
        { toolUse: { toolUseId: 't2', name: 'weather', input: { city: 'rome' } } },
      ],
    },
    {
      role: 'user',
      content: [
        { toolResult: { toolUseId: 't2', content: [{ text: 'sunny' }] } },
        { toolResult: { toolUseId: 't1', content: [{ json: { celsius: 21 } }, { text: 'mild' }], status: 'error' } },
      ],
    },
  ];
  assert.deepEqual(toChatHistory({ messages }), [
    { type: 'user', text: 'Weather in Paris and Rome?' },
    {
      type: 'model',
      response: [
        'Checking.',
        { type: 'functionCall', name: 'weather', params: { city: 'paris' }, result: { error: [{ celsius: 21 }, 'mild'] } },
        { type: 'functionCall', name: 'weather', params: { city: 'rome' }, result: 'sunny' },
      ],
    },
  ]);
});

test('text beside tool results becomes a user turn after the call', () => {
  const history = toChatHistory({
    messages: [
      { role: 'user', content: [{ text: 'q' }] },
      { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'f', input: {} } }] },
      { role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [{ text: 'r' }] } }, { text: 'thanks' }] },
    ],
  });
  assert.deepEqual(history.at(-1), { type: 'user', text: 'thanks' });
});

test('rejects unanswered calls, stray results and images', () => {
  assert.throws(
    () =>
      toChatHistory({
        messages: [
          { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'f', input: {} } }] },
          { role: 'user', content: [{ text: 'ignoring the call' }] },
        ],
      }),
    (e) => isValidation(e) && /t1/.test((e as Error).message),
  );
  assert.throws(() => toChatHistory({ messages: [{ role: 'user', content: [{ toolResult: { toolUseId: 'x', content: [] } }] }] }), isValidation);
  assert.throws(
    () => toChatHistory({ messages: [{ role: 'user', content: [{ image: { format: 'png', source: { bytes: new Uint8Array() } } }] }] }),
    isValidation,
  );
  assert.throws(
    () =>
      toChatHistory({
        messages: [{ role: 'user', content: [{ document: { format: 'pdf', name: 'x', source: { bytes: new Uint8Array() } } }] }],
      }),
    isValidation,
  );
});
