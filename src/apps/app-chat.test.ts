import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ConverseRequest, type ModelInfo, silentLogger, textOf, usageOf } from '../core/index.js';
import type { Principal } from '../iam/index.js';
import { chatTurn } from './app-chat.js';
import type { AppCallContext, AppModelPort } from './app-model-port.js';
import type { AppRecord } from './app-repository.js';
import type { ChatbotWidget } from './app-schemas.js';

const ctx: AppCallContext = { requestId: 'r', principal: {} as Principal, api: 'test', signal: new AbortController().signal, log: silentLogger };
const app = { id: 'APP0000001', accountId: '111111111111', name: 'a', description: '', widgets: [], createdAt: '', updatedAt: '' } satisfies AppRecord;

/** Records what the model was sent and answers `answer` ("ok" unless given). */
function recording(sent: ConverseRequest[], answer = 'ok'): AppModelPort {
  return {
    async converse(_c, req) {
      sent.push(req);
      return { model: { id: 'm' } as ModelInfo, message: { role: 'assistant', content: [{ text: answer }] }, stopReason: 'end_turn', usage: usageOf(10, 2), latencyMs: 3 };
    },
    converseStream: () => Promise.reject(new Error('not used')),
  };
}

test('a turn sends the whole conversation with the system prompt, and reports tokens and cost', async () => {
  const sent: ConverseRequest[] = [];
  const w: ChatbotWidget = { type: 'chatbot', name: 'bot', modelId: 'm', system: 'Be brief.', inferenceConfig: { maxTokens: 50 } };
  const reply = await chatTurn({ models: recording(sent), costOf: (_m, u) => u.inputTokens * 0.5 }, ctx, app, w, {
    messages: [
      { role: 'user', text: 'hi' },
      { role: 'assistant', text: 'hello' },
      { role: 'user', text: 'how are you?' },
    ],
  });
  assert.equal(reply.message.text, 'ok');
  assert.equal(reply.costUsd, 5);
  assert.deepEqual(reply.citations, []);
  assert.deepEqual(
    sent[0]!.messages.map((m) => [m.role, textOf(m.content)]),
    [
      ['user', 'hi'],
      ['assistant', 'hello'],
      ['user', 'how are you?'],
    ],
  );
  assert.equal(textOf(sent[0]!.system!), 'Be brief.');
  assert.deepEqual(sent[0]!.inferenceConfig, { maxTokens: 50 });
});

test('a grounded turn searches the knowledge base for the latest message, in the app owner\'s account, and answers from the passages', async () => {
  const sent: ConverseRequest[] = [];
  const searched: unknown[] = [];
  const w: ChatbotWidget = { type: 'chatbot', name: 'bot', modelId: 'm', knowledgeBaseId: 'KB00000001' };
  const knowledge = async (_c: AppCallContext, accountId: string, kbId: string, text: string, n: number) => {
    searched.push([accountId, kbId, text, n]);
    return text.includes('offsite') ? [{ text: 'The offsite is in Lisbon.', source: 'memo-1' }] : [];
  };
  const reply = await chatTurn({ models: recording(sent, 'It is in Lisbon [1].'), knowledge }, ctx, app, w, {
    messages: [
      { role: 'user', text: 'hello' },
      { role: 'assistant', text: 'hi' },
      { role: 'user', text: 'where is the offsite?' },
    ],
  });
  assert.deepEqual(searched, [['111111111111', 'KB00000001', 'where is the offsite?', 5]]);
  assert.deepEqual(reply.citations, [{ text: 'The offsite is in Lisbon.', source: 'memo-1' }]);
  assert.equal(reply.message.text, 'It is in Lisbon.', 'the marker is taken out of the answer');
  assert.match(textOf(sent[0]!.system!), /Answer from these passages[\s\S]*cite it with its id in square brackets[\s\S]*<passage id="1">The offsite is in Lisbon\.<\/passage>/);

  await chatTurn({ models: recording(sent), knowledge }, ctx, app, w, { messages: [{ role: 'user', text: 'unrelated' }] });
  assert.match(textOf(sent[1]!.system!), /has nothing on this question/);
  await assert.rejects(chatTurn({ models: recording(sent) }, ctx, app, w, { messages: [{ role: 'user', text: 'x' }] }), /this server has none/);
});

const PASSAGES = ['Skerry Point lighthouse was first lit in 1887.', 'Route 9 trams run every six minutes.', 'The bakery proofs dough overnight.'].map((text, i) => ({ text, source: `file-${i + 1}.txt` }));
const grounded: ChatbotWidget = { type: 'chatbot', name: 'bot', modelId: 'm', knowledgeBaseId: 'KB00000001' };
const ask = (answer: string) => chatTurn({ models: recording([], answer), knowledge: async () => PASSAGES }, ctx, app, grounded, { messages: [{ role: 'user', text: 'q' }] });

test('a grounded answer cites only the passages it marks, best-ranked first; all passages searched are still reported', async () => {
  const reply = await ask('Trams run often [2]. The light dates from 1887 [1][2].');
  assert.deepEqual(reply.citations, [PASSAGES[0], PASSAGES[1]]);
  assert.deepEqual(reply.passages, PASSAGES);
  assert.equal(reply.message.text, 'Trams run often. The light dates from 1887.');
});

test('an answer that marks no passage (the knowledge base does not hold it) cites none, and a marker naming no passage is dropped', async () => {
  const none = await ask('The passages do not say how many moons Neptune has.');
  assert.deepEqual(none.citations, []);
  assert.equal(none.passages.length, 3);
  const stray = await ask('Neptune has sixteen moons [7].');
  assert.deepEqual(stray.citations, []);
  assert.equal(stray.message.text, 'Neptune has sixteen moons.');
});

test('without a knowledge base, brackets in the answer are the model\'s own text', async () => {
  const reply = await chatTurn({ models: recording([], 'See item [1].') }, ctx, app, { type: 'chatbot', name: 'bot', modelId: 'm' }, { messages: [{ role: 'user', text: 'q' }] });
  assert.equal(reply.message.text, 'See item [1].');
  assert.deepEqual(reply.citations, []);
  assert.deepEqual(reply.passages, []);
});
