import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuarryError } from '../../core/index.js';
import { SequencePool } from './sequence-pool.js';

const live = new AbortController().signal;

test('takes the free item worth most, ties going to the least recently used', async () => {
  const pool = new SequencePool(['a', 'b', 'c']);
  const values: Record<string, number> = { a: 1, b: 5, c: 5 };
  const first = await pool.acquire((x) => values[x], live);
  assert.equal(first.item, 'b');
  first.release();
  // b was just used, c never: c wins the tie.
  const second = await pool.acquire((x) => values[x], live);
  assert.equal(second.item, 'c');
  assert.equal(pool.idle, 2);
});

test('waits in FIFO order when all are busy, and a release hands the item straight on', async () => {
  const pool = new SequencePool(['only']);
  const held = await pool.acquire(() => 0, live);
  const order: number[] = [];
  const waiting = [1, 2, 3].map((n) =>
    pool.acquire(() => 0, live).then((lease) => {
      order.push(n);
      return lease;
    }),
  );
  assert.equal(pool.queued, 3);
  held.release();
  held.release(); // a second release is a no-op, not a double hand-over
  const l1 = await waiting[0];
  assert.equal(pool.queued, 2);
  l1.release();
  (await waiting[1]).release();
  (await waiting[2]).release();
  assert.deepEqual(order, [1, 2, 3]);
  assert.equal(pool.idle, 1);
});

test('an aborted waiter leaves the queue at once', async () => {
  const pool = new SequencePool(['only']);
  const held = await pool.acquire(() => 0, live);
  const abort = new AbortController();
  const gone = pool.acquire(() => 0, abort.signal);
  const next = pool.acquire(() => 0, live);
  abort.abort(new Error('client went away'));
  await assert.rejects(gone, /client went away/);
  assert.equal(pool.queued, 1);
  held.release();
  assert.equal((await next).item, 'only');
  await assert.rejects(pool.acquire(() => 0, AbortSignal.abort(new Error('already'))), /already/);
});

test('close rejects the queue as unavailable', async () => {
  const pool = new SequencePool(['only']);
  const held = await pool.acquire(() => 0, live);
  const waiting = pool.acquire(() => 0, live);
  pool.close();
  await assert.rejects(waiting, (e) => QuarryError.isInstance(e) && e.code === 'ServiceUnavailableException');
  await assert.rejects(pool.acquire(() => 0, live), (e) => QuarryError.isInstance(e) && e.code === 'ServiceUnavailableException');
  held.release();
});

test('among equally worth items, one marked to keep is taken last, whatever its age', async () => {
  const kept = new Set(['a']);
  const pool = new SequencePool(['a', 'b', 'c'], (x) => kept.has(x));
  // a is the least recently used, but it is kept: the tie goes to b, then c, and only then to a.
  const taken = [];
  for (let i = 0; i < 3; i++) taken.push(await pool.acquire(() => 0, live));
  assert.deepEqual(
    taken.map((l) => l.item),
    ['b', 'c', 'a'],
  );
  for (const l of taken) l.release();
  // Worth still comes first: a request that values the kept item gets it.
  const wanted = await pool.acquire((x) => (x === 'a' ? 1 : 0), live);
  assert.equal(wanted.item, 'a');
});
