import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { QuarryError, validation } from '../../core/index.js';
import type { Store } from '../database.js';
import type { Job, JobWorker } from './job-queue.js';
import { JobLeaseLostError } from './job-lease-lost-error.js';
import { StoreJobQueue } from './store-job-queue.js';
import { createTestDatabase, skipReason, type TestDatabase, testDialects } from './test-stores.js';

// Short leases and polls keep the suite fast; the logic does not depend on the durations.
const LEASE = 300;
const POLL = 20;
const fast = { leaseMs: LEASE, pollMs: POLL };

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const aborted = (signal: AbortSignal) => new Promise<unknown>((resolve) => signal.addEventListener('abort', () => resolve(signal.reason), { once: true }));

for (const dialect of testDialects) {
  describe(`StoreJobQueue on ${dialect}`, { skip: skipReason(dialect) }, () => {
    const dir = mkdtempSync(join(tmpdir(), `quarry-jobs-${dialect}-`));
    let db: TestDatabase;
    let store: Store;
    let other: Store;
    const workers: JobWorker[] = [];
    const work = (w: JobWorker) => {
      workers.push(w);
      return w;
    };
    // Each test uses its own job types, so one database serves the whole suite.
    let seq = 0;
    const t = (name: string) => `${name}-${seq++}`;

    before(async () => {
      db = await createTestDatabase(dialect, dir);
      store = await db.connect();
      other = await db.connect();
    });
    after(async () => {
      await Promise.all(workers.map((w) => w.stop()));
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    test('enqueue, claim, progress and complete', async () => {
      const q = new StoreJobQueue(store);
      const type = t('ingest');
      const job = await q.enqueue(type, { doc: 'a.pdf', n: 3 }, { scope: 'acct-1' });
      assert.equal(job.state, 'QUEUED');
      assert.equal(job.attempts, 0);
      assert.equal(job.maxAttempts, 3);
      assert.deepEqual(job.payload, { doc: 'a.pdf', n: 3 });
      assert.deepEqual(job.progress, {});
      assert.deepEqual(await q.get(job.id), job);

      const seen: Job[] = [];
      let running: Job | undefined;
      work(
        q.work<{ doc: string; n: number }>(
          type,
          async (j, ctx) => {
            seen.push(j);
            await ctx.heartbeat({ pages: 1 });
            running = await q.get(j.id);
            await ctx.heartbeat({ pages: 2 });
            return { chunks: j.payload.n * 2 };
          },
          fast,
        ),
      );
      const done = await waitFor('completion', async () => {
        const j = await q.get(job.id, 'acct-1');
        return j?.state === 'SUCCEEDED' && j;
      });
      assert.equal(seen.length, 1);
      assert.equal(seen[0]!.state, 'RUNNING');
      assert.equal(seen[0]!.attempts, 1);
      assert.equal(running!.state, 'RUNNING');
      assert.deepEqual(running!.progress, { pages: 1 });
      assert.deepEqual(done.result, { chunks: 6 });
      assert.deepEqual(done.progress, { pages: 2 });
      assert.equal(done.attempts, 1);
      assert.equal(done.error, undefined);
      assert.ok(done.startedAt && done.finishedAt && done.finishedAt >= done.startedAt);
    });

    test('a job whose lease lapsed is resumed by another worker; the stale worker cannot complete it', async () => {
      const type = t('lapse');
      const a = new StoreJobQueue(store);
      // B's clock runs 10 s ahead, so A's lease looks lapsed to it: the same as A's process freezing for 10 s.
      const b = new StoreJobQueue(other, { now: () => new Date(Date.now() + 10_000) });
      const job = await a.enqueue(type, { big: true }, { scope: 's' });
      const gate = deferred();
      let aSignal: AbortSignal | undefined;
      let aDone = 0;
      let bDone = 0;
      work(
        a.work(
          type,
          async (_j, ctx) => {
            aSignal = ctx.signal;
            await ctx.heartbeat({ checkpoint: 5 });
            await gate.promise; // a stalled worker, deaf to its signal
            aDone++;
            return 'from A';
          },
          fast,
        ),
      );
      await waitFor('A to checkpoint', async () => (await a.get(job.id))?.progress.checkpoint === 5);
      let resumedFrom: unknown;
      work(
        b.work(
          type,
          async (j) => {
            resumedFrom = j.progress.checkpoint;
            bDone++;
            return 'from B';
          },
          fast,
        ),
      );
      const done = await waitFor('B to complete', async () => {
        const j = await a.get(job.id);
        return j?.state === 'SUCCEEDED' && j;
      });
      assert.equal(resumedFrom, 5, 'B resumes from the checkpoint A stored');
      assert.equal(done.attempts, 2);
      // A notices at its next heartbeat or poll that the job is no longer its own.
      const reason = await waitFor('A to be aborted', () => aSignal?.aborted && aSignal.reason);
      assert.ok(reason instanceof JobLeaseLostError && reason.reason === 'lost');
      gate.resolve();
      await waitFor('A to return', () => aDone === 1);
      await sleep(50);
      const final = await a.get(job.id);
      assert.equal(final!.state, 'SUCCEEDED');
      assert.equal(final!.result, 'from B', "the stale worker's completion was ignored");
      assert.equal(bDone, 1);
    });

    test('a heartbeat after the lease was lost throws and aborts the signal', async () => {
      const type = t('hb');
      const a = new StoreJobQueue(store);
      const b = new StoreJobQueue(other, { now: () => new Date(Date.now() + 120_000) });
      const job = await a.enqueue(type, null, { scope: 's' });
      const stolen = deferred();
      const outcome = deferred<unknown>();
      // A long lease so A's own automatic heartbeat and polls do not get there first.
      work(
        a.work(
          type,
          async (_j, ctx) => {
            await stolen.promise;
            try {
              await ctx.heartbeat({ late: true });
              outcome.resolve('no error');
            } catch (e) {
              outcome.resolve(e);
            }
            assert.ok(ctx.signal.aborted);
            await assert.rejects(ctx.heartbeat(), JobLeaseLostError);
            return 'stale';
          },
          { leaseMs: 60_000, pollMs: 60_000 },
        ),
      );
      await waitFor('A to claim', async () => (await a.get(job.id))?.state === 'RUNNING');
      const bWorker = work(b.work(type, async () => 'B', fast));
      await waitFor('B to finish', async () => (await a.get(job.id))?.state === 'SUCCEEDED');
      await bWorker.stop();
      stolen.resolve();
      const e = await outcome.promise;
      assert.ok(e instanceof JobLeaseLostError, `heartbeat threw ${String(e)}`);
      assert.match((e as Error).message, /lost its lease/);
      await sleep(50);
      const final = await a.get(job.id);
      assert.equal(final!.result, 'B');
      assert.equal(final!.progress.late, undefined, 'the lost heartbeat stored nothing');
    });

    test('failures are retried with growing backoff, then the job fails with the last error', async () => {
      const q = new StoreJobQueue(store, { backoff: { baseMs: 60, maxMs: 1000 } });
      const flaky = t('flaky');
      const times: number[] = [];
      const job = await q.enqueue(flaky, {}, { scope: 's', maxAttempts: 4 });
      work(
        q.work(
          flaky,
          async (j) => {
            times.push(Date.now());
            if (j.attempts < 3) throw new Error(`upstream down (${j.attempts})`);
            return 'ok';
          },
          { ...fast, pollMs: 5 },
        ),
      );
      const done = await waitFor('the flaky job', async () => {
        const j = await q.get(job.id);
        return j?.state === 'SUCCEEDED' && j;
      });
      assert.equal(done.attempts, 3);
      assert.equal(done.error, undefined, 'success clears the last error');
      assert.equal(times.length, 3);
      // Equal jitter: the n-th retry waits between half and all of base * 2^(n-1).
      assert.ok(times[1]! - times[0]! >= 30 - 5, `first retry after ${times[1]! - times[0]!} ms`);
      assert.ok(times[2]! - times[1]! >= 60 - 5, `second retry after ${times[2]! - times[1]!} ms`);

      const doomed = t('doomed');
      const slow = new StoreJobQueue(store, { backoff: { baseMs: 400, maxMs: 400 } });
      const errorsSeen: (string | undefined)[] = [];
      const bad = await slow.enqueue(doomed, {}, { scope: 's', maxAttempts: 2 });
      work(
        slow.work(
          doomed,
          async (j) => {
            errorsSeen.push(j.error);
            throw new Error(`broken document ${j.attempts}`);
          },
          { ...fast, pollMs: 5 },
        ),
      );
      const waiting = await waitFor('the retry to be scheduled', async () => {
        const j = await slow.get(bad.id);
        return j?.state === 'QUEUED' && j.attempts === 1 && j;
      });
      assert.equal(waiting.error, 'broken document 1', 'between attempts the job waits with the error of the attempt that failed');
      const failed = await waitFor('the doomed job', async () => {
        const j = await slow.get(bad.id);
        return j?.state === 'FAILED' && j;
      });
      assert.deepEqual(errorsSeen, [undefined, 'broken document 1'], 'the handler sees the previous error');
      assert.equal(failed.attempts, 2);
      assert.equal(failed.error, 'broken document 2');
      assert.ok(failed.finishedAt);
    });

    test('a non-retryable error fails the job at once; odd throws and bad results fail it clearly', async () => {
      const q = new StoreJobQueue(store, { backoff: { baseMs: 5, maxMs: 5 } });
      const type = t('corrupt');
      const calls = new Map<string, number>();
      const handler = async (j: Job<{ kind: string }>) => {
        calls.set(j.id, (calls.get(j.id) ?? 0) + 1);
        switch (j.payload.kind) {
          case 'invalid':
            throw validation('The document is not a PDF');
          case 'string':
            throw 'plain string';
          case 'bigint':
            return { n: 10n };
          default:
            return undefined;
        }
      };
      const ids = {
        invalid: (await q.enqueue(type, { kind: 'invalid' }, { scope: 's', maxAttempts: 5 })).id,
        string: (await q.enqueue(type, { kind: 'string' }, { scope: 's', maxAttempts: 2 })).id,
        bigint: (await q.enqueue(type, { kind: 'bigint' }, { scope: 's', maxAttempts: 5 })).id,
        nothing: (await q.enqueue(type, { kind: 'nothing' }, { scope: 's' })).id,
      };
      work(q.work(type, handler, { ...fast, concurrency: 4 }));
      const final = async (id: string) =>
        waitFor(`job ${id}`, async () => {
          const j = await q.get(id);
          return j && ['SUCCEEDED', 'FAILED'].includes(j.state) && j;
        });
      const invalid = await final(ids.invalid);
      assert.equal(invalid.state, 'FAILED');
      assert.equal(invalid.error, 'The document is not a PDF');
      assert.equal(calls.get(ids.invalid), 1);
      const str = await final(ids.string);
      assert.equal(str.error, 'plain string');
      assert.equal(calls.get(ids.string), 2);
      const big = await final(ids.bigint);
      assert.equal(big.state, 'FAILED');
      assert.match(big.error!, /result must be JSON-serialisable/);
      const nothing = await final(ids.nothing);
      assert.equal(nothing.state, 'SUCCEEDED');
      assert.equal(nothing.result, null);
    });

    test('a job whose workers keep dying fails after maxAttempts lapsed leases', async () => {
      const type = t('killer');
      const a = new StoreJobQueue(store);
      const job = await a.enqueue(type, {}, { scope: 's', maxAttempts: 1 });
      const gate = deferred();
      work(a.work(type, () => gate.promise.then(() => 'late'), fast));
      await waitFor('A to claim', async () => (await a.get(job.id))?.state === 'RUNNING');
      let bCalls = 0;
      const b = new StoreJobQueue(other, { now: () => new Date(Date.now() + 10_000) });
      work(
        b.work(
          type,
          async () => {
            bCalls++;
          },
          fast,
        ),
      );
      const failed = await waitFor('the job to fail', async () => {
        const j = await a.get(job.id);
        return j?.state === 'FAILED' && j;
      });
      assert.match(failed.error!, /stopped heartbeating/);
      assert.equal(bCalls, 0, 'an exhausted job is not handed out again');
      gate.resolve();
      await sleep(50);
      assert.equal((await a.get(job.id))!.state, 'FAILED');
    });

    test('cancel: a queued job at once, a running one through its signal (same process and another)', async () => {
      const q = new StoreJobQueue(store);
      const remote = new StoreJobQueue(other);
      const type = t('cancel');
      const later = await q.enqueue(type, {}, { scope: 's', runAt: new Date(Date.now() + 60_000).toISOString() });
      const cancelled = await q.cancel(later.id, 's');
      assert.equal(cancelled!.state, 'CANCELLED');
      assert.ok(cancelled!.finishedAt);
      assert.equal((await q.cancel(later.id, 's'))!.state, 'CANCELLED', 'cancelling twice returns it unchanged');
      assert.equal(await q.cancel('no-such-job', 's'), undefined);

      const reasons = new Map<string, unknown>();
      const started = new Set<string>();
      work(
        q.work(
          type,
          async (j, ctx) => {
            started.add(j.id);
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

      let t0 = Date.now();
      assert.equal((await q.cancel(local.id, 's'))!.state, 'CANCELLED');
      const r1 = await waitFor('the local abort', () => reasons.get(local.id));
      assert.ok(Date.now() - t0 < 100, 'the same process aborts at once');
      assert.ok(r1 instanceof JobLeaseLostError && r1.reason === 'cancelled');

      t0 = Date.now();
      assert.equal((await remote.cancel(far.id, 's'))!.state, 'CANCELLED');
      const r2 = await waitFor('the remote abort', () => reasons.get(far.id));
      assert.ok(Date.now() - t0 < 1000, `another process's cancel is noticed within a poll (${Date.now() - t0} ms)`);
      assert.ok(r2 instanceof JobLeaseLostError && r2.reason === 'cancelled');
      await sleep(50);
      for (const id of [local.id, far.id]) {
        const j = await q.get(id);
        assert.equal(j!.state, 'CANCELLED', 'the handler returning afterwards changes nothing');
        assert.equal(j!.result, undefined);
      }
    });

    test('dedupe: concurrent enqueues of one key from two replicas give one job', async () => {
      const a = new StoreJobQueue(store);
      const b = new StoreJobQueue(other);
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
      const q = new StoreJobQueue(store);
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

    test('runAt defers a job; enqueueing wakes an idle worker of this process at once', async () => {
      const q = new StoreJobQueue(store);
      const type = t('timed');
      const ran = new Map<string, number>();
      work(
        q.work(
          type,
          async (j) => {
            ran.set(j.id, Date.now());
          },
          { leaseMs: LEASE, pollMs: 2000 },
        ),
      );
      await sleep(50); // let the worker go idle
      const t0 = Date.now();
      const now = await q.enqueue(type, {}, { scope: 's' });
      await waitFor('the wake-up', () => ran.has(now.id), 1500);
      assert.ok(ran.get(now.id)! - t0 < 1000, 'not left for the 2 s poll');

      const deferredJob = await q.enqueue(type, {}, { scope: 's', runAt: new Date(Date.now() + 400).toISOString() });
      await sleep(150);
      assert.equal((await q.get(deferredJob.id))!.state, 'QUEUED');
      // The worker sees it at its next poll after runAt (the poll is 2 s here).
      await waitFor('the deferred job', () => ran.has(deferredJob.id), 4000);
      assert.ok(ran.get(deferredJob.id)! >= new Date(deferredJob.createdAt).getTime() + 400);
    });

    test('stop() aborts handlers and hands their jobs back for another worker at once', async () => {
      const q = new StoreJobQueue(store);
      const type = t('stop');
      const job = await q.enqueue(type, {}, { scope: 's' });
      const started = deferred();
      let reason: unknown;
      const w = q.work(
        type,
        async (_j, ctx) => {
          started.resolve();
          reason = await aborted(ctx.signal);
          throw reason;
        },
        { leaseMs: 60_000, pollMs: POLL },
      );
      await started.promise;
      await w.stop();
      assert.ok(reason instanceof JobLeaseLostError && reason.reason === 'worker-stopping');
      const back = await q.get(job.id);
      assert.equal(back!.state, 'QUEUED');
      assert.equal(back!.attempts, 0, 'a deliberate stop does not use up an attempt');
      await w.stop(); // idempotent

      const t0 = Date.now();
      work(new StoreJobQueue(other).work(type, async () => 'second', fast));
      await waitFor('another worker to finish it', async () => (await q.get(job.id))?.state === 'SUCCEEDED');
      assert.ok(Date.now() - t0 < 1000, 'without waiting for a 60 s lease to lapse');
    });

    test('a handler deaf to stop() is abandoned after one lease, and its late result ignored', async () => {
      const q = new StoreJobQueue(store);
      const type = t('deaf');
      const job = await q.enqueue(type, {}, { scope: 's' });
      const gate = deferred();
      const started = deferred();
      const w = q.work(
        type,
        async () => {
          started.resolve();
          await gate.promise;
          return 'late';
        },
        fast,
      );
      await started.promise;
      const t0 = Date.now();
      await w.stop();
      assert.ok(Date.now() - t0 >= LEASE - 20 && Date.now() - t0 < LEASE + 1000);
      assert.equal((await q.get(job.id))!.state, 'QUEUED');
      gate.resolve();
      await sleep(50);
      assert.equal((await q.get(job.id))!.state, 'QUEUED');
    });

    test('200 jobs, 4 workers on 2 connections racing: each job completed exactly once', async () => {
      const type = t('race');
      const queues = [new StoreJobQueue(store), new StoreJobQueue(store), new StoreJobQueue(other), new StoreJobQueue(other)];
      const ids: string[] = [];
      for (let i = 0; i < 200; i += 50) {
        const batch = await Promise.all(Array.from({ length: 50 }, (_, k) => queues[k % 4]!.enqueue(type, { i: i + k }, { scope: 's' })));
        ids.push(...batch.map((j) => j.id));
      }
      const completions = new Map<string, number>();
      const t0 = Date.now();
      const ws = queues.map((q) =>
        q.work(
          type,
          async (j) => {
            await sleep(Math.random() * 3);
            completions.set(j.id, (completions.get(j.id) ?? 0) + 1);
            return j.payload;
          },
          { leaseMs: 5000, pollMs: POLL, concurrency: 4 },
        ),
      );
      workers.push(...ws);
      await waitFor('all 200', async () => (await queues[0]!.list({ scope: 's', type, states: ['SUCCEEDED'], limit: 500 })).length === 200, 20_000);
      const elapsed = Date.now() - t0;
      await Promise.all(ws.map((w) => w.stop()));
      assert.equal(completions.size, 200);
      assert.deepEqual(
        [...completions.values()].filter((n) => n !== 1),
        [],
        'no job ran twice',
      );
      const jobs = await queues[0]!.list({ scope: 's', type, limit: 500 });
      assert.ok(jobs.every((j) => j.attempts === 1 && j.state === 'SUCCEEDED'));
      assert.ok(elapsed < 15_000, `took ${elapsed} ms`);
    });

    test('bad input is refused with clear validation errors', async () => {
      const q = new StoreJobQueue(store);
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
}
