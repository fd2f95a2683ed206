import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSidecar } from './sidecar.js';

test('sidecar names', () => {
  assert.ok(isSidecar('a.pdf.metadata.json'));
  assert.ok(isSidecar('dir/a.metadata.json'));
  assert.ok(!isSidecar('.metadata.json'));
  assert.ok(!isSidecar('a.json'));
  assert.ok(!isSidecar('a.metadata.json.bak'));
});
