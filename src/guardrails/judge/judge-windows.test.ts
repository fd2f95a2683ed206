import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { QuarryError } from '../../core/errors.js';
import { judgeWindows } from './judge-windows.js';

describe('judgeWindows', () => {
  test('short text is one window', () => {
    assert.deepEqual(judgeWindows('Hello there.', 1000, 4), [[0, 12]]);
  });

  test('long text is covered whole, in windows no longer than asked, cut at sentence ends', () => {
    const sentence = 'The quick brown fox jumps over the lazy dog again. ';
    const text = sentence.repeat(200).trim();
    const windows = judgeWindows(text, 1000, 100);
    assert.ok(windows.length > 10);
    for (const [s, e] of windows) assert.ok(e - s <= 1000 && e > s);
    for (const [s, e] of windows.slice(0, -1)) assert.match(text.slice(s, e), /\.\s?$/);
    // Every character lies in some window: each window starts inside the one before, the last ends at the end.
    let covered = 0;
    for (const [s, e] of windows) {
      assert.ok(s <= covered && e > covered, 'no gap between windows');
      covered = e;
    }
    assert.equal(covered, text.length);
  });

  test('text without spaces is still cut, not dropped', () => {
    const text = 'x'.repeat(2500);
    const windows = judgeWindows(text, 1000, 10);
    assert.deepEqual(windows[0], [0, 1000]);
    assert.equal(windows.at(-1)![1], 2500);
  });

  test('more windows than allowed is a ValidationException, not a silent cut', () => {
    assert.throws(
      () => judgeWindows('word '.repeat(2000), 1000, 3),
      (e: unknown) => QuarryError.isInstance(e) && e.code === 'ValidationException' && /more than 3 windows/.test(e.message),
    );
  });
});
