import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { DocumentParseError } from './document-parse-error.js';
import { encryptedPdf } from './encrypted-pdf-fixture.js';
import { parseDocument } from './parse-document.js';

async function textPdf(pages: string[][], title?: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = doc.addPage([400, 400]);
    lines.forEach((line, i) => {
      page.drawText(line, { x: 30, y: 350 - i * 24, size: 14, font });
    });
  }
  if (title) doc.setTitle(title);
  doc.setAuthor('Ada Stone');
  return doc.save();
}

const rejects = async (bytes: Uint8Array, reason: RegExp, name = 'x.pdf') => {
  await assert.rejects(parseDocument({ name, bytes }), (e) => {
    assert.ok(DocumentParseError.isInstance(e), `not a DocumentParseError: ${e}`);
    assert.match(e.reason, reason);
    return true;
  });
};

test('text per page, each page a span of the joined text; title and author from the info dictionary', async () => {
  const bytes = await textPdf(
    [['Quarterly report', 'Revenue rose 12%'], ['Page two text'], [], ['Last page']],
    'Q3 Report',
  );
  const copy = bytes.slice();
  const [doc] = await parseDocument({ name: 'report.pdf', bytes });
  assert.equal(doc.text, 'Quarterly report\nRevenue rose 12%\n\nPage two text\n\nLast page');
  assert.deepEqual(
    doc.pages?.map((p) => [p.pageNumber, doc.text.slice(p.start, p.end)]),
    [[1, 'Quarterly report\nRevenue rose 12%'], [2, 'Page two text'], [3, ''], [4, 'Last page']],
  );
  assert.equal(doc.title, 'Q3 Report');
  assert.deepEqual(doc.metadata, { author: 'Ada Stone', pageCount: 4 });
  // pdf.js detaches the buffer it is handed; the caller's bytes must survive.
  assert.deepEqual(bytes, copy);
});

test('words placed apart without a space character are separated', async () => {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([400, 200]);
  page.drawText('Granite', { x: 30, y: 100, size: 14, font });
  page.drawText('basalt', { x: 120, y: 100, size: 14, font });
  const [parsed] = await parseDocument({ name: 'gap.pdf', bytes: await doc.save() });
  assert.equal(parsed.text, 'Granite basalt');
});

test('an encrypted PDF fails as encrypted; one with only an owner password opens', async () => {
  await rejects(encryptedPdf({ userPassword: 'secret', ownerPassword: 'owner', text: 'Payroll 2026' }), /^encrypted PDF$/);
  const [doc] = await parseDocument({
    name: 'restricted.pdf',
    bytes: encryptedPdf({ userPassword: '', ownerPassword: 'owner', text: 'Printable but locked' }),
  });
  assert.equal(doc.text, 'Printable but locked');
});

test('the encrypted fixture is a real encrypted PDF: pdf.js reads it with the password', async () => {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const bytes = encryptedPdf({ userPassword: 'secret', ownerPassword: 'owner', text: 'Payroll 2026' });
  const pdf = await pdfjs.getDocument({ data: bytes, password: 'secret', verbosity: 0 }).promise;
  const content = await (await pdf.getPage(1)).getTextContent();
  assert.deepEqual(
    content.items.map((i) => ('str' in i ? i.str : '')),
    ['Payroll 2026'],
  );
  await pdf.destroy();
});

test('corrupt, truncated and empty PDFs fail with a reason, never crash', async () => {
  await rejects(new TextEncoder().encode('%PDF-1.7\nthis is not really a pdf\n%%EOF'), /^corrupt PDF: /);
  const good = await textPdf([['one'], ['two'], ['three']]);
  await rejects(good.subarray(0, Math.floor(good.length / 3)), /^corrupt PDF: /);
  await rejects(new Uint8Array(0), /^corrupt PDF: /);
  const noise = new Uint8Array(4096).map((_, i) => (i * 7919 + 13) % 251);
  await rejects(noise, /^corrupt PDF: /);
});

test('a PDF without a text layer fails when OCR is off, saying so', async () => {
  const doc = await PDFDocument.create();
  doc.addPage([300, 300]).drawRectangle({ x: 50, y: 50, width: 100, height: 100 });
  await rejects(await doc.save(), /no text layer.*turn on OCR/);
});

test('maxChars stops a long PDF with a clear reason', async () => {
  const bytes = await textPdf(Array.from({ length: 20 }, (_, i) => [`Page ${i} `.repeat(5)]));
  await assert.rejects(parseDocument({ name: 'long.pdf', bytes }, { maxChars: 200 }), (e) => {
    assert.ok(DocumentParseError.isInstance(e));
    assert.equal(e.reason, 'document exceeds 200 characters');
    return true;
  });
});

test('randomly damaged PDFs parse or fail as DocumentParseError, never anything else', async () => {
  const good = await textPdf([['first page'], ['second page']]);
  let seed = 1;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let i = 0; i < 40; i++) {
    const bytes = good.slice();
    for (let k = 1 + next(12); k > 0; k--) bytes[next(bytes.length)] = next(256);
    await parseDocument({ name: 'damaged.pdf', bytes }).catch((e) => {
      assert.ok(DocumentParseError.isInstance(e), `threw ${e}`);
    });
  }
});
