import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ScoredChunk } from '../../knowledge/index.js';
import { extractCitations } from './agent-citations.js';

const ref = (id: string): ScoredChunk => ({ id, documentId: id, text: id, metadata: {}, location: { type: 'WEB', uri: id }, score: 1 });

describe('citations from [n] markers', { timeout: 5_000 }, () => {
  test('markers are removed and each cited sentence points at its results', () => {
    const r = extractCitations('Paris is in France [1]. It has 2M people [1, 2].\nUnrelated [9].', [ref('a'), ref('b')]);
    assert.equal(r.text, 'Paris is in France. It has 2M people.\nUnrelated.');
    assert.deepEqual(
      r.citations.map((c) => [c.part.text, r.text.slice(c.part.span.start, c.part.span.end + 1), c.references.map((x) => x.id)]),
      [
        ['Paris is in France.', 'Paris is in France.', ['a']],
        ['It has 2M people.', 'It has 2M people.', ['a', 'b']],
      ],
    );
  });

  test('no markers: one citation over the whole answer with every result; no results: none', () => {
    const r = extractCitations('  An answer.', [ref('a')]);
    assert.deepEqual(r.citations[0]!.part, { text: 'An answer.', span: { start: 2, end: 11 } });
    assert.deepEqual(extractCitations('x [1]', []), { text: 'x [1]', citations: [] });
  });
});
