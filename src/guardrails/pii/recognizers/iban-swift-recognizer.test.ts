import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ibanSwiftRecognizer } from './iban-swift-recognizer.js';

const found = (text: string, type = 'INTERNATIONAL_BANK_ACCOUNT_NUMBER') =>
  ibanSwiftRecognizer
    .find(text)
    .filter((c) => c.score >= 0.5 && c.type === type)
    .map((c) => text.slice(c.start, c.end));

test('IBANs run together, grouped by fours, lower case, with the next word not taken in', () => {
  assert.deepEqual(found('transfer from GB82WEST12345698765432 to other accounts'), ['GB82WEST12345698765432']);
  assert.deepEqual(found('IBAN: GB82 WEST 1234 5698 7654 32 to me'), ['GB82 WEST 1234 5698 7654 32']);
  assert.deepEqual(found('iban de89370400440532013000'), ['de89370400440532013000']);
});

test('a wrong check digit or length is not an IBAN', () => {
  assert.deepEqual(found('GB82WEST12345698765433'), []);
  assert.deepEqual(found('GB82WEST1234569876543'), []);
  assert.deepEqual(found('XX82WEST12345698765432'), []);
});

test('SWIFT codes need a bank context or a digit in the location code; shouted words are not codes', () => {
  assert.deepEqual(found('SWIFT: DEUTDEFF', 'SWIFT_CODE'), ['DEUTDEFF']);
  assert.deepEqual(found('use NWBKGB2L', 'SWIFT_CODE'), ['NWBKGB2L']);
  assert.deepEqual(found('this is ABSOLUTE madness', 'SWIFT_CODE'), []);
  assert.deepEqual(found('swift ABCDZZ22', 'SWIFT_CODE'), [], 'ZZ is no country');
});
