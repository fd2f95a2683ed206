import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cardRecognizer } from './card-recognizer.js';

const found = (text: string, type = 'CREDIT_DEBIT_CARD_NUMBER') =>
  cardRecognizer
    .find(text)
    .filter((c) => c.score >= 0.5 && c.type === type)
    .map((c) => text.slice(c.start, c.end));

test('Luhn-valid numbers of known issuers, run together or grouped', () => {
  assert.deepEqual(found('pay with 4111111111111111 please'), ['4111111111111111']);
  assert.deepEqual(found('Visa 4111 1111 1111 1111, MC 5555-5555-5555-4444, Amex 3782 822463 10005'), [
    '4111 1111 1111 1111',
    '5555-5555-5555-4444',
    '3782 822463 10005',
  ]);
});

test('a Luhn-valid number of an unknown issuer needs the word card nearby', () => {
  assert.deepEqual(found('reference 9876543210987658'), []);
  assert.deepEqual(found('my card 2395286334599325 is lost'), ['2395286334599325']);
});

test('the last four digits alone, as Comprehend reports them', () => {
  assert.deepEqual(found('charged to the Visa ending in 4242 yesterday'), ['4242']);
  assert.deepEqual(found('card number xxxx-4242'), []);
  assert.deepEqual(found('your card ****4242 was declined'), ['4242']);
  assert.deepEqual(found('the meeting ending in 2024'), []);
});

test('invalid Luhn, random 16 digits, odd grouping and repeated digits are not cards', () => {
  assert.deepEqual(found('card 4111111111111112'), []);
  assert.deepEqual(found('card 1234567812345678'), []);
  assert.deepEqual(found('card 41 1111 11111 11111'), [], 'not a card grouping');
  assert.deepEqual(found('card 0000000000000000'), []);
  assert.deepEqual(found('41111111111111111111111'), [], 'part of a longer number');
});

test('CVV and expiry only with their context words', () => {
  assert.deepEqual(found('CVV: 123, exp 09/27', 'CREDIT_DEBIT_CARD_CVV'), ['123']);
  assert.deepEqual(found('CVV: 123, exp 09/27', 'CREDIT_DEBIT_CARD_EXPIRY'), ['09/27']);
  assert.deepEqual(found('card valid thru Jan 2027', 'CREDIT_DEBIT_CARD_EXPIRY'), ['Jan 2027']);
  assert.deepEqual(found('I ate 123 apples', 'CREDIT_DEBIT_CARD_CVV'), []);
  assert.deepEqual(found('a ratio of 09/27 overall', 'CREDIT_DEBIT_CARD_EXPIRY'), []);
});
