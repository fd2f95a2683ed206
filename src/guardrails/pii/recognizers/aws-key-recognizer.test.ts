import assert from 'node:assert/strict';
import { test } from 'node:test';
import { awsKeyRecognizer } from './aws-key-recognizer.js';

const found = (text: string, type: string) =>
  awsKeyRecognizer
    .find(text)
    .filter((c) => c.score >= 0.5 && c.type === type)
    .map((c) => text.slice(c.start, c.end));

test('access key ids by prefix and alphabet; secret keys by shape, sharper next to a key id or the word secret', () => {
  const text = 'aws_access_key_id=AKIAIOSFODNN7EXAMPLE\naws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  assert.deepEqual(found(text, 'AWS_ACCESS_KEY'), ['AKIAIOSFODNN7EXAMPLE']);
  assert.deepEqual(found(text, 'AWS_SECRET_KEY'), ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY']);
  const secret = awsKeyRecognizer.find(text).find((c) => c.type === 'AWS_SECRET_KEY')!;
  assert.ok(secret.score >= 0.9);
});

test('a git SHA, a too-short id and a lower-case prefix are not keys', () => {
  assert.deepEqual(found('commit 0123456789abcdef0123456789abcdef01234567', 'AWS_SECRET_KEY'), []);
  assert.deepEqual(found('AKIAIOSFODNN7EXAMP and akiaiosfodnn7example', 'AWS_ACCESS_KEY'), []);
});
