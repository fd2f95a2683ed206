import { QuarryError } from '../../core/errors.js';

const MARKER = Symbol.for('quarry.document-parse-error');

/**
 * A document that cannot be turned into text: hostile, corrupt, encrypted, oversized or of an unsupported type. The
 * ingestion pipeline records it as that one document's failure and goes on with the rest, so `reason` is written for
 * the person reading the data source's sync report.
 */
export class DocumentParseError extends QuarryError {
  readonly [MARKER] = true;
  /** Short and stable, e.g. 'encrypted PDF', 'unsupported file type .xyz'. */
  readonly reason: string;
  readonly documentName: string;

  constructor(documentName: string, reason: string, options?: { cause?: unknown }) {
    const clean = printable(reason);
    super('ValidationException', `Cannot parse ${documentName}: ${clean}`, options);
    this.name = 'DocumentParseError';
    this.reason = clean;
    this.documentName = documentName;
  }

  static override isInstance(e: unknown): e is DocumentParseError {
    return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[MARKER] === true;
  }
}

/** Reasons quote the file (a ZIP entry name, a library's message about bytes); keep them one short printable line. */
function printable(reason: string): string {
  const line = reason.replace(/\p{Cc}+/gu, ' ').trim();
  return line.length > 500 ? `${line.slice(0, 499)}…` : line;
}
