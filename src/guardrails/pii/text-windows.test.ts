import assert from 'node:assert/strict';
import { test } from 'node:test';
import { textWindows } from './text-windows.js';

test('windows cover the text exactly and prefer line breaks, then sentence ends, then spaces', () => {
  const text = `${'word '.repeat(30)}\n${'more words here. '.repeat(10)}${'x'.repeat(50)}`;
  const windows = textWindows(text, 64);
  assert.equal(windows[0]![0], 0);
  assert.equal(windows.at(-1)![1], text.length);
  for (let i = 1; i < windows.length; i++) assert.equal(windows[i]![0], windows[i - 1]![1]);
  for (const [start, end] of windows.slice(0, -1)) {
    assert.ok(end - start <= 64);
    assert.match(text[end - 1]!, /[\s.]/, 'cut after a space, a line break or a full stop');
  }
});

test('short text is one window; text without spaces is cut hard; empty text has none', () => {
  assert.deepEqual(textWindows('short', 64), [[0, 5]]);
  assert.deepEqual(textWindows('x'.repeat(100), 40), [
    [0, 40],
    [40, 80],
    [80, 100],
  ]);
  assert.deepEqual(textWindows('', 64), []);
});
