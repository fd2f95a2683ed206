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

/** Records what the model was sent and answers "ok". */
function recording(sent: ConverseRequest[]): AppModelPort {
  return {
    async converse(_c, req) {
      sent.push(req);
      return { model: { id: 'm' } as ModelInfo, message: { role: 'assistant', content: [{ text: 'ok' }] }, stopReason: 'end_turn', usage: usageOf(10, 2), latencyMs: 3 };
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
  const reply = await chatTurn({ models: recording(sent), knowledge }, ctx, app, w, {
    messages: [
      { role: 'user', text: 'hello' },
      { role: 'assistant', text: 'hi' },
      { role: 'user', text: 'where is the offsite?' },
    ],
  });
  assert.deepEqual(searched, [['111111111111', 'KB00000001', 'where is the offsite?', 5]]);
  assert.deepEqual(reply.citations, [{ text: 'The offsite is in Lisbon.', source: 'memo-1' }]);
  assert.match(textOf(sent[0]!.system!), /Answer from these passages[\s\S]*<passage id="1">The offsite is in Lisbon\.<\/passage>/);

  await chatTurn({ models: recording(sent), knowledge }, ctx, app, w, { messages: [{ role: 'user', text: 'unrelated' }] });
  assert.match(textOf(sent[1]!.system!), /has nothing on this question/);
  await assert.rejects(chatTurn({ models: recording(sent) }, ctx, app, w, { messages: [{ role: 'user', text: 'x' }] }), /this server has none/);
});
