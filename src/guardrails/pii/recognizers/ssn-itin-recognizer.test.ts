import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ssnItinRecognizer } from './ssn-itin-recognizer.js';

const found = (text: string, type = 'US_SOCIAL_SECURITY_NUMBER') =>
  ssnItinRecognizer
    .find(text)
    .filter((c) => c.score >= 0.5 && c.type === type)
    .map((c) => text.slice(c.start, c.end));

test('SSNs in 3-2-4 shape, and nine bare digits only after "SSN"', () => {
  assert.deepEqual(found("Here's my SSN: 710-31-0236"), ['710-31-0236']);
  assert.deepEqual(found('number 123-45-6788 on file'), ['123-45-6788']);
  assert.deepEqual(found('social security number 123456788'), ['123456788']);
  assert.deepEqual(found('order 123456788 shipped'), []);
});

test('numbers the SSA never issues are refused', () => {
  for (const n of ['000-12-3456', '666-12-3456', '923-12-3456', '123-00-4567', '123-45-0000', '078-05-1120']) {
    assert.deepEqual(found(`SSN ${n}`), [], n);
  }
});

test('mixed separators, longer digit runs and phone shapes are not SSNs', () => {
  assert.deepEqual(found('SSN 123-45 6788'), []);
  assert.deepEqual(found('id 1123-45-67889'), []);
  assert.deepEqual(found('call 212-555-0123'), []);
});

test('ITINs start with 9 and use the IRS group ranges', () => {
  assert.deepEqual(found('ITIN 912-78-1234', 'US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER'), ['912-78-1234']);
  assert.deepEqual(found('ITIN 912-45-1234', 'US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER'), []);
});
