import type { ParsedDocument, ParseInput, ParseOptions, RecordStructure } from './parsed-document.js';
import { DocumentParseError } from './document-parse-error.js';

export const DEFAULT_MAX_CHARS = 5_000_000;
/** Bedrock's own limit on one knowledge-base source file. */
export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
export const DEFAULT_OCR_TIMEOUT_MS = 60_000;

/** What every parser gets besides the input: the resolved options and the means to fail, warn and stay in budget. */
export interface ParseContext {
  readonly name: string;
  readonly ocr: boolean;
  readonly maxChars: number;
  readonly ocrTimeoutMs: number;
  readonly signal?: AbortSignal;
  readonly records?: RecordStructure;
  warn(message: string): void;
  fail(reason: string, cause?: unknown): DocumentParseError;
  /**
   * Adds to the characters produced so far and throws once they pass `maxChars`, so a parser working page by page or
   * row by row stops at the limit instead of building a huge string first.
   */
  count(chars: number): void;
}

export type Parser = (input: ParseInput, ctx: ParseContext) => Promise<ParsedDocument[]>;

export function createParseContext(name: string, opts: ParseOptions = {}): ParseContext {
  const maxChars = positive(opts.maxChars, DEFAULT_MAX_CHARS);
  let produced = 0;
  const fail = (reason: string, cause?: unknown) => new DocumentParseError(name, reason, { cause });
  return {
    name,
    ocr: opts.ocr ?? false,
    maxChars,
    ocrTimeoutMs: positive(opts.ocrTimeoutMs, DEFAULT_OCR_TIMEOUT_MS),
    signal: opts.signal,
    records: opts.records,
    warn: (message) => opts.onWarning?.(`${name}: ${message}`),
    fail,
    count(chars) {
      produced += chars;
      if (produced > maxChars) throw tooLong(name, maxChars);
    },
  };
}

export function tooLong(name: string, maxChars: number): DocumentParseError {
  return new DocumentParseError(name, `document exceeds ${maxChars.toLocaleString('en-US')} characters`);
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
