import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bankAccountRecognizer } from './bank-account-recognizer.js';

const found = (text: string, type: string) =>
  bankAccountRecognizer
    .find(text)
    .filter((c) => c.score >= 0.5 && c.type === type)
    .map((c) => text.slice(c.start, c.end));

test('routing numbers by ABA checksum with context, account numbers after account words', () => {
  const text = 'routing number 021000021, checking account 000123456789';
  assert.deepEqual(found(text, 'US_BANK_ROUTING_NUMBER'), ['021000021']);
  assert.deepEqual(found(text, 'US_BANK_ACCOUNT_NUMBER'), ['000123456789']);
});

test('a valid checksum without context, a bad checksum, or digits without account words are not reported', () => {
  assert.deepEqual(found('invoice 021000021', 'US_BANK_ROUTING_NUMBER'), []);
  assert.deepEqual(found('routing 123456789', 'US_BANK_ROUTING_NUMBER'), []);
  assert.deepEqual(found('tracking 000123456789', 'US_BANK_ACCOUNT_NUMBER'), []);
});
