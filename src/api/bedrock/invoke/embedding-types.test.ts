import assert from 'node:assert/strict';
import { test } from 'node:test';
import { l2Normalize, packedBits, signBits, toInt8, toUint8 } from './embedding-types.js';

test('l2Normalize gives unit length and leaves a zero vector alone', () => {
  assert.deepEqual(l2Normalize([3, 4]), [0.6, 0.8]);
  assert.deepEqual(l2Normalize([0, 0]), [0, 0]);
});

test('quantisation stays in range', () => {
  assert.deepEqual(toInt8([-1, -0.5, 0, 0.5, 1]), [-127, -63, 0, 64, 127]);
  assert.deepEqual(toUint8([-1, 0, 1]), [0, 128, 255]);
  assert.deepEqual(signBits([-0.1, 0, 0.2]), [0, 0, 1]);
});

test('packed bits are most-significant first, padded, and signed as ubinary - 128', () => {
  // 1,0,1,0,0,0,0,1 → 0b10100001 = 161; then a lone 1 → 0b10000000 = 128.
  const v = [1, -1, 1, -1, -1, -1, -1, 1, 1];
  assert.deepEqual(packedBits(v, false), [161, 128]);
  assert.deepEqual(packedBits(v, true), [33, 0]);
});
