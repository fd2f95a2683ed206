import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AttachedPolicyCache, type StoredPolicy } from './attached-policy-cache.js';

const doc = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

test('a load that started before a change does not cache its stale answer', async () => {
  const gate = deferred<StoredPolicy[]>();
  let calls = 0;
  const cache = new AttachedPolicyCache(async () => {
    calls++;
    return calls === 1 ? gate.promise : [{ id: 'p1', name: 'fresh', document: doc('bedrock:InvokeModel') }];
  });
  const stale = cache.get('u1');
  cache.invalidate();
  gate.resolve([]);
  assert.deepEqual(await stale, []);
  assert.deepEqual((await cache.get('u1')).map((p) => p.id), ['fresh'], 'the stale answer was not cached');
  assert.equal(calls, 2);
});

test('concurrent requests share one load; the TTL ends the entry; unchanged documents keep their objects', async () => {
  let now = 1_000;
  let calls = 0;
  let text = doc('bedrock:InvokeModel');
  const cache = new AttachedPolicyCache(
    async () => {
      calls++;
      return [{ id: 'p1', name: 'one', document: text }];
    },
    () => now,
    5_000,
  );
  const [a, b, c] = await Promise.all([cache.get('u'), cache.get('u'), cache.get('u')]);
  assert.equal(calls, 1);
  assert.ok(a === b && b === c);
  now += 4_999;
  assert.equal(await cache.get('u'), a);
  now += 1;
  const reloaded = await cache.get('u');
  assert.equal(calls, 2);
  assert.equal(reloaded[0], a[0], 'same text, same object: the evaluator does not compile it again');
  text = doc('bedrock:Retrieve');
  now += 5_000;
  assert.notEqual((await cache.get('u'))[0], a[0]);
});

test('a stored policy that no longer validates denies (fails closed) instead of being skipped', async () => {
  const cache = new AttachedPolicyCache(async () => [{ id: 'p1', name: 'rotten', document: '{"Version":"2012-10-17","Statement":{"Effect":"Deny"}}' }]);
  await assert.rejects(cache.get('u'), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'AccessDeniedException');
    assert.match(e.message, /rotten .*no longer validates/);
    return true;
  });
  const garbage = new AttachedPolicyCache(async () => [{ id: 'p2', name: 'garbage', document: 'not json' }]);
  await assert.rejects(garbage.get('u'), /garbage/);
});
