import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuarryError } from '../../core/errors.js';
import { CONFIDENCE_LEVELS, type ConfidenceLevel, confidenceLevel, type FilterStrength, filterStrengthBlocks } from './confidence-level.js';

test('confidence maps to levels at the cut points', () => {
  assert.equal(confidenceLevel(0), 'NONE');
  assert.equal(confidenceLevel(0.4999), 'NONE');
  assert.equal(confidenceLevel(0.5), 'LOW');
  assert.equal(confidenceLevel(0.6999), 'LOW');
  assert.equal(confidenceLevel(0.7), 'MEDIUM');
  assert.equal(confidenceLevel(0.9), 'HIGH');
  assert.equal(confidenceLevel(1), 'HIGH');
  assert.equal(confidenceLevel(Number.NaN), 'NONE');
});

test("filter strength blocks the levels Bedrock documents", () => {
  const expected: Record<FilterStrength, ConfidenceLevel[]> = {
    NONE: [],
    LOW: ['HIGH'],
    MEDIUM: ['MEDIUM', 'HIGH'],
    HIGH: ['LOW', 'MEDIUM', 'HIGH'],
  };
  for (const strength of CONFIDENCE_LEVELS) {
    for (const level of CONFIDENCE_LEVELS) {
      assert.equal(filterStrengthBlocks(strength, level), expected[strength].includes(level), `${strength} × ${level}`);
    }
  }
});

test('an unknown strength is a validation error', () => {
  assert.throws(
    () => filterStrengthBlocks('EXTREME' as FilterStrength, 'HIGH'),
    (e) => QuarryError.isInstance(e) && e.code === 'ValidationException',
  );
});
