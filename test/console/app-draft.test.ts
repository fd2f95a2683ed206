import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DraftError, definitionOf, draftOf, newWidget, referencesIn } from '../../web/src/lib/app-draft.js';

/** The app builder's draft (web/src/lib/app-draft.ts), run in Node: what the page sends, and what it says first. */

test('a draft becomes the definition the API takes, and an app becomes a draft again', () => {
  const d = draftOf(undefined);
  d.name = '  Writer ';
  d.widgets.push(newWidget('input', d.widgets, 'm'));
  d.widgets.push(newWidget('generation', d.widgets, 'm'));
  d.widgets.push(newWidget('generation', d.widgets, 'm'));
  assert.deepEqual(
    d.widgets.map((w) => w.name),
    ['input1', 'generated1', 'generated2'],
  );
  d.widgets[1]!.prompt = 'About {{input1}}';
  d.widgets[1]!.temperature = '0.5';
  d.widgets[2]!.prompt = 'Title for {{ generated1 }}';
  d.widgets[2]!.label = ' Title ';
  const def = definitionOf(d);
  assert.deepEqual(def, {
    name: 'Writer',
    description: '',
    widgets: [
      { type: 'input', name: 'input1' },
      { type: 'generation', name: 'generated1', prompt: 'About {{input1}}', modelId: 'm', inferenceConfig: { temperature: 0.5 } },
      { type: 'generation', name: 'generated2', label: 'Title', prompt: 'Title for {{ generated1 }}', modelId: 'm' },
    ],
  });
  const again = draftOf(def);
  assert.deepEqual(definitionOf(again), def);
  assert.deepEqual(referencesIn(d.widgets[2]!.prompt), ['generated1']);
});

test('what the page can tell before asking the server, with the widget it concerns', () => {
  const d = draftOf(undefined);
  assert.throws(() => definitionOf(d), /Give the app a name/);
  d.name = 'x';
  assert.throws(() => definitionOf(d), /Add at least one widget/);
  const w = newWidget('generation', [], '');
  d.widgets.push(w);
  assert.throws(() => definitionOf(d), (e: unknown) => e instanceof DraftError && e.widgetKey === w.key && /write its prompt/.test(e.message));
  w.prompt = 'hi';
  assert.throws(() => definitionOf(d), /choose a model/);
  w.modelId = 'm';
  w.maxTokens = '1.5';
  assert.throws(() => definitionOf(d), /max tokens must be a whole number from 1/);
  w.maxTokens = '';
  w.name = 'has space';
  assert.throws(() => definitionOf(d), /Start with a letter/);
});

test('a static text widget round-trips, and an empty one is refused next to the field', () => {
  const d = draftOf({ name: 'A', description: '', widgets: [{ type: 'text', name: 'note', label: 'Note', text: 'Read me.' }] });
  assert.deepEqual(definitionOf(d).widgets, [{ type: 'text', name: 'note', label: 'Note', text: 'Read me.' }]);
  const added = newWidget('text', d.widgets, 'm');
  assert.equal(added.name, 'text1');
  d.widgets.push(added);
  assert.throws(() => definitionOf(d), (e: unknown) => e instanceof DraftError && e.widgetKey === added.key && /write its text/.test(e.message));
});

test('a chatbot widget round-trips with its instructions and knowledge base, and a malformed id is refused', () => {
  const bot = { type: 'chatbot' as const, name: 'chat1', modelId: 'm', system: 'Be kind.', knowledgeBaseId: 'KB00000001', inferenceConfig: { maxTokens: 20 } };
  const d = draftOf({ name: 'A', description: '', widgets: [bot] });
  assert.deepEqual(definitionOf(d).widgets, [bot]);
  d.widgets[0]!.knowledgeBaseId = 'kb-1';
  assert.throws(() => definitionOf(d), /a knowledge base id is 10 upper-case letters/);
  assert.equal(newWidget('chatbot', [], 'm').name, 'chat1');
});

test('an image widget drafts to the API shape and back; its size is checked as the server checks it', () => {
  const d = draftOf(undefined);
  d.name = 'Posters';
  d.widgets.push(newWidget('input', d.widgets, 'm'));
  d.widgets.push(newWidget('image', d.widgets, 'painter'));
  const pic = d.widgets[1]!;
  assert.equal(pic.name, 'image1');
  assert.throws(() => definitionOf(d), (e: unknown) => e instanceof DraftError && e.widgetKey === pic.key && /write its prompt/.test(e.message));
  pic.prompt = 'A poster of {{input1}}';
  pic.size = 'large';
  assert.throws(() => definitionOf(d), /WIDTHxHEIGHT/);
  pic.size = '1024x768';
  pic.negativePrompt = 'text';
  const def = definitionOf(d);
  assert.deepEqual(def.widgets[1], { type: 'image', name: 'image1', prompt: 'A poster of {{input1}}', modelId: 'painter', negativePrompt: 'text', size: '1024x768' });
  assert.deepEqual(definitionOf(draftOf(def)), def);
  pic.size = '';
  pic.negativePrompt = ' ';
  assert.deepEqual(definitionOf(d).widgets[1], { type: 'image', name: 'image1', prompt: 'A poster of {{input1}}', modelId: 'painter' });
});
