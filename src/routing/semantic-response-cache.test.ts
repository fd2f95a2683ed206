import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ConverseRequest, ModelInfo } from '../core/index.js';
import { LruResponseCacheStore } from './lru-response-cache-store.js';
import type { CachedAnswer } from './response-cache-store.js';
import { SemanticCacheIndex } from './semantic-cache-index.js';
import { SemanticResponseCache } from './semantic-response-cache.js';

/** Vectors chosen by the test: each prompt text maps to a fixed direction. */
const VECTORS: Record<string, number[]> = {
  'reset my password': [1, 0, 0],
  'how to reset password': [0.98, 0.2, 0],
  'capital of France': [0, 1, 0],
};
const embed = async (text: string) => {
  const v = VECTORS[text];
  if (!v) throw new Error(`no vector for ${text}`);
  return Float32Array.from(v);
};

const req = (text: string, extra: Partial<ConverseRequest> = {}): ConverseRequest => ({
  modelId: 'acme.chat-v1:0',
  messages: [{ role: 'user', content: [{ text }] }],
  inferenceConfig: { temperature: 0 },
  ...extra,
});
const answer = (text: string): CachedAnswer => ({
  model: { id: 'acme.chat-v1:0' } as ModelInfo,
  usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 },
  result: { message: { role: 'assistant', content: [{ text }] }, stopReason: 'end_turn', usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 } } as never,
  size: 10,
});
const signal = new AbortController().signal;
const config = { embeddingModel: 'e', threshold: 0.95, maxEntries: 100 };

async function cached(cache: SemanticResponseCache, store: LruResponseCacheStore, r: ConverseRequest, key: string, text: string, scope = 'a:1') {
  const probe = await cache.probe(r, scope, 'default', signal);
  assert.ok(probe && !probe.hit);
  await store.set(key, answer(text), 60_000);
  probe.remember(key);
}

describe('semantic response cache', () => {
  test('a close prompt hits, a distant one misses; the threshold decides', async () => {
    const store = new LruResponseCacheStore(100, 1 << 20);
    const cache = new SemanticResponseCache(store, config, embed);
    await cached(cache, store, req('reset my password'), 'k1', 'Use the reset link.');
    const near = await cache.probe(req('how to reset password'), 'a:1', 'default', signal);
    assert.equal((near!.hit!.result!.message.content[0] as { text: string }).text, 'Use the reset link.');
    assert.ok(near!.similarity! > 0.95);
    assert.equal((await cache.probe(req('capital of France'), 'a:1', 'default', signal))?.hit, undefined);
    const strict = new SemanticResponseCache(store, { ...config, threshold: 0.999 }, embed);
    await cached(strict, store, req('reset my password'), 'k1', 'Use the reset link.');
    assert.equal((await strict.probe(req('how to reset password'), 'a:1', 'default', signal))?.hit, undefined);
    assert.deepEqual(cache.stats(), { hits: 1, misses: 2, embedFailures: 0, feedFailures: 0, entries: 1 });
  });

  test('partitions: another scope, model, system prompt, history or parameters never match', async () => {
    const store = new LruResponseCacheStore(100, 1 << 20);
    const cache = new SemanticResponseCache(store, config, embed);
    await cached(cache, store, req('reset my password'), 'k1', 'Use the reset link.');
    const miss = async (r: ConverseRequest, scope = 'a:1') => assert.equal((await cache.probe(r, scope, 'default', signal))?.hit, undefined);
    await miss(req('how to reset password'), 'a:2');
    await miss(req('how to reset password', { modelId: 'acme.other-v1:0' }));
    await miss(req('how to reset password', { system: [{ text: 'Answer in French.' }] }));
    await miss(req('how to reset password', { inferenceConfig: { temperature: 0, maxTokens: 5 } }));
    await miss(
      req('how to reset password', {
        messages: [
          { role: 'user', content: [{ text: 'earlier' }] },
          { role: 'assistant', content: [{ text: 'reply' }] },
          { role: 'user', content: [{ text: 'how to reset password' }] },
        ],
      }),
    );
  });

  test('what it cannot compare is left alone: non-text prompts, embedding failures; bypass indexes without serving', async () => {
    const store = new LruResponseCacheStore(100, 1 << 20);
    const cache = new SemanticResponseCache(store, config, embed);
    const image = req('x', { messages: [{ role: 'user', content: [{ image: { format: 'png', source: { bytes: new Uint8Array([1]) } } }] }] as never });
    assert.equal(await cache.probe(image, 'a:1', 'default', signal), undefined);
    assert.equal(await cache.probe(req('no vector for this'), 'a:1', 'default', signal), undefined);
    assert.equal(cache.stats().embedFailures, 1);
    const bypass = await cache.probe(req('reset my password'), 'a:1', 'bypass', signal);
    await store.set('k1', answer('fresh'), 60_000);
    bypass!.remember('k1');
    assert.ok((await cache.probe(req('how to reset password'), 'a:1', 'default', signal))?.hit);
  });

  test('an entry whose answer left the store is dropped on the next lookup', async () => {
    const store = new LruResponseCacheStore(100, 1 << 20);
    const cache = new SemanticResponseCache(store, config, embed);
    await cached(cache, store, req('reset my password'), 'k1', 'Use the reset link.');
    await store.delete('k1');
    assert.equal((await cache.probe(req('how to reset password'), 'a:1', 'default', signal))?.hit, undefined);
    assert.equal(cache.stats().entries, 0);
  });

  test('the index is bounded, oldest out first', () => {
    const index = new SemanticCacheIndex(2);
    index.add('p', 'a', Float32Array.from([1, 0]));
    index.add('p', 'b', Float32Array.from([0, 1]));
    index.add('q', 'c', Float32Array.from([1, 1]));
    assert.equal(index.size, 2);
    assert.equal(index.nearest('p', Float32Array.from([1, 0]), 0.99), undefined, 'a was evicted');
    assert.equal(index.nearest('p', Float32Array.from([0, 2]), 0.99)?.key, 'b');
    assert.equal(index.nearest('q', Float32Array.from([2, 2]), 0.99)?.key, 'c');
  });
});
