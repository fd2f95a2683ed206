import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveOverlaps } from './resolve-overlaps.js';

const span = (type: string, start: number, end: number, score: number) => ({ type, start, end, score });

test('keeps the best of overlapping spans: score, then priority, then length; touching spans both stay', () => {
  const kept = resolveOverlaps([
    span('PHONE', 0, 16, 0.6),
    span('CARD', 0, 16, 0.9),
    span('URL', 16, 20, 0.5),
    span('X', 2, 4, 0.9),
  ]);
  assert.deepEqual(
    kept.map((k) => k.type),
    ['CARD', 'URL'],
  );
  const byPriority = resolveOverlaps([span('A', 0, 5, 0.8), span('B', 3, 9, 0.8)], (s) => (s.type === 'B' ? 1 : 0));
  assert.deepEqual(
    byPriority.map((k) => k.type),
    ['B'],
  );
  const byLength = resolveOverlaps([span('A', 0, 5, 0.8), span('B', 3, 12, 0.8)]);
  assert.deepEqual(
    byLength.map((k) => k.type),
    ['B'],
  );
});

test('empty spans are dropped; many spans resolve quickly', () => {
  assert.deepEqual(resolveOverlaps([span('A', 3, 3, 1)]), []);
  const many = Array.from({ length: 50_000 }, (_, i) => span('A', i * 2, i * 2 + 3, (i % 7) / 7));
  const started = performance.now();
  const kept = resolveOverlaps(many);
  assert.ok(performance.now() - started < 2000);
  for (let i = 1; i < kept.length; i++) assert.ok(kept[i]!.start >= kept[i - 1]!.end);
});
