import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emailRecognizer } from './email-recognizer.js';

const found = (text: string) =>
  emailRecognizer
    .find(text)
    .filter((c) => c.score >= 0.5)
    .map((c) => text.slice(c.start, c.end));

test('finds addresses, including plus tags, sub-domains and international domains', () => {
  assert.deepEqual(found('write to jane.doe+news@mail.example.co.uk, or to ops@bücher.de.'), [
    'jane.doe+news@mail.example.co.uk',
    'ops@bücher.de',
  ]);
  assert.deepEqual(found('<UtaKortig@jourrapide.com>'), ['UtaKortig@jourrapide.com']);
});

test('ignores what only looks like an address', () => {
  assert.deepEqual(found('@handle, user@, @domain.com, a@b, name@localhost, 10@20 items, x@y.z'), []);
  assert.deepEqual(found('no at sign here at all'), []);
});

test('a megabyte of local-part characters without an @ is scanned quickly', () => {
  const started = performance.now();
  assert.deepEqual(found(`${'a'.repeat(1_000_000)}@`), []);
  assert.deepEqual(found(`${'a.'.repeat(300_000)}@x`), []);
  assert.ok(performance.now() - started < 2000);
});
