// Runs in a process of its own: timeOrderedId keeps per-process state (the last time it issued), which this test sets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { timeOrderedId } from '../time-ordered-id.js';
import { retryDelayMs } from './retry-delay.js';

test('time-ordered ids are UUIDv7, strictly increasing within a process, even in one millisecond or a clock step back', () => {
  const ids = [timeOrderedId(1_000), ...Array.from({ length: 5000 }, () => timeOrderedId(2_000)), timeOrderedId(500), timeOrderedId(3_000)];
  for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i - 1]! < ids[i]!, `${ids[i - 1]} < ${ids[i]}`);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(Number.parseInt(ids.at(-1)!.replace('-', '').slice(0, 12), 16), 3_000);
});

test('retry delays double per failure, stay within [half, all] of the step and stop at the ceiling', () => {
  const backoff = { baseMs: 100, maxMs: 1000 };
  assert.deepEqual(
    [1, 2, 3, 4, 5, 50].map((n) => retryDelayMs(n, backoff, () => 0)),
    [50, 100, 200, 400, 500, 500],
  );
  assert.deepEqual(
    [1, 2, 3, 4, 5, 50].map((n) => retryDelayMs(n, backoff, () => 1)),
    [100, 200, 400, 800, 1000, 1000],
  );
  assert.equal(retryDelayMs(0, backoff, () => 1), 100);
  const spread = new Set(Array.from({ length: 50 }, () => retryDelayMs(3, backoff)));
  assert.ok(spread.size > 10, 'jitter spreads retries');
});
