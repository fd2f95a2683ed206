import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { extractCitations, MarkerStripper } from './citations.js';

describe('extractCitations', () => {
  test('removes markers and points each span at the cited passage', () => {
    const raw = 'Paris is the capital of France [1]. It has 2 million people [2][3]. Nice weather.';
    const { text, parts } = extractCitations(raw, 3);
    assert.equal(text, 'Paris is the capital of France. It has 2 million people. Nice weather.');
    assert.equal(parts.length, 2);
    assert.deepEqual(parts[0]!.sources, [0]);
    assert.equal(text.slice(parts[0]!.span.start, parts[0]!.span.end + 1), 'Paris is the capital of France');
    assert.deepEqual(parts[1]!.sources, [1, 2]);
    assert.equal(text.slice(parts[1]!.span.start, parts[1]!.span.end + 1), parts[1]!.text);
    assert.equal(parts[1]!.text, 'It has 2 million people');
  });

  test('drops markers naming sources that do not exist and accepts [1, 2]', () => {
    const { text, parts } = extractCitations('A [9]. B [1, 2].', 2);
    assert.equal(text, 'A. B.');
    assert.equal(parts.length, 1);
    assert.deepEqual(parts[0]!.sources, [0, 1]);
  });

  test('text without markers has no citations', () => {
    assert.deepEqual(extractCitations('Plain [x] text [].', 3), { text: 'Plain [x] text [].', parts: [] });
  });
});

describe('MarkerStripper', () => {
  test('streamed pieces concatenate to the cleaned answer however the markers are split', () => {
    const raw = 'Alpha beta [1]. Gamma [2][3] delta.  Epsilon [1, 2] zeta [x] end.';
    const expected = extractCitations(raw, 3).text;
    for (let size = 1; size <= 7; size++) {
      const s = new MarkerStripper(3);
      let out = '';
      for (let i = 0; i < raw.length; i += size) out += s.push(raw.slice(i, i + size));
      out += s.flush().text;
      assert.equal(out, expected, `chunk size ${size}`);
    }
  });
});
