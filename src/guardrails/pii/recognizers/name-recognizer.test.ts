import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nameRecognizer } from './name-recognizer.js';

const found = (text: string) =>
  nameRecognizer
    .find(text)
    .filter((c) => c.score >= 0.5)
    .map((c) => text.slice(c.start, c.end));

test('known first names, honorifics and introducing words find names; titles are not part of them', () => {
  assert.deepEqual(found('Hello, this is Dr. Kyle Kuefer. Who are you?'), ['Kyle Kuefer']);
  assert.deepEqual(found('My name is Rubija'), ['Rubija']);
  assert.deepEqual(found('Please ask ms. Quinzia to call back'), ['Quinzia']);
  assert.deepEqual(found('Name: Toshimi Arata\nPhone: 0490 75 40 81'), ['Toshimi Arata']);
  assert.deepEqual(found('Directed By:    Johannes Varvio'), ['Johannes Varvio']);
  assert.deepEqual(found('rates rose, Chairman Jerome Powell said'), ['Jerome Powell']);
});

test('unknown foreign names from structure: two capitalised non-words, an initial, a person verb, a list', () => {
  assert.deepEqual(found('Tomomi Nishiyama lives at the corner'), ['Tomomi Nishiyama']);
  assert.deepEqual(found('we met Ravil G Yefimov yesterday'), ['Ravil G Yefimov']);
  assert.deepEqual(found('Mehrudin shouted at the door'), ['Mehrudin']);
  assert.deepEqual(found('The founders were Maria, Nekolná and Campos.'), ['Maria', 'Nekolná', 'Campos']);
  assert.deepEqual(found('Is there a better pop song? Nekolná and Pearson were engineers.'), ['Nekolná', 'Pearson']);
  assert.deepEqual(found('directed by Maciej Borkowski and starring Borkowski'), ['Maciej Borkowski', 'Borkowski']);
});

test('lower-case names only when the first name is known and context supports it', () => {
  assert.deepEqual(found('follow up with patricia desrosiers in a month'), ['patricia desrosiers']);
  assert.deepEqual(found('her maiden name is nyberg'), ['nyberg']);
  assert.deepEqual(found('the will and the rose garden'), []);
});

test('organisations, places, headlines, ordinary capitalised words and street names are not names', () => {
  for (const text of [
    'Allstate Insurance Group invested heavily',
    'We moved here from Leiria',
    "I'm glad to hear that New Zealand is moving",
    'Guilty Pleasures: 5 Musicians Of The 70s',
    'Action & Adventure, Animation, Comedy',
    'Personal Info:\nPhone:\n780 6326',
    'The Big Three Killed My Baby',
    'Monday morning in January',
    'Civic Impulse LLC is hiring',
    'The Jones, Smith and Davis Orchestra was founded in 1988',
  ]) {
    assert.deepEqual(found(text), [], text);
  }
});

test('empty and punctuation-only text', () => {
  assert.deepEqual(found(''), []);
  assert.deepEqual(found('... !!! ---'), []);
});
