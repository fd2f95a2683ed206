import assert from 'node:assert/strict';
import { test } from 'node:test';
import { documentIdRecognizer } from './document-id-recognizer.js';

const found = (text: string, type: string) =>
  documentIdRecognizer
    .find(text)
    .filter((c) => c.score >= 0.5 && c.type === type)
    .map((c) => text.slice(c.start, c.end));

test("passport, driver's licence and plate numbers after the words that introduce them", () => {
  assert.deepEqual(found('passport number: 912803456', 'US_PASSPORT_NUMBER'), ['912803456']);
  assert.deepEqual(found("my driver's license number is 2270-66-1551", 'DRIVER_ID'), ['2270-66-1551']);
  assert.deepEqual(found("My driver's license number is F162823540116", 'DRIVER_ID'), ['F162823540116']);
  assert.deepEqual(found('license plate 7ABC123 was seen', 'LICENSE_PLATE'), ['7ABC123']);
  assert.deepEqual(found('registration number: AB12 CDE', 'LICENSE_PLATE'), ['AB12 CDE']);
});

test('the same shapes without their words, or words without a number, are not documents', () => {
  assert.deepEqual(found('order 912803456 shipped', 'US_PASSPORT_NUMBER'), []);
  assert.deepEqual(found('my passport expired', 'US_PASSPORT_NUMBER'), []);
  assert.deepEqual(found('ticket F162823540116', 'DRIVER_ID'), []);
  assert.deepEqual(found('the plate was empty', 'LICENSE_PLATE'), []);
});

test('VINs by check digit; an unchecked VIN shape needs vehicle context', () => {
  assert.deepEqual(found('the car 1HGCM82633A004352 was sold', 'VEHICLE_IDENTIFICATION_NUMBER'), ['1HGCM82633A004352']);
  assert.deepEqual(found('VIN: WVWZZZ1JZXW000001', 'VEHICLE_IDENTIFICATION_NUMBER'), ['WVWZZZ1JZXW000001']);
  assert.deepEqual(found('token WVWZZZ1JZXW000001', 'VEHICLE_IDENTIFICATION_NUMBER'), []);
  assert.deepEqual(found('id 1HGCM8263OA004352', 'VEHICLE_IDENTIFICATION_NUMBER'), [], 'contains O');
});
