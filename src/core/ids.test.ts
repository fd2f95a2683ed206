import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomBase62, randomHex } from './ids.js';

test('randomHex and randomBase62 give the asked length of the asked alphabet, without the UUID fixed digits', () => {
  for (const n of [1, 24, 30, 31, 64]) assert.match(randomHex(n), new RegExp(`^[0-9a-f]{${n}}$`));
  assert.match(randomBase62(22), /^[0-9A-Za-z]{22}$/);
  // Were the version digit kept, every 13th hex digit would be '4'.
  const digits = Array.from({ length: 400 }, () => randomHex(32)[12]);
  assert.ok(new Set(digits).size > 8);
});
