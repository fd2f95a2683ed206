import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ConverseRequest, type ModelInfo, silentLogger, textOf, usageOf } from '../core/index.js';
import type { Principal } from '../iam/index.js';
import type { AppCallContext, AppModelPort } from './app-model-port.js';
import { draftApp } from './draft-app.js';

const ctx: AppCallContext = { requestId: 'r', principal: {} as Principal, api: 'test', signal: new AbortController().signal, log: silentLogger };

/** Answers each call with the next scripted reply, recording the requests. */
function replies(texts: string[], sent: ConverseRequest[]): AppModelPort {
  return {
    async converse(_c, req) {
      sent.push(structuredClone(req));
      return { model: { id: 'm' } as ModelInfo, message: { role: 'assistant', content: [{ text: texts.shift() ?? '' }] }, stopReason: 'end_turn', usage: usageOf(1, 1), latencyMs: 1 };
    },
    converseStream: () => Promise.reject(new Error('not used')),
  };
}

const good = {
  name: 'Haiku maker',
  description: 'Writes a haiku, then a title.',
  widgets: [
    { type: 'input', name: 'topic', label: 'Topic' },
    { type: 'generation', name: 'haiku', prompt: 'A haiku about {{topic}}' },
    { type: 'generation', name: 'title', prompt: 'A title for {{haiku}}', text: null },
  ],
};

test('a valid draft becomes an app definition whose generation widgets use the drafting model, asked for with a JSON schema', async () => {
  const sent: ConverseRequest[] = [];
  const def = await draftApp(replies([`\`\`\`json\n${JSON.stringify(good)}\n\`\`\``], sent), ctx, { description: 'haiku then a title', modelId: 'm1' });
  assert.deepEqual(def, {
    name: 'Haiku maker',
    description: 'Writes a haiku, then a title.',
    widgets: [
      { type: 'input', name: 'topic', label: 'Topic' },
      { type: 'generation', name: 'haiku', prompt: 'A haiku about {{topic}}', modelId: 'm1' },
      { type: 'generation', name: 'title', prompt: 'A title for {{haiku}}', modelId: 'm1' },
    ],
  });
  assert.equal(sent.length, 1);
  assert.equal(sent[0]!.jsonSchema?.name, 'app_definition');
  assert.match(textOf(sent[0]!.messages[0]!.content), /haiku then a title/);
});

test('an invalid draft is sent back once with what is wrong; a second failure is a clear error', async () => {
  const sent: ConverseRequest[] = [];
  const cyclic = { ...good, widgets: [{ type: 'generation', name: 'a', prompt: '{{b}}' }, { type: 'generation', name: 'b', prompt: '{{a}}' }] };
  const def = await draftApp(replies([JSON.stringify(cyclic), JSON.stringify(good)], sent), ctx, { description: 'x y z', modelId: 'm1' });
  assert.equal(def.name, 'Haiku maker');
  assert.equal(sent.length, 2);
  assert.match(textOf(sent[1]!.messages.at(-1)!.content), /cannot be used: .*cycle/);

  await assert.rejects(
    draftApp(replies(['not json', JSON.stringify({ name: 'n', widgets: [{ type: 'input', name: '9bad' }] })], []), ctx, { description: 'x y z', modelId: 'm1' }),
    (e: Error & { code?: string }) => e.code === 'ModelErrorException' && /could not draft a valid app/.test(e.message) && /widgets\.0\.name/.test(e.message),
  );
});
