import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ukCaIdRecognizer } from './uk-ca-id-recognizer.js';

const found = (text: string, type: string) =>
  ukCaIdRecognizer
    .find(text)
    .filter((c) => c.score >= 0.5 && c.type === type)
    .map((c) => text.slice(c.start, c.end));

test('NHS numbers by mod 11 with health context; not on their own, and not with a bad check digit', () => {
  assert.deepEqual(found('NHS number 943 476 5919', 'UK_NATIONAL_HEALTH_SERVICE_NUMBER'), ['943 476 5919']);
  assert.deepEqual(found('call 943 476 5919', 'UK_NATIONAL_HEALTH_SERVICE_NUMBER'), []);
  assert.deepEqual(found('NHS number 943 476 5918', 'UK_NATIONAL_HEALTH_SERVICE_NUMBER'), []);
});

test('National Insurance numbers with HMRC prefix rules', () => {
  assert.deepEqual(found('NI number: AB 12 34 56 C', 'UK_NATIONAL_INSURANCE_NUMBER'), ['AB 12 34 56 C']);
  assert.deepEqual(found('ref AB123456C', 'UK_NATIONAL_INSURANCE_NUMBER'), ['AB123456C']);
  assert.deepEqual(found('ref BG123456C and QQ123456C and AB123456E', 'UK_NATIONAL_INSURANCE_NUMBER'), []);
});

test('UTR and Canadian health numbers only with their words; SIN by Luhn, stronger with context', () => {
  assert.deepEqual(found('my UTR is 12345 67890', 'UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER'), ['12345 67890']);
  assert.deepEqual(found('order 12345 67890', 'UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER'), []);
  assert.deepEqual(found('OHIP health card 1234-567-890-AB', 'CA_HEALTH_NUMBER'), ['1234-567-890-AB']);
  assert.deepEqual(found('SIN: 130 692 544', 'CA_SOCIAL_INSURANCE_NUMBER'), ['130 692 544']);
  assert.deepEqual(found('SIN: 130 692 545', 'CA_SOCIAL_INSURANCE_NUMBER'), [], 'fails Luhn');
  assert.deepEqual(found('lot 130692544', 'CA_SOCIAL_INSURANCE_NUMBER'), []);
});
