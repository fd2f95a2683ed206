import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryVectorStoreFactory } from '../vector/memory-vector-store.js';
import { DEFAULT_FUSION, fuseHybrid, HYBRID_MIN_CANDIDATES, hybridSearch } from './hybrid-search.js';

const v = (...w: number[]) => Float32Array.from({ length: 4 }, (_, i) => w[i] ?? 0);

test('hybrid search: a chunk strong in both searches wins; filters and fusion options apply', async () => {
  const store = await new MemoryVectorStoreFactory().open({ indexId: 'hybrid', dimensions: 4 });
  await store.replaceDocument('d', [
    { id: 'semantic-only', text: 'unrelated words entirely', vector: v(1), metadata: { lang: 'en' }, location: { type: 'LOCAL', uri: 'a' } },
    { id: 'both', text: 'the otter swims with another otter', vector: v(0.9, 0.3), metadata: { lang: 'en' }, location: { type: 'LOCAL', uri: 'b' } },
    { id: 'keyword-only', text: 'an otter in a long list of many other words about rivers', vector: v(0, 0, 1), metadata: { lang: 'de' }, location: { type: 'LOCAL', uri: 'c' } },
    { id: 'neither', text: 'nothing here', vector: v(0, 0, 0, 1), metadata: { lang: 'de' }, location: { type: 'LOCAL', uri: 'd' } },
  ]);
  const q = { vector: v(1, 0.1), text: 'otter', k: 3 };
  const rrf = await hybridSearch(store, q);
  assert.equal(rrf[0].id, 'both');
  assert.equal(rrf.length, 3);
  assert.ok(rrf[0].vector, 'vectors survive fusion, for MMR');
  const filtered = await hybridSearch(store, { ...q, filter: { equals: { key: 'lang', value: 'de' } } });
  assert.deepEqual(
    filtered.map((h) => h.id),
    ['keyword-only', 'neither'],
  );
  const semanticHeavy = await hybridSearch(store, { ...q, fusion: { type: 'weighted', weights: [1, 0] } });
  assert.equal(semanticHeavy[0].id, 'semantic-only');
  const keywordHeavy = await hybridSearch(store, { ...q, fusion: { type: 'rrf', weights: [0, 1] } });
  assert.deepEqual(
    keywordHeavy.slice(0, 2).map((h) => h.id),
    (await store.searchKeyword('otter', 2)).map((h) => h.id),
  );
  await assert.rejects(hybridSearch(store, { ...q, k: 0 }), /k must be/);
});

test('fuseHybrid: the default is reciprocal rank with k 30 and keyword weighted 2.5; weighted fusion on request', () => {
  const chunk = (id: string, score: number) => ({ id, documentId: 'd', text: id, metadata: {}, location: { type: 'LOCAL' as const, uri: id }, score });
  const semantic = [chunk('a', 0.9), chunk('b', 0.8), chunk('c', 0.7)];
  const keyword = [chunk('c', 12), chunk('d', 9)];
  const fused = fuseHybrid(semantic, keyword);
  const score = Object.fromEntries(fused.map((f) => [f.id, f.score]));
  assert.deepEqual(DEFAULT_FUSION, { type: 'rrf', k: 30, weights: [1, 2.5] });
  assert.ok(Math.abs(score.c - (1 / 33 + 2.5 / 31)) < 1e-12);
  assert.ok(Math.abs(score.d - 2.5 / 32) < 1e-12);
  assert.ok(Math.abs(score.a - 1 / 31) < 1e-12);
  // Keyword's second hit outranks semantic's first: the lean that equal weights would not give.
  assert.deepEqual(
    fused.map((f) => f.id),
    ['c', 'd', 'a', 'b'],
  );
  assert.deepEqual(
    fuseHybrid(semantic, keyword, { type: 'rrf', weights: [1, 1] })
      .slice(0, 2)
      .map((f) => f.id),
    ['c', 'a'],
  );
  assert.equal(fuseHybrid(semantic, keyword, { type: 'weighted', weights: [1, 0] })[0].id, 'a');
});

test('hybrid search fetches at least HYBRID_MIN_CANDIDATES from each search unless told otherwise', async () => {
  const inner = await new MemoryVectorStoreFactory().open({ indexId: 'hybrid-depth', dimensions: 4 });
  const asked: number[] = [];
  const store = Object.assign(Object.create(inner) as typeof inner, {
    searchVector: (q: Float32Array, k: number) => {
      asked.push(k);
      return inner.searchVector(q, k);
    },
    searchKeyword: (q: string, k: number) => {
      asked.push(k);
      return inner.searchKeyword(q, k);
    },
  });
  await hybridSearch(store, { vector: v(1), text: 'otter', k: 3 });
  await hybridSearch(store, { vector: v(1), text: 'otter', k: 50 });
  await hybridSearch(store, { vector: v(1), text: 'otter', k: 3, candidates: 10 });
  assert.deepEqual(asked, [HYBRID_MIN_CANDIDATES, HYBRID_MIN_CANDIDATES, 200, 200, 10, 10]);
});
