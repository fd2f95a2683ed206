import assert from 'node:assert/strict';
import { test } from 'node:test';
import { abaRoutingValid } from './aba-routing-valid.js';
import { ibanValid } from './iban-valid.js';
import { luhnValid } from './luhn.js';
import { ukNhsValid } from './uk-nhs-valid.js';
import { ukNinoValid } from './uk-nino-valid.js';
import { usItinValid, usSsnValid } from './us-ssn-valid.js';
import { vinCheck } from './vin-valid.js';

test('Luhn accepts issued test card numbers and rejects one-digit changes and non-digits', () => {
  for (const n of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '130692544']) {
    assert.equal(luhnValid(n), true, n);
  }
  for (const n of ['4111111111111112', '1234567812345678', '', '7', '41111111111111a1'])
    assert.equal(luhnValid(n), false, n);
});

test('IBAN: mod-97 and the country length both have to hold', () => {
  assert.equal(ibanValid('GB82WEST12345698765432'), true);
  assert.equal(ibanValid('DE89370400440532013000'), true);
  assert.equal(ibanValid('GB82WEST12345698765433'), false, 'checksum');
  assert.equal(ibanValid('GB82WEST1234569876543'), false, 'length for GB is 22');
  assert.equal(ibanValid('ZZ82WEST12345698765432'), false, 'unknown country');
  assert.equal(ibanValid('gb82west12345698765432'), false, 'callers upper-case first');
});

test('SSN ranges: no area 000, 666 or 9xx, no group 00, no serial 0000', () => {
  assert.equal(usSsnValid('123', '45', '6788'), true);
  assert.equal(usSsnValid('000', '12', '3456'), false);
  assert.equal(usSsnValid('666', '12', '3456'), false);
  assert.equal(usSsnValid('912', '12', '3456'), false);
  assert.equal(usSsnValid('123', '00', '3456'), false);
  assert.equal(usSsnValid('123', '45', '0000'), false);
  assert.equal(usSsnValid('078', '05', '1120'), false, 'the Woolworth wallet number');
  assert.equal(usItinValid('912', '78'), true);
  assert.equal(usItinValid('912', '45'), false);
  assert.equal(usItinValid('812', '78'), false);
});

test('ABA routing: weighted checksum and a Federal Reserve prefix', () => {
  assert.equal(abaRoutingValid('011000015'), true);
  assert.equal(abaRoutingValid('021000021'), true);
  assert.equal(abaRoutingValid('123456789'), false);
  assert.equal(abaRoutingValid('000000000'), false);
  assert.equal(abaRoutingValid('02100002'), false);
});

test('VIN: check digit, forbidden letters, shape', () => {
  assert.equal(vinCheck('1HGCM82633A004352'), 'checked');
  assert.equal(vinCheck('1HGCM82683A004352'), 'unchecked', 'valid shape, wrong check digit (as in many European VINs)');
  assert.equal(vinCheck('1HGCM8263OA004352'), 'invalid', 'O is never used');
  assert.equal(vinCheck('11111111111111111'), 'invalid', 'no letters');
});

test('NHS mod 11 and NINO prefixes', () => {
  assert.equal(ukNhsValid('9434765919'), true);
  assert.equal(ukNhsValid('9434765918'), false);
  assert.equal(ukNhsValid('1111111111'), false);
  assert.equal(ukNinoValid('AB', 'C'), true);
  assert.equal(ukNinoValid('BG', 'A'), false);
  assert.equal(ukNinoValid('QQ', 'C'), false);
  assert.equal(ukNinoValid('AO', 'C'), false);
  assert.equal(ukNinoValid('AB', 'E'), false);
});
