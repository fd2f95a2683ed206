import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyPrefix } from './key-prefix.js';

test('a key prefix is its first characters, whatever length was asked before', () => {
  assert.equal(keyPrefix('diagnose', 6), 'diagno');
  assert.equal(keyPrefix('diagnose', 6), 'diagno');
  assert.equal(keyPrefix('diagnose', 4), 'diag');
  assert.equal(keyPrefix('diagnose', 6), 'diagno');
  assert.equal(keyPrefix('abc', 6), 'abc');
});
