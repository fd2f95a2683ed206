import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { after, before, test } from 'node:test';
import { createCanvas } from '@napi-rs/canvas';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { DocumentParseError } from './document-parse-error.js';
import { tiffOf } from './image-fixtures.js';
import { closeOcr, englishModelPath } from './ocr-worker.js';
import { parseDocument } from './parse-document.js';

/**
 * The drawn text comes from pdf.js rendering Helvetica from the font data in pdfjs-dist, not from system fonts, so the
 * test reads the same on a bare CI image.
 */
async function invoice(): Promise<{ png: Uint8Array; width: number; height: number; gray: Uint8Array }> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.HelveticaBold);
  doc.addPage([560, 90]).drawText('QUARRY INVOICE 2026', { x: 20, y: 30, size: 36, font });
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const { dirname } = await import('node:path');
  const { createRequire } = await import('node:module');
  const root = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
  const pdf = await pdfjs.getDocument({ data: await doc.save(), standardFontDataUrl: `${join(root, 'standard_fonts')}/`, verbosity: 0 }).promise;
  const page = await pdf.getPage(1);
  const viewport = page.getViewport({ scale: 1.5 });
  const canvas = createCanvas(viewport.width, viewport.height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  await page.render({ canvasContext: ctx as never, viewport }).promise;
  await pdf.destroy();
  const rgba = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const gray = new Uint8Array(canvas.width * canvas.height).map((_, i) => rgba[i * 4]);
  return { png: new Uint8Array(await canvas.encode('png')), width: canvas.width, height: canvas.height, gray };
}

let png: Uint8Array;
let tiff: Uint8Array;
before(async () => {
  const drawn = await invoice();
  png = drawn.png;
  tiff = tiffOf(drawn.width, drawn.height, drawn.gray);
});
after(closeOcr);

const reason = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    assert.ok(DocumentParseError.isInstance(e), `not a DocumentParseError: ${e}`);
    return e.reason;
  }
  assert.fail('expected a DocumentParseError');
};

test('the English model is read from the installed package, never fetched', () => {
  const path = englishModelPath();
  assert.ok(isAbsolute(path), path);
  assert.ok(existsSync(join(path, 'eng.traineddata.gz')), `${path} has no eng.traineddata.gz`);
});

test('an image is read by OCR: PNG, and TIFF as scanners write it', async () => {
  const [doc] = await parseDocument({ name: 'invoice.png', bytes: png }, { ocr: true });
  assert.match(doc.text, /QUARRY INVOICE 2026/);
  const [scan] = await parseDocument({ name: 'invoice.tiff', bytes: tiff }, { ocr: true });
  assert.match(scan.text, /QUARRY INVOICE 2026/);
});

test('a scanned PDF page (an image, no text layer) is rendered and read by OCR', async () => {
  const scan = await PDFDocument.create();
  const image = await scan.embedPng(png);
  scan.addPage([image.width / 1.5, image.height / 1.5]).drawImage(image, { x: 0, y: 0, width: image.width / 1.5, height: image.height / 1.5 });
  const font = await scan.embedFont(StandardFonts.Helvetica);
  scan.addPage([300, 100]).drawText('Terms: net 30 days', { x: 10, y: 50, size: 14, font });
  const [doc] = await parseDocument({ name: 'scan.pdf', bytes: await scan.save() }, { ocr: true });
  const [first, second] = doc.pages ?? [];
  assert.match(doc.text.slice(first.start, first.end), /QUARRY INVOICE 2026/);
  assert.equal(doc.text.slice(second.start, second.end), 'Terms: net 30 days');
});

test('without OCR an image fails saying so; a bomb or a non-image never reaches the engine', async () => {
  assert.match(await reason(parseDocument({ name: 'invoice.png', bytes: png })), /need OCR, which is turned off/);
  const bomb = png.slice(0, 33);
  new DataView(bomb.buffer).setUint32(16, 60_000);
  new DataView(bomb.buffer).setUint32(20, 60_000);
  assert.equal(
    await reason(parseDocument({ name: 'bomb.png', bytes: bomb }, { ocr: true })),
    'image of 60000 × 60000 pixels is over the 40 megapixel limit',
  );
  assert.match(await reason(parseDocument({ name: 'fake.jpg', bytes: new TextEncoder().encode('not an image') }, { ocr: true })), /corrupt or unsupported image/);
});

test('a truncated image fails the document, and the engine recovers for the next one', async () => {
  // tesseract's WASM aborts on this one (and prints libpng's complaint); the worker is replaced.
  assert.match(await reason(parseDocument({ name: 'cut.png', bytes: png.slice(0, 200) }, { ocr: true })), /^OCR failed/);
  const [doc] = await parseDocument({ name: 'again.png', bytes: png }, { ocr: true });
  assert.match(doc.text, /QUARRY INVOICE 2026/);
});

test('OCR past its time bound fails the document', async () => {
  assert.equal(
    await reason(parseDocument({ name: 'slow.png', bytes: png }, { ocr: true, ocrTimeoutMs: 1 })),
    'OCR timed out after 1 ms',
  );
});
