import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConverseRequest } from '../core/index.js';
import { model } from '../../test/routing/fake-provider.js';
import { parseCacheDirective } from './cache-directive.js';
import { ExactResponseCache } from './exact-response-cache.js';
import { LruResponseCacheStore } from './lru-response-cache-store.js';
import type { CachedAnswer, ResponseCacheStore } from './response-cache-store.js';
import { responseCacheConfigSchema } from './routing-config.js';

const req = (temperature?: number): ConverseRequest => ({
  modelId: 'm',
  messages: [{ role: 'user', content: [{ text: 'hi' }] }],
  ...(temperature === undefined ? {} : { inferenceConfig: { temperature } }),
});
const who = { principalId: 'p1', accountId: 'acct-1' };
const answer = (size = 100): CachedAnswer => ({ model: model('m'), usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, size });
const cache = (over: Record<string, unknown> = {}, store: ResponseCacheStore = new LruResponseCacheStore(100, 1e6)) =>
  new ExactResponseCache(store, responseCacheConfigSchema.parse(over));

test('only temperature 0 is cached by default; `on` opts in at any temperature; `off` opts out', () => {
  const c = cache();
  assert.ok(c.keyFor(req(0), 'default', who));
  assert.equal(c.keyFor(req(0.7), 'default', who), undefined);
  assert.equal(c.keyFor(req(), 'default', who), undefined, 'no temperature means the provider’s default, which samples');
  assert.ok(c.keyFor(req(0.7), 'on', who));
  assert.equal(c.keyFor(req(0), 'off', who), undefined);
  assert.ok(c.keyFor(req(0), 'bypass', who), 'bypass still stores');
});

test('the header values', () => {
  assert.equal(parseCacheDirective(undefined), 'default');
  assert.equal(parseCacheDirective(' OFF '), 'off');
  assert.equal(parseCacheDirective('bypass'), 'bypass');
  assert.equal(parseCacheDirective('on'), 'on');
  assert.equal(parseCacheDirective('maybe'), 'default');
  assert.equal(parseCacheDirective('x'.repeat(10_000)), 'default');
});

test('bypass skips the lookup but the fresh answer is saved; hits and misses are counted', async () => {
  const c = cache();
  const key = c.keyFor(req(0), 'default', who)!;
  assert.equal(await c.lookup(key, 'default'), undefined);
  await c.save(key, answer(), 'end_turn');
  assert.ok(await c.lookup(key, 'default'));
  assert.equal(await c.lookup(key, 'bypass'), undefined);
  c.recordSaving(0.25);
  assert.deepEqual(c.stats(), { hits: 1, misses: 1, stores: 1, savedUsd: 0.25 });
});

test('answers cut short by a filter or guardrail are not kept', async () => {
  const c = cache();
  const key = c.keyFor(req(0), 'default', who)!;
  await c.save(key, answer(), 'content_filtered');
  await c.save(key, answer(), 'guardrail_intervened');
  assert.equal(await c.lookup(key, 'default'), undefined);
});

test('scope: accounts do not share entries by default; principals only when asked; global shares all', () => {
  const other = { principalId: 'p2', accountId: 'acct-2' };
  const sameAccount = { principalId: 'p3', accountId: 'acct-1' };
  const byAccount = cache();
  assert.notEqual(byAccount.keyFor(req(0), 'default', who), byAccount.keyFor(req(0), 'default', other));
  assert.equal(byAccount.keyFor(req(0), 'default', who), byAccount.keyFor(req(0), 'default', sameAccount));
  const byPrincipal = cache({ scope: 'principal' });
  assert.notEqual(byPrincipal.keyFor(req(0), 'default', who), byPrincipal.keyFor(req(0), 'default', sameAccount));
  const global = cache({ scope: 'global' });
  assert.equal(global.keyFor(req(0), 'default', who), global.keyFor(req(0), 'default', other));
});

test('a store that fails costs hits, not answers', async () => {
  const broken: ResponseCacheStore = {
    get: () => Promise.reject(new Error('redis down')),
    set: () => Promise.reject(new Error('redis down')),
    delete: () => Promise.reject(new Error('redis down')),
  };
  const c = cache({}, broken);
  const key = c.keyFor(req(0), 'default', who)!;
  assert.equal(await c.lookup(key, 'default'), undefined);
  await c.save(key, answer(), 'end_turn');
});

test('LRU store: TTL, least recently used out first, byte bound, oversize entries refused', async () => {
  let t = 0;
  const s = new LruResponseCacheStore(2, 250, () => t);
  await s.set('a', answer(), 1000);
  await s.set('b', answer(), 1000);
  assert.ok(await s.get('a')); // a is now the most recent
  await s.set('c', answer(), 1000);
  assert.equal(await s.get('b'), undefined, 'b was least recently used');
  assert.ok(await s.get('a'));
  assert.equal(s.size, 2);
  t = 1000;
  assert.equal(await s.get('a'), undefined, 'expired');
  assert.equal(s.size, 1);
  await s.set('big', answer(300), 1000);
  assert.equal(await s.get('big'), undefined);
  await s.set('d', answer(200), 5000);
  assert.equal(s.sizeBytes, 200, 'c (100 bytes) made room for d');
  assert.ok(await s.get('d'));
  await s.set('d', answer(10), 5000);
  assert.deepEqual([s.size, s.sizeBytes], [1, 10], 'replacing an entry replaces its size');
  await s.delete('d');
  await s.delete('nothing');
});
