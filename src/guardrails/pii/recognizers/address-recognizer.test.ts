import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressRecognizer } from './address-recognizer.js';

const found = (text: string) =>
  addressRecognizer
    .find(text)
    .filter((c) => c.score >= 0.5)
    .map((c) => text.slice(c.start, c.end));

test('English number-name-suffix streets, with unit, city, state and ZIP followed over lines', () => {
  assert.deepEqual(found('Ship it to 1600 Pennsylvania Avenue NW, Washington, DC 20500 please'), [
    '1600 Pennsylvania Avenue NW, Washington, DC 20500',
  ]);
  assert.deepEqual(found('send a new one to 14 Crown Street\n Suite 321\n LONDON\n United Kingdom 75419? I am away'), [
    '14 Crown Street\n Suite 321\n LONDON\n United Kingdom 75419',
  ]);
});

test('continental forms: type first, compound street words, number after the name', () => {
  assert.deepEqual(found('lives at Rua do Arenque 1634, Goiânia'), ['Rua do Arenque 1634, Goiânia']);
  assert.deepEqual(found('Meet me at Kopfhölzistrasse 45 tomorrow'), ['Kopfhölzistrasse 45']);
  assert.deepEqual(found('office: Rákóczi út 13. in town'), ['Rákóczi út 13.']);
  assert.deepEqual(found('Timotea lives on Via dei Fiorentini 17 street.'), ['Via dei Fiorentini 17']);
});

test('military and PO boxes, street corners, and post codes after a cue word', () => {
  assert.deepEqual(found('new address is PSC 6293, Box 8158\nAPO AP 04336'), ['PSC 6293, Box 8158\nAPO AP 04336']);
  assert.deepEqual(found('write to P.O. Box 242 for details'), ['P.O. Box 242']);
  assert.deepEqual(found('stop at the corner of Main Street and 3rd Avenue, thanks'), [
    'the corner of Main Street and 3rd Avenue',
  ]);
  assert.deepEqual(found('My zip code is 94105'), ['94105']);
  assert.deepEqual(found('ZIP: 7412 SL'), ['7412 SL']);
});

test('numbers next to capitalised words are not addresses: dates, titles, counts, phones', () => {
  for (const text of [
    'During 2017, the company grew',
    'Guilty Pleasures: 5 Musicians Of The 70s You Are Supposed To Hate',
    'On 16 March 2021 we met',
    'Chapter 3 of the book',
    'I bought 3 apples and 2 pears',
    'Windows 10 and iPhone 12',
    'call 416 60 039 office',
  ]) {
    assert.deepEqual(found(text), [], text);
  }
});

test('a post-code-looking number that starts a phone line does not extend the address', () => {
  assert.deepEqual(found('PSC 3294, Box 9168\nAPO AA 61487\n416 60 039 office'), ['PSC 3294, Box 9168\nAPO AA 61487']);
});
