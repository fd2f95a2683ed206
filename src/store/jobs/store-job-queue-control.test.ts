import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { QuarryError } from '../../core/index.js';
import { aborted, deferred, describeOnEachDialect, fast, LEASE, waitFor } from './job-queue-test-kit.js';
import { JobLeaseLostError } from './job-lease-lost-error.js';
import { StoreJobQueue } from './store-job-queue.js';

describeOnEachDialect('StoreJobQueue cancel, dedupe, listing and input', (s) => {
  const { work, t } = s;
  test('cancel: a queued job at once, a running one through its signal (same process and another)', async () => {
    const q = new StoreJobQueue(s.store);
    const remote = new StoreJobQueue(s.other);
    const type = t('cancel');
    const later = await q.enqueue(type, {}, { scope: 's', runAt: new Date(Date.now() + 60_000).toISOString() });
    const cancelled = await q.cancel(later.id, 's');
    assert.equal(cancelled!.state, 'CANCELLED');
    assert.ok(cancelled!.finishedAt);
    assert.equal((await q.cancel(later.id, 's'))!.state, 'CANCELLED', 'cancelling twice returns it unchanged');
    assert.equal(await q.cancel('no-such-job', 's'), undefined);

    const reasons = new Map<string, unknown>();
    const started = new Map<string, AbortSignal>();
    work(
      q.work(
        type,
        async (j, ctx) => {
          started.set(j.id, ctx.signal);
          reasons.set(j.id, await aborted(ctx.signal));
          return 'finished anyway';
        },
        // A long lease: the cancellation must arrive through the poll or directly, not through a heartbeat.
        { leaseMs: 60_000, pollMs: 50, concurrency: 2 },
      ),
    );
    const local = await q.enqueue(type, {}, { scope: 's' });
    const far = await q.enqueue(type, {}, { scope: 's' });
    await waitFor('both to start', () => started.has(local.id) && started.has(far.id));
    assert.equal((await q.get(local.id))!.state, 'RUNNING');

    assert.equal((await q.cancel(local.id, 's'))!.state, 'CANCELLED');
    assert.ok(started.get(local.id)!.aborted, 'the same process aborts at once');
    const r1 = await waitFor('the local abort', () => reasons.get(local.id));
    assert.ok(r1 instanceof JobLeaseLostError && r1.reason === 'cancelled');

    const t0 = Date.now();
    assert.equal((await remote.cancel(far.id, 's'))!.state, 'CANCELLED');
    const r2 = await waitFor('the remote abort', () => reasons.get(far.id));
    // A 60 s lease heartbeats every 20 s: noticing within seconds means the poll's check found it.
    assert.ok(Date.now() - t0 < 5000, `another process's cancel is noticed within a poll (${Date.now() - t0} ms)`);
    assert.ok(r2 instanceof JobLeaseLostError && r2.reason === 'cancelled');
    await sleep(50);
    for (const id of [local.id, far.id]) {
      const j = await q.get(id);
      assert.equal(j!.state, 'CANCELLED', 'the handler returning afterwards changes nothing');
      assert.equal(j!.result, undefined);
    }
  });

  test('dedupe: concurrent enqueues of one key from two replicas give one job', async () => {
    const a = new StoreJobQueue(s.store);
    const b = new StoreJobQueue(s.other);
    const type = t('sync');
    const all = await Promise.all(
      Array.from({ length: 24 }, (_, i) => (i % 2 ? a : b).enqueue(type, { i }, { scope: 'acct', dedupeKey: 'kb-1/source-1' })),
    );
    const ids = new Set(all.map((j) => j.id));
    assert.equal(ids.size, 1, `one job, got ${ids.size}`);
    assert.equal((await a.list({ scope: 'acct', type })).length, 1);
    // Another scope's identical key is another tenant's job, never this one.
    const foreign = await a.enqueue(type, {}, { scope: 'acct-2', dedupeKey: 'kb-1/source-1' });
    assert.ok(!ids.has(foreign.id));
    // Without a key, or with another key, jobs are independent.
    assert.notEqual((await a.enqueue(type, {}, { scope: 'acct' })).id, all[0]!.id);
    assert.notEqual((await a.enqueue(type, {}, { scope: 'acct', dedupeKey: 'kb-1/source-2' })).id, all[0]!.id);

    // While it runs the key still dedupes; once finished, the key is free again.
    const gate = deferred();
    work(a.work(type, () => gate.promise, fast));
    await waitFor('it to run', async () => (await a.get(all[0]!.id))?.state === 'RUNNING');
    assert.equal((await b.enqueue(type, {}, { scope: 'acct', dedupeKey: 'kb-1/source-1' })).id, all[0]!.id);
    gate.resolve();
    await waitFor('it to finish', async () => (await a.get(all[0]!.id))?.state === 'SUCCEEDED');
    const again = await b.enqueue(type, {}, { scope: 'acct', dedupeKey: 'kb-1/source-1' });
    assert.notEqual(again.id, all[0]!.id);
    assert.equal(again.state, 'QUEUED');
  });

  test('scopes are isolated; listing filters and pages newest first', async () => {
    const q = new StoreJobQueue(s.store);
    const type = t('list');
    const mine: string[] = [];
    for (let i = 0; i < 7; i++) mine.push((await q.enqueue(type, { i }, { scope: 'tenant-a' })).id);
    const theirs = await q.enqueue(type, { secret: true }, { scope: 'tenant-b' });
    const otherType = await q.enqueue(t('list-other'), {}, { scope: 'tenant-a' });

    assert.equal(await q.get(theirs.id, 'tenant-a'), undefined);
    assert.equal(await q.cancel(theirs.id, 'tenant-a'), undefined);
    assert.equal((await q.get(theirs.id, 'tenant-b'))!.state, 'QUEUED', 'a cancel from another scope changed nothing');

    const pages: string[][] = [];
    let before: string | undefined;
    for (;;) {
      const page = await q.list({ scope: 'tenant-a', type, limit: 3, before });
      if (!page.length) break;
      pages.push(page.map((j) => j.id));
      before = page.at(-1)!.id;
    }
    assert.deepEqual(
      pages.map((p) => p.length),
      [3, 3, 1],
    );
    assert.deepEqual(pages.flat(), [...mine].reverse(), 'newest first, each job once');

    const all = await q.list({ scope: 'tenant-a' });
    assert.ok(all.some((j) => j.id === otherType.id));
    assert.ok(all.every((j) => j.scope === 'tenant-a'));
    await q.cancel(mine[0]!, 'tenant-a');
    assert.deepEqual(
      (await q.list({ scope: 'tenant-a', type, states: ['CANCELLED'] })).map((j) => j.id),
      [mine[0]],
    );
    assert.equal((await q.list({ scope: 'tenant-a', type, states: ['QUEUED', 'RUNNING'] })).length, 6);
    assert.deepEqual(await q.list({ scope: 'tenant-a', type, states: [] }), []);
    assert.deepEqual(await q.list({ scope: 'nobody' }), []);
  });

  test('enqueueing wakes an idle worker of this process at once', async () => {
    const q = new StoreJobQueue(s.store);
    const type = t('wake');
    const ran = new Map<string, number>();
    const record = async (j: { id: string }) => {
      ran.set(j.id, Date.now());
    };
    work(q.work(type, record, { leaseMs: LEASE, pollMs: 10_000 }));
    await sleep(100); // let the worker go idle
    const t0 = Date.now();
    const job = await q.enqueue(type, {}, { scope: 's' });
    await waitFor('the wake-up', () => ran.has(job.id), 5000);
    assert.ok(ran.get(job.id)! - t0 < 5000, 'not left for the 10 s poll');
  });

  test('runAt defers a job until its time', async () => {
    const q = new StoreJobQueue(s.store);
    const type = t('timed');
    const ran = new Map<string, number>();
    const record = async (j: { id: string }) => {
      ran.set(j.id, Date.now());
    };
    work(q.work(type, record, { leaseMs: LEASE, pollMs: 25 }));
    const later = await q.enqueue(type, {}, { scope: 's', runAt: new Date(Date.now() + 300).toISOString() });
    const past = await q.enqueue(type, {}, { scope: 's', runAt: '2001-01-01T00:00:00+02:00' });
    await waitFor('the job due already', () => ran.has(past.id));
    assert.equal(ran.has(later.id), false);
    assert.equal((await q.get(later.id))!.state, 'QUEUED');
    await waitFor('the deferred job', () => ran.has(later.id));
    assert.ok(ran.get(later.id)! >= new Date(later.createdAt).getTime() + 300);
  });

  test('bad input is refused with clear validation errors', async () => {
    const q = new StoreJobQueue(s.store);
    const isValidation = (pattern: RegExp) => (e: unknown) => {
      assert.ok(QuarryError.isInstance(e) && e.code === 'ValidationException', String(e));
      assert.match(e.message, pattern);
      return true;
    };
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await assert.rejects(q.enqueue('', {}, { scope: 's' }), isValidation(/type must not be empty/));
    await assert.rejects(q.enqueue('x', {}, { scope: '' }), isValidation(/scope must not be empty/));
    await assert.rejects(q.enqueue('x', {}, {} as never), isValidation(/scope/));
    await assert.rejects(q.enqueue('x\u0000y', {}, { scope: 's' }), isValidation(/control characters/));
    await assert.rejects(q.enqueue('x', {}, { scope: 's', maxAttempts: 0 }), isValidation(/maxAttempts/));
    await assert.rejects(q.enqueue('x', {}, { scope: 's', maxAttempts: 2.5 }), isValidation(/maxAttempts/));
    await assert.rejects(q.enqueue('x', {}, { scope: 's', runAt: 'tomorrow' }), isValidation(/runAt/));
    await assert.rejects(q.enqueue('x', { n: 1n }, { scope: 's' }), isValidation(/payload must be JSON-serialisable/));
    await assert.rejects(q.enqueue('x', circular, { scope: 's' }), isValidation(/payload must be JSON-serialisable/));
    await assert.rejects(q.enqueue('x', 'y'.repeat(1024 * 1024 + 1), { scope: 's' }), isValidation(/limit is 1048576/));
    await assert.rejects(q.list({ scope: 's', limit: 100_000 }), isValidation(/limit/));
    await assert.rejects(q.list({ scope: 's', states: ['DONE' as never] }), isValidation(/states/));
    assert.throws(() => q.work('x', async () => {}, { concurrency: 0 }), isValidation(/concurrency/));
    assert.throws(() => q.work('x', async () => {}, { leaseMs: 1 }), isValidation(/leaseMs/));
    assert.equal(await q.get(''), undefined);
    assert.equal(await q.get("' or 1=1 --"), undefined);
    assert.equal((await q.list({ scope: 's', type: 'x' })).length, 0, 'nothing was enqueued');

    // Oversized progress is the handler's error to see, and the job fails with it rather than crashing the worker.
    const type = t('bigprogress');
    const job = await q.enqueue(type, {}, { scope: 's', maxAttempts: 1 });
    work(q.work(type, async (_j, ctx) => ctx.heartbeat({ blob: 'z'.repeat(2 * 1024 * 1024) }), fast));
    const failed = await waitFor('the job to fail', async () => {
      const j = await q.get(job.id);
      return j?.state === 'FAILED' && j;
    });
    assert.match(failed.error!, /progress is \d+ bytes of JSON/);
  });
});
