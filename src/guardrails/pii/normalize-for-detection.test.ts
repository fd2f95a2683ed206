import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeForDetection } from './normalize-for-detection.js';

const back = (original: string, start: number, end: number) => {
  const n = normalizeForDetection(original);
  const [s, e] = n.toOriginal(start, end);
  return original.slice(s, e);
};

test('ASCII text is returned as is, with identity offsets', () => {
  const n = normalizeForDetection('call 555-0100 now');
  assert.equal(n.text, 'call 555-0100 now');
  assert.deepEqual(n.toOriginal(5, 13), [5, 13]);
});

test('zero-width and other invisible characters are removed; a span maps back over them', () => {
  const original = 'mail jo\u200bhn@exa\u2060mple.com\ufeff now';
  const n = normalizeForDetection(original);
  assert.equal(n.text, 'mail john@example.com now');
  const start = n.text.indexOf('john');
  assert.equal(back(original, start, start + 'john@example.com'.length), 'jo\u200bhn@exa\u2060mple.com');
});

test('full-width digits and letters fold to ASCII; dashes and odd spaces become ASCII', () => {
  const n = normalizeForDetection('ＳＳＮ：１２３－４５－６７８９\u00a0ok');
  assert.equal(n.text, 'SSN:123-45-6789 ok');
  assert.equal(normalizeForDetection('555\u2013123\u20144567').text, '555-123-4567');
});

test('look-alike Cyrillic letters are folded inside Latin tokens only', () => {
  const n = normalizeForDetection('write to jоhn@exаmple.com, Москва stays');
  assert.equal(n.text, 'write to john@example.com, Москва stays');
});

test('characters outside the BMP keep offsets right', () => {
  const original = '😀 id 𝟏𝟐𝟑 ok';
  const n = normalizeForDetection(original);
  assert.equal(n.text, '😀 id 123 ok');
  const start = n.text.indexOf('123');
  assert.equal(back(original, start, start + 3), '𝟏𝟐𝟑');
});

test('empty and whitespace-only text', () => {
  assert.equal(normalizeForDetection('').text, '');
  assert.equal(normalizeForDetection(' \n\t').text, ' \n\t');
});
