import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/types/src/display/api.js';
import type { Metadata } from '../metadata.js';
import { DocumentParseError } from './document-parse-error.js';
import { ocrText } from './ocr-text.js';
import type { ParseContext } from './parse-context.js';
import type { PageSpan, ParsedDocument, ParseInput } from './parsed-document.js';
import { type PdfTextItem, pdfPageText } from './pdf-page-text.js';
import { renderPdfPage } from './render-pdf-page.js';

const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

/** Settings for untrusted PDFs in Node, with no worker thread (pdf.js runs its worker code in this thread). */
const PDF_OPTIONS = {
  // Fonts are compiled with `new Function` when allowed: never for documents from outside.
  isEvalSupported: false,
  disableFontFace: true,
  useSystemFonts: false,
  isOffscreenCanvasSupported: false,
  enableXfa: false,
  // Errors only: pdf.js warns on console about every oddity of real-world files.
  verbosity: 0,
  // Character maps for CJK fonts and the standard 14 fonts' data, read from the installed package, never fetched.
  cMapUrl: `${join(pdfjsRoot, 'cmaps')}/`,
  cMapPacked: true,
  standardFontDataUrl: `${join(pdfjsRoot, 'standard_fonts')}/`,
  // Bounds what one embedded image may make pdf.js allocate while rendering a page for OCR.
  maxImageSize: 50_000_000,
} as const;

/**
 * Text per page with each page's span in the joined text. Pages without a text layer (scans) are rendered and OCR'd
 * when the context allows OCR; otherwise they stay empty, and a document with no text at all fails saying why.
 */
export async function parsePdf(input: ParseInput, ctx: ParseContext): Promise<ParsedDocument[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // pdf.js transfers the buffer it is given to its worker side, detaching the caller's bytes: give it a copy.
  const task = pdfjs.getDocument({ ...PDF_OPTIONS, data: new Uint8Array(input.bytes) });
  let doc: PDFDocumentProxy;
  try {
    doc = await task.promise;
  } catch (e) {
    await task.destroy().catch(() => undefined);
    throw openFailure(e, ctx);
  }
  try {
    return [await readDocument(doc, ctx)];
  } finally {
    await doc.destroy().catch(() => undefined);
  }
}

/** A run of this many unreadable pages means the page tree is broken, not that a page is. */
const MAX_UNREADABLE_RUN = 20;

async function readDocument(doc: PDFDocumentProxy, ctx: ParseContext): Promise<ParsedDocument> {
  let text = '';
  const pages: PageSpan[] = [];
  let withoutText = 0;
  const unreadable: string[] = [];
  let run = 0;
  for (let pageNumber = 1; pageNumber <= doc.numPages; pageNumber++) {
    ctx.signal?.throwIfAborted();
    let pageText: string | undefined;
    try {
      pageText = await readPage(await doc.getPage(pageNumber), pageNumber, ctx);
      run = 0;
    } catch (e) {
      if (DocumentParseError.isInstance(e) || ctx.signal?.aborted) throw e;
      unreadable.push(`page ${pageNumber}: ${e instanceof Error ? e.message : String(e)}`);
      if (++run >= MAX_UNREADABLE_RUN) throw ctx.fail(`corrupt PDF: ${run} pages in a row cannot be read (${unreadable[0]})`);
    }
    if (pageText === '') withoutText++;
    else if (pageText !== undefined && text !== '') text += '\n\n';
    const start = text.length;
    text += pageText ?? '';
    ctx.count(pageText?.length ?? 0);
    pages.push({ pageNumber, start, end: text.length });
  }
  if (unreadable.length > 0) {
    if (unreadable.length === doc.numPages) throw ctx.fail(`corrupt PDF: no page can be read (${unreadable[0]})`);
    ctx.warn(`${unreadable.length} page(s) could not be read; the first, ${unreadable[0]}`);
  }
  if (withoutText > 0 && !ctx.ocr) {
    if (text === '') throw ctx.fail('PDF has no text layer (a scan?); turn on OCR to read it');
    ctx.warn(`${withoutText} of ${doc.numPages} pages have no text layer; turn on OCR to read them`);
  }
  const { title, metadata } = await documentInfo(doc);
  metadata.pageCount = doc.numPages;
  return { text, title, pages, metadata };
}

async function readPage(page: PDFPageProxy, pageNumber: number, ctx: ParseContext): Promise<string> {
  try {
    const content = await page.getTextContent();
    const text = pdfPageText(content.items as (PdfTextItem | object)[]);
    if (text !== '' || !ctx.ocr) return text;
    const image = await renderPdfPage(page, ctx);
    try {
      return await ocrText(image, ctx);
    } catch (e) {
      if (DocumentParseError.isInstance(e)) throw ctx.fail(`page ${pageNumber}: ${e.reason}`, e);
      throw e;
    }
  } finally {
    page.cleanup();
  }
}

async function documentInfo(doc: PDFDocumentProxy): Promise<{ title?: string; metadata: Metadata }> {
  const metadata: Metadata = {};
  let info: Record<string, unknown> = {};
  try {
    info = ((await doc.getMetadata()).info ?? {}) as Record<string, unknown>;
  } catch {
    // A broken info dictionary costs the title, not the document.
  }
  const field = (key: string) => {
    const v = info[key];
    return typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, 512) : undefined;
  };
  const author = field('Author');
  const subject = field('Subject');
  if (author) metadata.author = author;
  if (subject) metadata.subject = subject;
  return { title: field('Title'), metadata };
}

function openFailure(e: unknown, ctx: ParseContext): Error {
  if (ctx.signal?.aborted) return ctx.signal.reason instanceof Error ? ctx.signal.reason : new Error(String(ctx.signal.reason));
  const name = e instanceof Error ? e.name : '';
  const message = e instanceof Error ? e.message : String(e);
  if (name === 'PasswordException') return ctx.fail('encrypted PDF', e);
  return ctx.fail(`corrupt PDF: ${message}`, e);
}
