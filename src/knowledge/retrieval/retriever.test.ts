import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MetadataFilter } from '../metadata.js';
import { HYBRID_MIN_CANDIDATES } from '../retrieve/index.js';
import { MemoryVectorStoreFactory } from '../vector/memory-vector-store.js';
import type { VectorStore } from '../vector/vector-store.js';
import { retrieveChunks } from './retriever.js';

const v = (...w: number[]) => Float32Array.from({ length: 4 }, (_, i) => w[i] ?? 0);

/** 'sem' is the query's nearest vector and shares no word with it; 'kw' is the only keyword match and far in vector space, behind 120 fillers. */
async function storeWithDepthLog(): Promise<{ store: VectorStore; asked: { mode: string; k: number }[] }> {
  const inner = await new MemoryVectorStoreFactory().open({ indexId: 'retriever', dimensions: 4 });
  const loc = (uri: string) => ({ type: 'LOCAL' as const, uri });
  await inner.replaceDocument('d', [
    { id: 'sem', text: 'unrelated words entirely', vector: v(1), metadata: {}, location: loc('sem') },
    { id: 'kw', text: 'the otter swims', vector: v(-1), metadata: {}, location: loc('kw') },
    ...Array.from({ length: 120 }, (_, i) => ({ id: `filler-${i}`, text: `filler number ${i}`, vector: v(0.5, 1 + i / 100), metadata: {}, location: loc(`f${i}`) })),
  ]);
  const asked: { mode: string; k: number }[] = [];
  const store: VectorStore = Object.assign(Object.create(inner) as VectorStore, {
    searchVector: (q: Float32Array, k: number, f?: MetadataFilter) => {
      asked.push({ mode: 'semantic', k });
      return inner.searchVector(q, k, f);
    },
    searchKeyword: (q: string, k: number, f?: MetadataFilter) => {
      asked.push({ mode: 'keyword', k });
      return inner.searchKeyword(q, k, f);
    },
  });
  return { store, asked };
}

test('hybrid retrieval fuses keyword-leaning by default; an explicit fusion overrides it', async () => {
  const { store } = await storeWithDepthLog();
  const q = { text: 'otter', numberOfResults: 3, searchType: 'HYBRID' as const };
  // Each is first in one list only: the default (k 30, keyword weighted 2.5) puts BM25's top hit above the encoder's.
  const fused = await retrieveChunks(store, v(1), q);
  assert.deepEqual(
    fused.slice(0, 2).map((c) => c.id),
    ['kw', 'sem'],
  );
  assert.ok(Math.abs(fused[0].score - 2.5 / 31) < 1e-12);
  assert.ok(Math.abs(fused[1].score - 1 / 31) < 1e-12);
  // Equal-weight RRF ties them, and the semantic list (fused first) keeps its hit ahead.
  const equal = await retrieveChunks(store, v(1), { ...q, fusion: { type: 'rrf', k: 60, weights: [1, 1] } });
  assert.deepEqual(
    equal.slice(0, 2).map((c) => c.id),
    ['sem', 'kw'],
  );
  // The single modes are untouched by fusion.
  assert.equal((await retrieveChunks(store, v(1), { ...q, searchType: 'SEMANTIC' }))[0].id, 'sem');
  assert.deepEqual(
    (await retrieveChunks(store, undefined, { ...q, searchType: 'KEYWORD' })).map((c) => c.id),
    ['kw'],
  );
});

test('hybrid takes at least HYBRID_MIN_CANDIDATES from each search; single modes only what they need', async () => {
  const { store, asked } = await storeWithDepthLog();
  await retrieveChunks(store, v(1), { text: 'otter', numberOfResults: 5, searchType: 'HYBRID' });
  assert.deepEqual(asked.splice(0), [
    { mode: 'semantic', k: HYBRID_MIN_CANDIDATES },
    { mode: 'keyword', k: HYBRID_MIN_CANDIDATES },
  ]);
  await retrieveChunks(store, v(1), { text: 'otter', numberOfResults: 50, searchType: 'HYBRID' });
  assert.deepEqual(
    asked.splice(0).map((a) => a.k),
    [200, 200],
  );
  await retrieveChunks(store, v(1), { text: 'otter', numberOfResults: 100, searchType: 'HYBRID' });
  assert.deepEqual(
    asked.splice(0).map((a) => a.k),
    [400, 400],
  );
  await retrieveChunks(store, v(1), { text: 'otter', numberOfResults: 5, searchType: 'SEMANTIC' });
  await retrieveChunks(store, undefined, { text: 'otter', numberOfResults: 5, searchType: 'KEYWORD' });
  assert.deepEqual(asked.splice(0), [
    { mode: 'semantic', k: 20 },
    { mode: 'keyword', k: 20 },
  ]);
});
