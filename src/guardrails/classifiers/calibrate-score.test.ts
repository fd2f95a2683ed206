import assert from 'node:assert/strict';
import { test } from 'node:test';
import { calibrateScore, type LevelAnchors } from './calibrate-score.js';
import { LEVEL_CUTS } from './confidence-level.js';

const anchors: LevelAnchors = [-1, 0.5, 2];

test('anchors land on the level cut points', () => {
  assert.equal(calibrateScore(-1, anchors), LEVEL_CUTS.LOW);
  assert.equal(calibrateScore(0.5, anchors), LEVEL_CUTS.MEDIUM);
  assert.equal(calibrateScore(2, anchors), LEVEL_CUTS.HIGH);
});

test('monotone, in [0, 1), and total', () => {
  let previous = -1;
  for (let raw = -40; raw <= 40; raw += 0.01) {
    const c = calibrateScore(raw, anchors);
    assert.ok(c >= previous && c >= 0 && c < 1, `at ${raw}: ${c}`);
    previous = c;
  }
  assert.equal(calibrateScore(Number.NEGATIVE_INFINITY, anchors), 0);
  assert.ok(calibrateScore(Number.POSITIVE_INFINITY, anchors) < 1);
  assert.equal(calibrateScore(Number.NaN, anchors), 0);
});

test('equal anchors (an empty band) are handled', () => {
  const flat: LevelAnchors = [1, 1, 1];
  assert.equal(calibrateScore(0.99, flat) < LEVEL_CUTS.LOW, true);
  assert.ok(calibrateScore(1, flat) >= LEVEL_CUTS.HIGH);
});
