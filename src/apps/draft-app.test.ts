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

const illustrated = {
  name: 'Story and picture',
  description: 'A short story and an illustration of it.',
  widgets: [
    { type: 'input', name: 'topic', label: 'Topic' },
    { type: 'generation', name: 'story', prompt: 'A short story about {{topic}}' },
    { type: 'image', name: 'picture', label: 'Illustration', prompt: 'A watercolour of {{topic}}' },
  ],
};

type SchemaShape = { properties: { widgets: { items: { properties: { type: { enum: string[] } } } } } };
const typesOffered = (req: ConverseRequest) => (req.jsonSchema!.schema as unknown as SchemaShape).properties.widgets.items.properties.type.enum;

test('with an image model the draft may have image widgets, which use that model; the schema and instructions offer them', async () => {
  const sent: ConverseRequest[] = [];
  const def = await draftApp(replies([JSON.stringify(illustrated)], sent), ctx, { description: 'a story with a picture', modelId: 'm1', imageModelId: 'painter' });
  assert.deepEqual(def.widgets, [
    { type: 'input', name: 'topic', label: 'Topic' },
    { type: 'generation', name: 'story', prompt: 'A short story about {{topic}}', modelId: 'm1' },
    { type: 'image', name: 'picture', label: 'Illustration', prompt: 'A watercolour of {{topic}}', modelId: 'painter' },
  ]);
  assert.deepEqual(typesOffered(sent[0]!), ['input', 'generation', 'text', 'image']);
  assert.match(textOf(sent[0]!.system!), /"image" \(a picture an image model draws/);
});

test('without an image model none is offered, and a reply with one anyway is sent back with the reason', async () => {
  const sent: ConverseRequest[] = [];
  const def = await draftApp(replies([JSON.stringify(illustrated), JSON.stringify(good)], sent), ctx, { description: 'a story with a picture', modelId: 'm1' });
  assert.equal(def.name, 'Haiku maker');
  assert.deepEqual(typesOffered(sent[0]!), ['input', 'generation', 'text']);
  assert.doesNotMatch(textOf(sent[0]!.system!), /image/);
  assert.match(textOf(sent[1]!.messages.at(-1)!.content), /no image model, so the app cannot have "image" widgets/);
});

test('a draft whose prompt uses an image widget is sent back: an image is not text', async () => {
  const sent: ConverseRequest[] = [];
  const usesImage = { ...illustrated, widgets: [...illustrated.widgets, { type: 'generation', name: 'caption', prompt: 'Caption {{picture}}' }] };
  const def = await draftApp(replies([JSON.stringify(usesImage), JSON.stringify(illustrated)], sent), ctx, { description: 'x y z', modelId: 'm1', imageModelId: 'painter' });
  assert.equal(def.widgets.length, 3);
  assert.match(textOf(sent[1]!.messages.at(-1)!.content), /refers to \{\{picture\}\}, an image/);
});
