import assert from 'node:assert/strict';
import { test } from 'node:test';
import { credentialRecognizer } from './credential-recognizer.js';

const found = (text: string, type: string) =>
  credentialRecognizer
    .find(text)
    .filter((c) => c.score >= 0.5 && c.type === type)
    .map((c) => text.slice(c.start, c.end));

test('values after a label and a separator', () => {
  assert.deepEqual(found('username: jdoe_42, password: "hunter2!"', 'USERNAME'), ['jdoe_42']);
  assert.deepEqual(found('username: jdoe_42, password: "hunter2!"', 'PASSWORD'), ['hunter2!']);
  assert.deepEqual(found('my password is *very20special#pass*.', 'PASSWORD'), ['*very20special#pass*']);
  assert.deepEqual(found('Your PIN is 4821.', 'PIN'), ['4821']);
  assert.deepEqual(found('ping @dev_ops about it', 'USERNAME'), ['@dev_ops']);
  assert.deepEqual(found('follow me on Instagram: @jane.doe_88', 'USERNAME'), ['@jane.doe_88']);
});

test('talk about credentials without a value is not a credential', () => {
  assert.deepEqual(found('please reset your password', 'PASSWORD'), []);
  assert.deepEqual(found('the password is incorrect', 'PASSWORD'), []);
  assert.deepEqual(found('Could you handle this today?', 'USERNAME'), []);
  assert.deepEqual(found('mail me at jane@example.com', 'USERNAME'), [], 'the @ of an email is no handle');
  assert.deepEqual(found('pin the note to the wall', 'PIN'), []);
  assert.deepEqual(found('class A { @Override void run() {} }', 'USERNAME'), [], 'a decorator is no handle');
});
