import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maximalMarginalRelevance } from './maximal-marginal-relevance.js';

const c = (id: string, v: number[], score = 0) => ({ id, score, vector: Float32Array.from(v) });
const query = Float32Array.from([1, 0, 0]);
// Two near-duplicates close to the query, and a less relevant but different one.
const candidates = [c('dup-1', [0.95, 0.3, 0]), c('dup-2', [0.94, 0.32, 0]), c('other', [0.8, 0, 0.6]), c('far', [0, 0, 1])];

test('lambda 1 is relevance order; lower lambda skips the near-duplicate', () => {
  assert.deepEqual(
    maximalMarginalRelevance(query, candidates, { k: 3, lambda: 1 }).map((x) => x.id),
    ['dup-1', 'dup-2', 'other'],
  );
  assert.deepEqual(
    maximalMarginalRelevance(query, candidates, { k: 3, lambda: 0.5 }).map((x) => x.id),
    ['dup-1', 'other', 'dup-2'],
  );
  // Pure diversity after the first pick: the farthest from dup-1 next.
  assert.deepEqual(
    maximalMarginalRelevance(query, candidates, { k: 2, lambda: 0 }).map((x) => x.id),
    ['dup-1', 'far'],
  );
});

test('k bounds the result; items keep their own scores; bad input is refused', () => {
  assert.equal(maximalMarginalRelevance(query, candidates, { k: 10 }).length, 4);
  assert.deepEqual(maximalMarginalRelevance(query, candidates, { k: 0 }), []);
  assert.deepEqual(maximalMarginalRelevance(query, [], { k: 3 }), []);
  assert.equal(maximalMarginalRelevance(query, [c('a', [1, 0, 0], 0.42)], { k: 1 })[0].score, 0.42);
  assert.throws(() => maximalMarginalRelevance(query, [{ id: 'x', score: 1 }], { k: 1 }), /vector/);
  assert.throws(() => maximalMarginalRelevance(query, [c('x', [1, 0])], { k: 1 }), /dimensions/);
  assert.throws(() => maximalMarginalRelevance(query, candidates, { k: 2, lambda: 1.5 }), /lambda/);
  assert.throws(() => maximalMarginalRelevance(query, candidates, { k: -1 }), /k must/);
});
