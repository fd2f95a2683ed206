import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DocumentParseError } from './document-parse-error.js';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_CHARS } from './parse-context.js';
import { documentKind, parseDocument, supportedExtensions } from './parse-document.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const PNG_HEADER = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 10, 0, 0, 0, 10]);

const reason = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    assert.ok(DocumentParseError.isInstance(e), `not a DocumentParseError: ${e}`);
    return e.reason;
  }
  assert.fail('expected a DocumentParseError');
};

test('the parser is chosen by content type, then extension, then by sniffing', () => {
  const kind = (name: string, contentType?: string, bytes = utf8('x')) => documentKind({ name, contentType, bytes });
  assert.equal(kind('notes.txt'), 'text');
  assert.equal(kind('README.MD'), 'markdown');
  assert.equal(kind('s3://bucket/docs/guide.md'), 'markdown');
  assert.equal(kind('/docs/guide.md?version=2#intro'), 'markdown');
  assert.equal(kind('C:\\reports\\q3.PDF'), 'pdf');
  assert.equal(kind('scan.jpeg'), 'image');
  assert.equal(kind('events.ndjson'), 'jsonl');
  // A specific content type wins over the extension (a crawled /report.pdf served as a page)…
  assert.equal(kind('/report.pdf', 'text/html; charset=utf-8'), 'html');
  assert.equal(kind('/api/items', 'application/vnd.api+json'), 'json');
  // …except plain text, which object stores say of every text format, and the generic binary types.
  assert.equal(kind('guide.md', 'text/plain'), 'markdown');
  assert.equal(kind('rows.csv', 'text/plain; charset=utf-8'), 'csv');
  assert.equal(kind('q3.pdf', 'binary/octet-stream'), 'pdf');
  // No extension, no useful type: the bytes decide.
  assert.equal(kind('LICENSE'), 'text');
  assert.equal(kind('download', 'application/octet-stream', utf8('%PDF-1.7\n')), 'pdf');
  assert.equal(kind('photo', undefined, PNG_HEADER), 'image');
  assert.equal(kind('/docs/', undefined, utf8('<!DOCTYPE html><p>x</p>')), 'html');
});

test('unsupported types fail with the extension or content type in the reason', async () => {
  assert.equal(await reason(parseDocument({ name: 'model.xyz', bytes: utf8('x') })), 'unsupported file type .xyz');
  assert.equal(await reason(parseDocument({ name: 'old.doc', bytes: utf8('x') })), 'unsupported file type .doc');
  assert.equal(
    await reason(parseDocument({ name: 'archive', contentType: 'application/zip', bytes: utf8('PK') })),
    'unsupported file type application/zip',
  );
  assert.deepEqual(
    [...supportedExtensions].sort(),
    ['bmp', 'csv', 'docx', 'htm', 'html', 'jpeg', 'jpg', 'json', 'jsonl', 'log', 'markdown', 'md', 'ndjson', 'pdf', 'png', 'text', 'tif', 'tiff', 'tsv', 'txt', 'webp', 'xhtml'],
  );
});

test('plain text in legacy and UTF-16 encodings; binary content named .txt is refused', async () => {
  const [cp1252] = await parseDocument({ name: 'memo.txt', bytes: new Uint8Array([0x93, 0x48, 0x69, 0x94, 0x20, 0x80, 0x35]) });
  assert.equal(cp1252.text, '“Hi” €5');
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Grüße', 'utf16le')]);
  assert.equal((await parseDocument({ name: 'memo.txt', bytes: utf16 }))[0].text, 'Grüße');
  const gzip = new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x4b, 0x4c, 0x4a, 0x06, 0x00]);
  assert.equal(await reason(parseDocument({ name: 'notes.txt', bytes: gzip })), 'binary content with a text extension');
  assert.equal(await reason(parseDocument({ name: 'data.csv', bytes: gzip })), 'binary content with a text extension');
});

test('size limits: input bytes before parsing, characters after, with the numbers in the reason', async () => {
  assert.equal(DEFAULT_MAX_CHARS, 5_000_000);
  assert.equal(DEFAULT_MAX_BYTES, 50 * 1024 * 1024);
  assert.equal(
    await reason(parseDocument({ name: 'big.txt', bytes: new Uint8Array(2048).fill(0x61) }, { maxBytes: 1024 })),
    'file is 2,048 bytes, over the 1,024-byte limit',
  );
  const huge = new Uint8Array(DEFAULT_MAX_CHARS + 1).fill(0x61);
  assert.equal(await reason(parseDocument({ name: 'huge.txt', bytes: huge })), 'document exceeds 5,000,000 characters');
  assert.equal(await reason(parseDocument({ name: 'page.md', bytes: utf8('# T\n\nwords '.repeat(100)) }, { maxChars: 50 })), 'document exceeds 50 characters');
  assert.equal((await parseDocument({ name: 'ok.txt', bytes: utf8('12345') }, { maxChars: 5 }))[0].text, '12345');
});

test('an aborted parse rejects with the abort reason, not as a bad document', async () => {
  const controller = new AbortController();
  controller.abort(new Error('sync cancelled'));
  await assert.rejects(parseDocument({ name: 'a.txt', bytes: utf8('x') }, { signal: controller.signal }), /sync cancelled/);
});

test('garbage under every supported extension fails as a DocumentParseError or parses; nothing else escapes', async () => {
  let seed = 42;
  const random = (n: number) =>
    new Uint8Array(n).map(() => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed >> 16;
    });
  const samples = [
    random(64),
    random(3000),
    utf8('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF'),
    utf8('PK\x03\x04\x14\x00\x00\x00\x08\x00'),
    PNG_HEADER,
    utf8('{"a": [1, 2, {"b": '),
    utf8('<html><body><div><p>unclosed'),
    new Uint8Array(0),
  ];
  for (const ext of supportedExtensions) {
    for (const bytes of samples) {
      try {
        const docs = await parseDocument({ name: `fuzz.${ext}`, bytes }, { ocr: false });
        assert.ok(Array.isArray(docs));
      } catch (e) {
        assert.ok(DocumentParseError.isInstance(e), `.${ext} threw ${e}`);
        assert.ok(e.reason.length > 0);
      }
    }
  }
});
