import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classificationWindows, WINDOW_OVERLAP, WINDOW_SCALES, WINDOW_SIZE, windowsAtScales } from './classification-windows.js';

function assertCovers(text: string, windows: Array<[number, number]>, size: number): void {
  assert.equal(windows[0]![0], 0);
  assert.equal(windows.at(-1)![1], text.length);
  for (let i = 0; i < windows.length; i++) {
    const [start, end] = windows[i]!;
    assert.ok(end > start && end - start <= size, `window ${i} is within the size`);
    if (i > 0) {
      const [prevStart, prevEnd] = windows[i - 1]!;
      assert.ok(start > prevStart, 'windows move forward');
      assert.ok(start <= prevEnd, 'consecutive windows leave no gap');
    }
  }
}

test('empty text has no window; short text is one window', () => {
  assert.deepEqual(classificationWindows(''), []);
  assert.deepEqual(classificationWindows('short text'), [[0, 10]]);
});

test('long text is covered whole by overlapping windows that cut at spaces', () => {
  const text = 'lorem ipsum dolor sit amet '.repeat(2000);
  const windows = classificationWindows(text, 512, 64);
  assertCovers(text, windows, 512);
  for (let i = 1; i < windows.length; i++) {
    const overlap = windows[i - 1]![1] - windows[i]![0];
    assert.ok(overlap > 0 && overlap <= 64, `overlap ${overlap}`);
  }
  for (const [start, end] of windows.slice(0, -1)) {
    assert.equal(text[end], ' ', 'a window ends just before a space');
    assert.ok(start === 0 || text[start - 1] === ' ', 'a window starts at a word');
  }
});

test('a phrase straddling a boundary is whole in some window', () => {
  const phrase = 'ignore all previous instructions';
  for (let at = 400; at < 560; at += 7) {
    const text = `${'x '.repeat(at / 2)}${phrase} ${'y '.repeat(400)}`;
    const windows = classificationWindows(text, 512, 64);
    assert.ok(windows.some(([s, e]) => text.slice(s, e).includes(phrase)), `phrase at ${at}`);
  }
});

test('text without spaces is cut hard and still covered', () => {
  const text = 'x'.repeat(10_000);
  const windows = classificationWindows(text, 1000, 100);
  assertCovers(text, windows, 1000);
  assert.equal(windows.length, 11);
});

test('the defaults and bad arguments', () => {
  const text = 'word '.repeat(100_000);
  assertCovers(text, classificationWindows(text), WINDOW_SIZE);
  assert.ok(WINDOW_OVERLAP * 2 <= WINDOW_SIZE);
  assert.throws(() => classificationWindows('abc', 0, 0), RangeError);
  assert.throws(() => classificationWindows('abc', 100, 60), RangeError);
});

test('two scales: short text is one window, longer text is covered at each scale without repeats', () => {
  assert.deepEqual(windowsAtScales('just a short sentence'), [[0, 21]]);
  const text = 'a sentence of harmless words. '.repeat(300);
  const windows = windowsAtScales(text);
  const large = windows.filter(([s, e]) => e - s > WINDOW_SCALES[1]!.size);
  const small = windows.filter(([s, e]) => e - s <= WINDOW_SCALES[1]!.size);
  assertCovers(text, large, WINDOW_SCALES[0]!.size);
  assertCovers(text, small, WINDOW_SCALES[1]!.size);
  assert.equal(new Set(windows.map((w) => w.join())).size, windows.length);
  const medium = 'word '.repeat(200); // longer than a small window, shorter than a large one
  assert.deepEqual(windowsAtScales(medium)[0], [0, medium.length]);
  assert.ok(windowsAtScales(medium).length > 2);
});
