import type { Metadata } from '../metadata.js';

/** The input to a parser: one file's bytes and what is known about it. */
export interface ParseInput {
  /** File name or URL path; its extension chooses the parser when no content type is given. */
  name: string;
  bytes: Uint8Array;
  contentType?: string;
}

export interface ParseOptions {
  /** Run OCR on images and on PDF pages that have no text layer. */
  ocr?: boolean;
  /** Upper bound on extracted characters; longer documents fail with a reason instead of being cut silently. */
  maxChars?: number;
  signal?: AbortSignal;
  /** Upper bound on the input file's size in bytes, checked before any parsing. */
  maxBytes?: number;
  /** Upper bound on one image's (or one scanned PDF page's) OCR time; the job is abandoned and the document fails. */
  ocrTimeoutMs?: number;
  /** CSV rows and JSON array elements: which fields are content and which metadata (from the file's sidecar). */
  records?: RecordStructure;
  /** Told about what was skipped without failing the document (a malformed CSV row, an unreadable PDF page). */
  onWarning?: (message: string) => void;
}

/**
 * Bedrock's `recordBasedStructureMetadata` (a CSV sidecar's `documentStructureConfiguration`), flattened. With nothing
 * set, every field is content as "field: value" lines and every short scalar field is also metadata; with only
 * `contentFields` set, the other fields are metadata, as in Bedrock.
 */
export interface RecordStructure {
  contentFields?: string[];
  /** Only these fields become metadata. */
  metadataFieldsToInclude?: string[];
  /** These fields never become metadata. */
  metadataFieldsToExclude?: string[];
}

/** A page of a paged document, as character offsets into `text`. */
export interface PageSpan {
  pageNumber: number;
  start: number;
  end: number;
}

/** What a parser returns per logical document (a CSV file yields one per row). */
export interface ParsedDocument {
  text: string;
  title?: string;
  pages?: PageSpan[];
  /** Attributes found while parsing (CSV columns chosen as metadata, HTML title, PDF info). */
  metadata: Metadata;
  /** Distinguishes the documents of one file (the CSV row number); absent when the file is one document. */
  part?: string;
}
