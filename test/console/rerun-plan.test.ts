import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Widget } from '../../web/src/lib/app-draft.js';
import { effectiveInputs, type LastRun, reusableAnswers } from '../../web/src/lib/rerun-plan.js';

/** The console's choice of answers to keep when an app runs again: only what a changed input reaches runs again. */
const widgets: Widget[] = [
  { type: 'input', name: 'topic', defaultValue: 'tides' },
  { type: 'input', name: 'tone' },
  { type: 'document', name: 'brief' },
  { type: 'generation', name: 'facts', prompt: 'Facts about {{ topic }}', modelId: 'm' },
  { type: 'generation', name: 'styled', prompt: 'Rewrite {{facts}} in a {{tone}} tone', modelId: 'm' },
  { type: 'generation', name: 'title', prompt: 'A title for {{facts}}', modelId: 'm' },
  { type: 'generation', name: 'fromBrief', prompt: 'Summarise {{brief}}', modelId: 'm' },
];
const last: LastRun = {
  widgetsJson: JSON.stringify(widgets),
  inputs: { topic: 'tides', tone: 'calm' },
  answers: { facts: 'F', styled: 'S', title: 'T', fromBrief: 'B' },
};
const none = new Set<string>();

test('a changed input re-runs the widgets that use it, directly or through others; the rest are kept', () => {
  assert.deepEqual(reusableAnswers(widgets, last, { topic: 'tides', tone: 'angry' }, none), { facts: 'F', title: 'T', fromBrief: 'B' });
  assert.deepEqual(reusableAnswers(widgets, last, { topic: 'fog', tone: 'calm' }, none), { fromBrief: 'B' });
  assert.deepEqual(reusableAnswers(widgets, last, { topic: 'tides', tone: 'calm' }, new Set(['brief'])), { facts: 'F', styled: 'S', title: 'T' });
  assert.deepEqual(reusableAnswers(widgets, last, { topic: 'tides', tone: 'calm' }, none), {}, 'nothing changed: run again asks for new answers');
});

test('nothing is kept without a last run, after the app was edited, or downstream of an answer that failed', () => {
  assert.deepEqual(reusableAnswers(widgets, undefined, last.inputs, none), {});
  const edited = widgets.map((w) => (w.name === 'title' ? { ...w, prompt: 'A short title for {{facts}}' } : w));
  assert.deepEqual(reusableAnswers(edited, last, { topic: 'tides', tone: 'angry' }, none), {});
  const failedFacts = { ...last, answers: { styled: 'S', title: 'T', fromBrief: 'B' } };
  assert.deepEqual(reusableAnswers(widgets, failedFacts, { topic: 'tides', tone: 'angry' }, none), { fromBrief: 'B' }, 'title is not kept: facts, which it uses, runs again');
});

test('an input left empty counts as its default value', () => {
  assert.deepEqual(effectiveInputs(widgets, { topic: '  ', tone: 'calm' }), { topic: 'tides', tone: 'calm' });
});
