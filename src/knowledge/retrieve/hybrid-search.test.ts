import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryVectorStoreFactory } from '../vector/memory-vector-store.js';
import { hybridSearch } from './hybrid-search.js';

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
