import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeText } from './decode-text.js';
import { DocumentParseError } from './document-parse-error.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

test('UTF-8 with and without a BOM, CRLF and lone CR line ends become \\n', () => {
  assert.equal(decodeText('a.txt', utf8('Grüße\r\naus\rKöln')), 'Grüße\naus\nKöln');
  assert.equal(decodeText('a.txt', new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('naïve')])), 'naïve');
});

test('UTF-16 LE and BE by their BOMs (their NUL bytes do not make them binary)', () => {
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Quarry ☃ notes\r\n', 'utf16le')]);
  assert.equal(decodeText('le.txt', le), 'Quarry ☃ notes\n');
  const be = Buffer.from(le.subarray(2)).swap16();
  assert.equal(decodeText('be.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), be])), 'Quarry ☃ notes\n');
});

test('invalid UTF-8 is read as windows-1252, not as U+FFFD', () => {
  // "Café – 5 €" in windows-1252: é = E9, en dash = 96, euro = 80.
  const bytes = new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x20, 0x96, 0x20, 0x35, 0x20, 0x80]);
  const text = decodeText('legacy.txt', bytes);
  assert.equal(text, 'Café – 5 €');
  assert.ok(!text.includes('\uFFFD'));
});

test('a declared charset is honoured; a declared utf-8 still falls back when the bytes are not', () => {
  assert.equal(decodeText('a.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9]), 'iso-8859-1'), 'café');
  assert.equal(decodeText('a.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9]), 'utf-8'), 'café');
  assert.equal(decodeText('a.txt', utf8('ok'), 'no-such-charset'), 'ok');
});

test('binary content is refused: NUL bytes, or mostly control characters', () => {
  const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00]);
  assert.throws(
    () => decodeText('program.txt', elf),
    (e) => DocumentParseError.isInstance(e) && e.reason === 'binary content with a text extension',
  );
  const controls = new Uint8Array(200).map((_, i) => (i % 3 === 0 ? 0x41 : 0x01 + (i % 7)));
  assert.throws(() => decodeText('noise.txt', controls), /binary content/);
  // A few control characters (a form feed, an escape) in real text are fine.
  assert.equal(decodeText('ok.txt', utf8('page one\fpage two \x1b[0m done')), 'page one\fpage two \x1b[0m done');
});
