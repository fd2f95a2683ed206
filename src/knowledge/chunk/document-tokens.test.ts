import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tokenizeDocument } from './document-tokens.js';

test('offsets hold across a byte-order mark inside the text (the decoder would drop it)', async () => {
  const text = 'Investments appear to be shrinking.\ufeff AI is creating new paradigms.\ufeff\ufeffEnd.';
  const t = await tokenizeDocument(text);
  assert.equal(t.starts[t.count], text.length);
  for (let i = 1; i <= t.count; i++) assert.ok(t.starts[i]! >= t.starts[i - 1]!);
  // The token that starts "AI" starts where "AI" does (or at the space before it).
  const ai = text.indexOf(' AI');
  assert.ok([...t.starts].includes(ai) || [...t.starts].includes(ai + 1));
});
