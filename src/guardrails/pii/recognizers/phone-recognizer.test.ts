import assert from 'node:assert/strict';
import { test } from 'node:test';
import { phoneRecognizer } from './phone-recognizer.js';

const found = (text: string) =>
  phoneRecognizer
    .find(text)
    .filter((c) => c.score >= 0.5)
    .map((c) => text.slice(c.start, c.end));

test('US numbers validated by libphonenumber, in the usual shapes', () => {
  assert.deepEqual(found('Call me at (212) 555-0123 tomorrow'), ['(212) 555-0123']);
  assert.deepEqual(found('my number is 2125550123'), ['2125550123']);
  assert.deepEqual(found('call 212-555-0123 x4587'), ['212-555-0123 x4587']);
});

test('international numbers with a country code, and national ones with a trunk 0 and a cue word', () => {
  assert.deepEqual(found('office: +44 20 7946 0958'), ['+44 20 7946 0958']);
  assert.deepEqual(found('fax 0049 30 901820'), ['0049 30 901820']);
  assert.deepEqual(found('Tel. 01 84 17 61 18'), ['01 84 17 61 18']);
  assert.deepEqual(found('reach me on 020 7946 0958'), ['020 7946 0958']);
  assert.deepEqual(found('Phone: (99) 645-791'), ['(99) 645-791']);
});

test('dates, times, versions, ISBNs, card numbers and short codes are not phones', () => {
  for (const text of [
    'The meeting is on 2023-04-16 at 10:30',
    'born 04/16/2023',
    'on 16.04.2023',
    'at 2000-04-16 11:34:35',
    'ISBN 978-3-16-148410-0',
    'version 1.2.3.4',
    'zip 12345',
    'card 4111 1111 1111 1111',
    'order #20230416',
    'random 7350 2291 4419',
  ]) {
    assert.deepEqual(found(text), [], text);
  }
});

test('long runs of digits and separators are scanned in linear time', () => {
  const started = performance.now();
  phoneRecognizer.find('1 '.repeat(200_000));
  phoneRecognizer.find('(((('.repeat(100_000));
  assert.ok(performance.now() - started < 3000);
});
