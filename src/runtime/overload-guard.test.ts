import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { QuarryError } from '../core/index.js';
import type { AdmissionRequest } from './admission.js';
import { OverloadGuard } from './overload-guard.js';

function request(signal = new AbortController().signal): AdmissionRequest {
  return { ctx: { signal } as AdmissionRequest['ctx'], modelId: 'm', inputTokens: () => Promise.resolve(1) };
}

const limits = { maxConcurrentInvocations: 2, maxQueuedInvocations: 1, maxQueueWaitMs: 60_000 };

function isShed(e: unknown): boolean {
  return e instanceof QuarryError && e.code === 'ServiceUnavailableException' && (e.retryAfterMs ?? 0) > 0;
}

describe('overload guard', () => {
  test('runs up to the limit, queues up to the bound, sheds the rest with 503 and Retry-After', async () => {
    const g = new OverloadGuard(limits);
    const a = await g.admit(request());
    const b = await g.admit(request());
    let queuedAdmitted = false;
    const queued = g.admit(request()).then((s) => {
      queuedAdmitted = true;
      return s;
    });
    await assert.rejects(g.admit(request()), isShed);
    assert.deepEqual(g.stats(), { running: 2, queued: 1, shed: 1 });
    await new Promise((r) => setImmediate(r));
    assert.equal(queuedAdmitted, false, 'waits while both slots are taken');
    a.settle({ costUsd: 0, outcome: 'ok' });
    a.settle({ costUsd: 0, outcome: 'ok' }); // a second settle frees nothing more
    const c = await queued;
    assert.deepEqual(g.stats(), { running: 2, queued: 0, shed: 1 });
    b.settle({ costUsd: 0, outcome: 'ok' });
    c.settle({ costUsd: 0, outcome: 'ok' });
    assert.equal(g.stats().running, 0);
  });

  test('waiters are served in arrival order', async () => {
    const g = new OverloadGuard({ maxConcurrentInvocations: 1, maxQueuedInvocations: 5, maxQueueWaitMs: 60_000 });
    const first = await g.admit(request());
    const order: number[] = [];
    const waiters = [1, 2, 3].map((i) =>
      g.admit(request()).then((s) => {
        order.push(i);
        s.settle({ costUsd: 0, outcome: 'ok' });
      }),
    );
    first.settle({ costUsd: 0, outcome: 'ok' });
    await Promise.all(waiters);
    assert.deepEqual(order, [1, 2, 3]);
    assert.equal(g.stats().running, 0);
  });

  test('a waiter is shed after the queue wait; one whose client left gives up its place', async () => {
    const g = new OverloadGuard({ maxConcurrentInvocations: 1, maxQueuedInvocations: 5, maxQueueWaitMs: 30 });
    const held = await g.admit(request());
    await assert.rejects(g.admit(request()), (e) => isShed(e) && /Waited 30 ms/.test((e as Error).message));
    const ac = new AbortController();
    const leaving = g.admit(request(ac.signal));
    ac.abort();
    await assert.rejects(leaving);
    assert.equal(g.stats().queued, 0);
    held.settle({ costUsd: 0, outcome: 'ok' });
    assert.equal(g.stats().running, 0, 'the slot went back, not to a waiter that left');
  });

  test('drain refuses waiters and new requests, and resolves when the last admitted invocation ends', async () => {
    const g = new OverloadGuard({ maxConcurrentInvocations: 1, maxQueuedInvocations: 5, maxQueueWaitMs: 60_000 });
    const running = await g.admit(request());
    const waiting = g.admit(request());
    let drained = false;
    const done = g.drain().then(() => {
      drained = true;
    });
    await assert.rejects(waiting, (e) => isShed(e) && /shutting down/.test((e as Error).message));
    await assert.rejects(g.admit(request()), /shutting down/);
    await new Promise((r) => setImmediate(r));
    assert.equal(drained, false, 'still running one');
    running.settle({ costUsd: 0, outcome: 'ok' });
    await done;
    assert.equal(drained, true);
    await new OverloadGuard(limits).drain(); // nothing running: resolves at once
  });
});
