import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { QuarryError } from '../../core/errors.js';
import { fuseReciprocalRank } from './fuse-reciprocal-rank.js';
import { fuseWeighted } from './fuse-weighted.js';

const item = (id: string, score: number, vector?: number[]) => ({ id, score, ...(vector ? { vector: Float32Array.from(vector) } : {}) });

describe('fuseReciprocalRank', () => {
  test('sums 1/(k + rank) over the lists, best first, each item once', () => {
    const semantic = [item('a', 0.9, [1, 0]), item('b', 0.8, [0, 1]), item('c', 0.1, [1, 1])];
    const keyword = [item('c', 12), item('a', 7), item('d', 3)];
    const fused = fuseReciprocalRank([semantic, keyword]);
    assert.deepEqual(
      fused.map((f) => f.id),
      ['a', 'c', 'b', 'd'],
    );
    const score = Object.fromEntries(fused.map((f) => [f.id, f.score]));
    assert.equal(score.a, 1 / 61 + 1 / 62);
    assert.equal(score.c, 1 / 63 + 1 / 61);
    assert.equal(score.b, 1 / 62);
    assert.equal(score.d, 1 / 63);
    // The semantic copy carries the vector, whichever list came first.
    assert.ok(fused.find((f) => f.id === 'c')!.vector);
    assert.ok(fuseReciprocalRank([keyword, semantic]).find((f) => f.id === 'c')!.vector);
  });

  test('k and weights change the outcome; a repeated item counts its best rank once', () => {
    const one = [item('a', 1), item('b', 1)];
    const two = [item('b', 1), item('c', 1), item('a', 1)];
    assert.equal(fuseReciprocalRank([one, two])[0].id, 'b');
    assert.equal(fuseReciprocalRank([one, two], { weights: [3, 1] })[0].id, 'a');
    const k0 = fuseReciprocalRank([one, two], { k: 0 });
    assert.equal(k0.find((f) => f.id === 'a')!.score, 1 + 1 / 3);
    const dup = fuseReciprocalRank([[item('x', 1), item('x', 1), item('y', 1)]], { k: 0 });
    assert.deepEqual(
      dup.map((d) => [d.id, d.score]),
      [
        ['x', 1],
        ['y', 1 / 2],
      ],
    );
  });

  test('empty input, and bad options are ValidationExceptions', () => {
    assert.deepEqual(fuseReciprocalRank([]), []);
    assert.deepEqual(fuseReciprocalRank([[], []]), []);
    for (const options of [{ k: -1 }, { k: Number.NaN }, { weights: [1] }, { weights: [1, -1] }, { weights: [1, Number.POSITIVE_INFINITY] }]) {
      assert.throws(
        () => fuseReciprocalRank([[item('a', 1)], [item('b', 1)]], options),
        (e: unknown) => QuarryError.isInstance(e) && e.code === 'ValidationException',
      );
    }
  });
});

describe('fuseWeighted', () => {
  test('normalises each list to [0, 1] before weighting, so scales do not matter', () => {
    const semantic = [item('a', 0.91), item('b', 0.9), item('c', 0.5)];
    const keyword = [item('c', 40), item('b', 30), item('d', 0)];
    const fused = fuseWeighted([semantic, keyword], [1, 1]);
    const score = Object.fromEntries(fused.map((f) => [f.id, f.score]));
    assert.ok(Math.abs(score.a - 1) < 1e-12);
    assert.ok(Math.abs(score.b - ((0.9 - 0.5) / 0.41 + 30 / 40)) < 1e-12);
    assert.ok(Math.abs(score.c - 1) < 1e-12);
    assert.equal(score.d, 0);
    assert.equal(fused[0].id, 'b');
    // Keyword-only weighting ranks by keyword.
    assert.deepEqual(
      fuseWeighted([semantic, keyword], [0, 1])
        .slice(0, 2)
        .map((f) => f.id),
      ['c', 'b'],
    );
  });

  test('a list of equal scores normalises to 1; a missing weight is refused', () => {
    const fused = fuseWeighted([[item('a', 5), item('b', 5)], []], [0.5, 0.5]);
    assert.deepEqual(
      fused.map((f) => f.score),
      [0.5, 0.5],
    );
    assert.throws(() => fuseWeighted([[item('a', 1)], [item('b', 1)]], [1]), /one weight per result list/);
  });
});
