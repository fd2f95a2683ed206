import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuarryError } from '../../core/errors.js';
import { DocumentParseError } from './document-parse-error.js';

test('a 400 ValidationException whose reason is one short printable line', () => {
  const e = new DocumentParseError('a.docx', `corrupt DOCX: damaged entry wo\u0000rd/x\n${'y'.repeat(1000)}`);
  assert.ok(QuarryError.isInstance(e) && DocumentParseError.isInstance(e));
  assert.equal(e.status, 400);
  assert.equal(e.code, 'ValidationException');
  assert.doesNotMatch(e.reason, /\p{Cc}/u);
  assert.ok(e.reason.startsWith('corrupt DOCX: damaged entry wo rd/x y'));
  assert.equal(e.reason.length, 500);
  assert.equal(e.message, `Cannot parse a.docx: ${e.reason}`);
  assert.ok(!DocumentParseError.isInstance(new QuarryError('ValidationException', 'other')));
});
