import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldedTerms, MAX_QUERY_TERMS, queryWords, toFts5Query } from './keyword-terms.js';

test('query words: letters and digits only, distinct, bounded', () => {
  assert.deepEqual(queryWords('NEAR("zebra" AND yaks*) -col:x'), ['NEAR', 'zebra', 'AND', 'yaks', 'col', 'x']);
  assert.deepEqual(queryWords('a a A'), ['a', 'A']);
  assert.deepEqual(queryWords(''), []);
  assert.deepEqual(queryWords('"\'*^()-:'), []);
  assert.deepEqual(queryWords('Café Zürich 日本語 🚀'), ['Café', 'Zürich', '日本語']);
  assert.equal(queryWords(Array.from({ length: 1000 }, (_, i) => `w${i}`).join(' ')).length, MAX_QUERY_TERMS);
  assert.deepEqual(queryWords(42 as unknown as string), []);
});

test('FTS5 expression: every word a quoted string, OR-ed', () => {
  assert.equal(toFts5Query(['NEAR', 'zebra']), '"NEAR" OR "zebra"');
  assert.equal(toFts5Query(['a"b']), '"a""b"');
});

test('folded terms match what unicode61 remove_diacritics 2 indexes', () => {
  assert.deepEqual(foldedTerms('Café, ZÜRICH! naïve-façade 42'), ['cafe', 'zurich', 'naive', 'facade', '42']);
});
