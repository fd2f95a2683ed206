import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AbortLink, listenAbort, unlistenAbort } from './abort-link.js';
import { AfterResponse } from './after-response.js';

test('an AbortLink tells its listeners once, and a signal asked for before or after the abort follows it', () => {
  const link = new AbortLink();
  const early = link.signal;
  let told = 0;
  const l = { handleEvent: () => told++ };
  const removed = { handleEvent: () => assert.fail('an unlistened listener was called') };
  link.listen(l);
  link.listen(removed);
  link.unlisten(removed);
  const reason = new Error('gone');
  link.abort(reason);
  link.abort(new Error('again'));
  assert.equal(told, 1);
  assert.equal(link.aborted, true);
  assert.equal(link.reason, reason);
  assert.equal(early.aborted, true);
  assert.equal(early.reason, reason);
  const late = new AbortLink();
  late.abort(reason);
  assert.equal(late.signal.aborted, true);
  assert.equal(late.signal.reason, reason);
  // Listening after the abort never calls back: callers check `aborted` first.
  late.listen({ handleEvent: () => assert.fail('called after the abort') });
});

test('listenAbort and unlistenAbort take an AbortSignal as well as a link', () => {
  const ac = new AbortController();
  let told = 0;
  const l = { handleEvent: () => told++ };
  listenAbort(ac.signal, l);
  unlistenAbort(ac.signal, l);
  listenAbort(ac.signal, l);
  ac.abort();
  ac.abort();
  assert.equal(told, 1);
});

test('AfterResponse runs what was added at flush, in order, then anything added later at once; a throw is reported, not raised', () => {
  const errors: unknown[] = [];
  const after = new AfterResponse((e) => errors.push(e));
  const ran: string[] = [];
  after.add(() => ran.push('a'));
  after.add(() => {
    throw new Error('boom');
  });
  after.add(() => ran.push('b'));
  assert.equal(ran.length, 0);
  after.flush();
  assert.deepEqual(ran, ['a', 'b']);
  assert.equal((errors[0] as Error).message, 'boom');
  after.add(() => ran.push('c'));
  assert.deepEqual(ran, ['a', 'b', 'c']);
});
