import { parseContentType } from './content-type.js';
import { DocumentParseError } from './document-parse-error.js';
import { readImageHeader } from './image-header.js';
import { createParseContext, DEFAULT_MAX_BYTES, type ParseContext, tooLong } from './parse-context.js';
import type { ParsedDocument, ParseInput, ParseOptions } from './parsed-document.js';

export type DocumentKind = 'text' | 'markdown' | 'html' | 'pdf' | 'docx' | 'csv' | 'tsv' | 'json' | 'jsonl' | 'image';

const EXTENSIONS: Record<string, DocumentKind> = {
  txt: 'text',
  text: 'text',
  log: 'text',
  md: 'markdown',
  markdown: 'markdown',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  pdf: 'pdf',
  docx: 'docx',
  csv: 'csv',
  tsv: 'tsv',
  json: 'json',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  png: 'image',
  jpg: 'image',
  jpeg: 'image',
  tif: 'image',
  tiff: 'image',
  bmp: 'image',
  webp: 'image',
};

/** The extensions `parseDocument` reads, without dots, for data-source inclusion filters and error messages. */
export const supportedExtensions: readonly string[] = Object.freeze(Object.keys(EXTENSIONS));

const MIME_TYPES: Record<string, DocumentKind> = {
  'text/plain': 'text',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'text/csv': 'csv',
  'application/csv': 'csv',
  'text/tab-separated-values': 'tsv',
  'application/json': 'json',
  'text/json': 'json',
  'application/x-ndjson': 'jsonl',
  'application/jsonl': 'jsonl',
  'application/x-jsonlines': 'jsonl',
  'image/png': 'image',
  'image/jpeg': 'image',
  'image/tiff': 'image',
  'image/bmp': 'image',
  'image/webp': 'image',
};

/** Content types that say nothing about the content (S3's default among them). */
const GENERIC_TYPES: ReadonlySet<string> = new Set(['application/octet-stream', 'binary/octet-stream', 'application/unknown']);

/** Text kinds a file labelled plain text may more usefully be read as, going by its extension. */
const REFINES_PLAIN_TEXT: ReadonlySet<DocumentKind> = new Set(['markdown', 'csv', 'tsv', 'json', 'jsonl', 'html']);

/**
 * Turns one file into text documents. The parser is chosen by content type, then extension, then (for a file with
 * neither) by sniffing the bytes. Anything wrong with the file itself (unsupported type, too big, corrupt, encrypted,
 * binary posing as text) rejects with a `DocumentParseError` whose `reason` says what; an abort rejects with the
 * signal's reason. A file may yield several documents (CSV rows), or none (a CSV with a header only).
 */
export async function parseDocument(input: ParseInput, opts: ParseOptions = {}): Promise<ParsedDocument[]> {
  opts.signal?.throwIfAborted();
  const name = input.name || 'document';
  const maxBytes = opts.maxBytes !== undefined && opts.maxBytes > 0 ? opts.maxBytes : DEFAULT_MAX_BYTES;
  if (input.bytes.length > maxBytes) {
    throw new DocumentParseError(
      name,
      `file is ${input.bytes.length.toLocaleString('en-US')} bytes, over the ${maxBytes.toLocaleString('en-US')}-byte limit`,
    );
  }
  const kind = documentKind(input);
  const ctx = createParseContext(name, opts);
  let docs: ParsedDocument[];
  try {
    docs = await parseAs(kind, input, ctx);
  } catch (e) {
    if (DocumentParseError.isInstance(e) || opts.signal?.aborted) throw e;
    // A library's own failure on this input (a stack overflow on hostile nesting, a parser bug): this document's
    // failure, not the process's.
    throw ctx.fail(`${kind} parser failed: ${e instanceof Error ? e.message : String(e)}`, e);
  }
  const total = docs.reduce((n, d) => n + d.text.length, 0);
  if (total > ctx.maxChars) throw tooLong(name, ctx.maxChars);
  return docs;
}

/** Which parser reads the input; throws 'unsupported file type' when none does. */
export function documentKind(input: ParseInput): DocumentKind {
  const mime = parseContentType(input.contentType)?.mime;
  const ext = extensionOf(input.name);
  const byMime = mime === undefined ? undefined : MIME_TYPES[mime] ?? (mime.endsWith('+json') ? 'json' : undefined);
  const byExt = ext === undefined ? undefined : Object.hasOwn(EXTENSIONS, ext) ? EXTENSIONS[ext] : undefined;
  // Servers and object stores label many text formats text/plain; the extension knows better then.
  if (byMime === 'text' && byExt && REFINES_PLAIN_TEXT.has(byExt)) return byExt;
  // Otherwise a specific content type wins: a crawled page at /report.pdf that is served as text/html is HTML.
  if (byMime) return byMime;
  if (byExt) return byExt;
  const typeless = mime === undefined || GENERIC_TYPES.has(mime);
  if (ext === undefined && typeless) return sniff(input.bytes);
  const label = ext !== undefined ? `.${ext}` : mime;
  throw new DocumentParseError(input.name || 'document', `unsupported file type ${label}`);
}

async function parseAs(kind: DocumentKind, input: ParseInput, ctx: ParseContext): Promise<ParsedDocument[]> {
  // Parsers load on first use: pdf.js, mammoth and tesseract.js are large and many servers never see their formats.
  switch (kind) {
    case 'text':
      return (await import('./parse-text.js')).parseText(input, ctx);
    case 'markdown':
      return (await import('./parse-markdown.js')).parseMarkdown(input, ctx);
    case 'html':
      return (await import('./parse-html.js')).parseHtml(input, ctx);
    case 'pdf':
      return (await import('./parse-pdf.js')).parsePdf(input, ctx);
    case 'docx':
      return (await import('./parse-docx.js')).parseDocx(input, ctx);
    case 'csv':
      return (await import('./parse-csv.js')).parseCsv(input, ctx);
    case 'tsv':
      return (await import('./parse-csv.js')).parseCsv(input, ctx, '\t');
    case 'json':
      return (await import('./parse-json.js')).parseJson(input, ctx);
    case 'jsonl':
      return (await import('./parse-json.js')).parseJsonLines(input, ctx);
    case 'image':
      return (await import('./parse-image.js')).parseImage(input, ctx);
    default: {
      const never: never = kind;
      throw new Error(`unhandled document kind ${String(never)}`);
    }
  }
}

/** The lower-cased extension of a file name or URL path (query and fragment ignored); undefined when there is none. */
function extensionOf(name: string): string | undefined {
  const path = name.replace(/[?#].*$/s, '');
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 && dot < base.length - 1 ? base.slice(dot + 1).toLowerCase() : undefined;
}

/** Files with no extension and no useful content type (README, LICENSE, a URL path): PDFs, images, else text. */
function sniff(bytes: Uint8Array): DocumentKind {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  if (head.startsWith('%PDF-')) return 'pdf';
  if (readImageHeader(bytes)) return 'image';
  if (/^\s*(<!doctype html|<html[\s>])/i.test(head)) return 'html';
  return 'text';
}
