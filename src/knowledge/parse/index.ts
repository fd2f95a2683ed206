export { DocumentParseError } from './document-parse-error.js';
export { closeOcr } from './ocr-worker.js';
export { DEFAULT_MAX_BYTES, DEFAULT_MAX_CHARS, DEFAULT_OCR_TIMEOUT_MS } from './parse-context.js';
export { type DocumentKind, documentKind, parseDocument, supportedExtensions } from './parse-document.js';
export type { PageSpan, ParsedDocument, ParseInput, ParseOptions, RecordStructure } from './parsed-document.js';
export { parseSidecar, parseSidecarMetadata, type Sidecar } from './sidecar-metadata.js';
