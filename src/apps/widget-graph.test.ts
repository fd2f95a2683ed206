import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Widget } from './app-schemas.js';
import { planWidgets, referencesOf, renderTemplate } from './widget-graph.js';

const input = (name: string): Widget => ({ type: 'input', name });
const gen = (name: string, prompt: string): Widget => ({ type: 'generation', name, prompt, modelId: 'm' });

test('references are read from {{…}} with spaces trimmed, each once', () => {
  assert.deepEqual(referencesOf('Write about {{topic}} for {{ audience }}, on {{topic}}.'), ['topic', 'audience']);
  assert.deepEqual(referencesOf('no references, {single} braces'), []);
  assert.equal(renderTemplate('A {{ x }} and {{y}}', new Map([['x', '1'], ['y', '{{x}}']])), 'A 1 and {{x}}');
});

test('the order puts every widget after what it uses, keeping the builder order otherwise', () => {
  const plan = planWidgets([gen('c', '{{b}} {{a}}'), input('topic'), gen('a', '{{topic}}'), gen('b', '{{a}}'), gen('d', '{{topic}}')]);
  assert.deepEqual(
    plan.order.map((w) => w.name),
    ['a', 'b', 'c', 'd'],
  );
  assert.deepEqual(plan.dependsOn.get('c'), ['b', 'a']);
});

test('unknown references, duplicate names and cycles are refused with what to fix', () => {
  assert.throws(() => planWidgets([input('topic'), gen('a', 'About {{topc}}')]), /widget "a" refers to \{\{topc\}\}, but no widget has that name \(the app's widgets: topic, a\)/);
  assert.throws(() => planWidgets([input('topic'), gen('a', 'About {{Topic}}')]), /did you mean \{\{topic\}\}\?/);
  assert.throws(() => planWidgets([input('topic'), gen('a', 'About {{}}')]), /empty \{\{\}\}/);
  assert.throws(() => planWidgets([input('x'), gen('x', 'y')]), /two widgets are named "x"/);
  assert.throws(() => planWidgets([input('x'), gen('X', 'y')]), /differ only in case/);
  assert.throws(() => planWidgets([gen('a', '{{a}}')]), /cycle: a → a/);
  assert.throws(() => planWidgets([input('t'), gen('a', '{{t}} {{c}}'), gen('b', '{{a}}'), gen('c', '{{b}}')]), (e: Error) => {
    assert.equal((e as { code?: string }).code, 'ValidationException');
    assert.match(e.message, /cycle: a → c → b → a/);
    return true;
  });
});

const image = (name: string, prompt: string): Widget => ({ type: 'image', name, prompt, modelId: 'img' });

test('an image widget is planned like a generation widget, but no prompt may use an image', () => {
  const plan = planWidgets([image('pic', 'A poster of {{title}}'), input('topic'), gen('title', 'Title for {{topic}}')]);
  assert.deepEqual(
    plan.order.map((w) => w.name),
    ['title', 'pic'],
  );
  assert.deepEqual(plan.dependsOn.get('pic'), ['title']);
  assert.throws(() => planWidgets([image('pic', 'a cat'), gen('a', 'Describe {{pic}}')]), /widget "a" refers to \{\{pic\}\}, an image: an image is not text/);
  assert.throws(() => planWidgets([image('pic', 'a cat'), image('more', 'like {{pic}}')]), /widget "more" refers to \{\{pic\}\}, an image/);
  assert.throws(() => planWidgets([image('p', 'About {{nope}}')]), /widget "p" refers to \{\{nope\}\}, but no widget has that name/);
  assert.throws(() => planWidgets(['a', 'b', 'c', 'd', 'e'].map((n) => image(n, 'x'))), /5 image widgets; at most 4/);
});
