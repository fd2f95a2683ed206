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
