import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryAfterMs } from './retry-after.js';

test('Retry-After as seconds, as an HTTP date, and OpenAI retry-after-ms, from fetch Headers or a plain object', () => {
  const now = Date.parse('2026-11-23T10:00:00Z');
  assert.equal(retryAfterMs({ 'retry-after': '7' }, now), 7000);
  assert.equal(retryAfterMs({ 'retry-after': '1.5' }, now), 1500);
  assert.equal(retryAfterMs(new Headers({ 'Retry-After': 'Mon, 23 Nov 2026 10:00:30 GMT' }), now), 30_000);
  assert.equal(retryAfterMs({ 'retry-after-ms': '250', 'retry-after': '1' }, now), 250, 'the finer one wins');
  assert.equal(retryAfterMs({ 'retry-after': 'Mon, 23 Nov 2026 09:59:00 GMT' }, now), 0, 'a date in the past: now');
});

test('absent, unreadable, negative or absurd values are ignored', () => {
  assert.equal(retryAfterMs(undefined), undefined);
  assert.equal(retryAfterMs({}), undefined);
  assert.equal(retryAfterMs({ 'retry-after': 'soon' }), undefined);
  assert.equal(retryAfterMs({ 'retry-after': '-5' }), undefined);
  assert.equal(retryAfterMs({ 'retry-after': '99999999' }), undefined, 'over an hour');
  assert.equal(retryAfterMs({ 'retry-after': ['3', '9'] }), 3000);
});
