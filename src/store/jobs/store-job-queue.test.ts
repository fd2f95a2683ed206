import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { validation } from '../../core/index.js';
import type { Job } from './job-queue.js';
import { aborted, deferred, describeOnEachDialect, fast, LEASE, POLL, waitFor } from './job-queue-test-kit.js';
import { JobLeaseLostError } from './job-lease-lost-error.js';
import { StoreJobQueue } from './store-job-queue.js';

describeOnEachDialect('StoreJobQueue leases, retries and workers', (s) => {
  const { work, t } = s;
  test('enqueue, claim, progress and complete', async () => {
    const q = new StoreJobQueue(s.store);
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
    const a = new StoreJobQueue(s.store);
    // B's clock runs 10 s ahead, so A's lease looks lapsed to it: the same as A's process freezing for 10 s.
    const b = new StoreJobQueue(s.other, { now: () => new Date(Date.now() + 10_000) });
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
    const a = new StoreJobQueue(s.store);
    const b = new StoreJobQueue(s.other, { now: () => new Date(Date.now() + 120_000) });
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

  test('fenced writes commit while the lease is held and leave nothing once it is lost; Job.worker names the claimer', async () => {
    const type = t('fence');
    const table = `fence_probe_${type.replace(/\W/g, '_')}`;
    await s.store.db.schema.createTable(table).addColumn('v', 'text').execute();
    const probe = async () => (await sql<{ v: string }>`select v from ${sql.table(table)} order by v`.execute(s.store.db)).rows.map((r) => r.v);
    const a = new StoreJobQueue(s.store, { workerId: 'replica-a' });
    const b = new StoreJobQueue(s.other, { workerId: 'replica-b', now: () => new Date(Date.now() + 120_000) });
    const job = await a.enqueue(type, null, { scope: 's' });
    const stolen = deferred();
    const outcome = deferred<unknown>();
    let abortedAfter = false;
    work(
      a.work(
        type,
        async (_j, ctx) => {
          await ctx.fenced((trx) => sql`insert into ${sql.table(table)} (v) values ('a-held')`.execute(trx));
          await stolen.promise;
          try {
            await ctx.fenced((trx) => sql`insert into ${sql.table(table)} (v) values ('a-stale')`.execute(trx));
            outcome.resolve('no error');
          } catch (e) {
            outcome.resolve(e);
          }
          abortedAfter = ctx.signal.aborted;
          return 'stale';
        },
        { leaseMs: 60_000, pollMs: 60_000 },
      ),
    );
    const running = await waitFor('A to claim', async () => {
      const j = await a.get(job.id);
      return j?.state === 'RUNNING' && j;
    });
    assert.equal(running.worker, 'replica-a');
    await waitFor('A to write under its lease', async () => (await probe()).length === 1);
    const bWorker = work(b.work(type, async () => 'B', fast));
    const done = await waitFor('B to finish', async () => {
      const j = await a.get(job.id);
      return j?.state === 'SUCCEEDED' && j;
    });
    assert.equal(done.worker, 'replica-b', 'the job records who finished it');
    await bWorker.stop();
    stolen.resolve();
    const e = await outcome.promise;
    assert.ok(e instanceof JobLeaseLostError && e.reason === 'lost', `the stale fenced write threw ${String(e)}`);
    assert.ok(abortedAfter, 'losing the lease in a fenced write aborts the handler');
    assert.deepEqual(await probe(), ['a-held'], 'nothing of the stale write was committed');
    assert.equal((await a.get(job.id))!.result, 'B');
  });

  test('failures are retried with growing backoff, then the job fails with the last error', async () => {
    const q = new StoreJobQueue(s.store, { backoff: { baseMs: 60, maxMs: 1000 } });
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
    const slow = new StoreJobQueue(s.store, { backoff: { baseMs: 400, maxMs: 400 } });
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
    const q = new StoreJobQueue(s.store, { backoff: { baseMs: 5, maxMs: 5 } });
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
    const a = new StoreJobQueue(s.store);
    const job = await a.enqueue(type, {}, { scope: 's', maxAttempts: 1 });
    const gate = deferred();
    work(a.work(type, () => gate.promise.then(() => 'late'), fast));
    await waitFor('A to claim', async () => (await a.get(job.id))?.state === 'RUNNING');
    let bCalls = 0;
    const b = new StoreJobQueue(s.other, { now: () => new Date(Date.now() + 10_000) });
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

  test('stop() aborts handlers and hands their jobs back for another worker at once', async () => {
    const q = new StoreJobQueue(s.store);
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
    work(new StoreJobQueue(s.other).work(type, async () => 'second', fast));
    await waitFor('another worker to finish it', async () => (await q.get(job.id))?.state === 'SUCCEEDED');
    assert.ok(Date.now() - t0 < 10_000, 'without waiting for a 60 s lease to lapse');
  });

  test('a handler deaf to stop() is abandoned after one lease, and its late result ignored', async () => {
    const q = new StoreJobQueue(s.store);
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
    const waited = Date.now() - t0;
    assert.ok(waited >= LEASE - 20 && waited < LEASE + 5000, `stop waited ${waited} ms`);
    assert.equal((await q.get(job.id))!.state, 'QUEUED');
    gate.resolve();
    await sleep(50);
    assert.equal((await q.get(job.id))!.state, 'QUEUED');
  });

  test('200 jobs, 4 workers on 2 connections racing: each job completed exactly once', async () => {
    const type = t('race');
    const queues = [new StoreJobQueue(s.store), new StoreJobQueue(s.store), new StoreJobQueue(s.other), new StoreJobQueue(s.other)];
    const ids: string[] = [];
    for (let i = 0; i < 200; i += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, (_, k) => queues[k % 4]!.enqueue(type, { i: i + k }, { scope: 's' })));
      ids.push(...batch.map((j) => j.id));
    }
    const completions = new Map<string, number>();
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
    for (const w of ws) work(w);
    await waitFor('all 200', async () => (await queues[0]!.list({ scope: 's', type, states: ['SUCCEEDED'], limit: 500 })).length === 200, 20_000);
    await Promise.all(ws.map((w) => w.stop()));
    assert.equal(completions.size, 200);
    assert.deepEqual(
      [...completions.values()].filter((n) => n !== 1),
      [],
      'no job ran twice',
    );
    const jobs = await queues[0]!.list({ scope: 's', type, limit: 500 });
    assert.ok(jobs.every((j) => j.attempts === 1 && j.state === 'SUCCEEDED'));
  });
});
