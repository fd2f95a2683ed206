import { type DocumentFormat, type ImageFormat, validation } from '../../core/index.js';

const IMAGE: Record<string, ImageFormat> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

const DOCUMENT: Record<string, DocumentFormat> = {
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'text/html': 'html',
  'text/markdown': 'md',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
};

const EXTENSIONS = new Set<string>(Object.values(DOCUMENT));

export function imageFormat(mediaType: string, at: string): ImageFormat {
  const f = IMAGE[mediaType];
  if (!f) throw validation(`${at}: image type "${mediaType}" is not supported; send png, jpeg, gif or webp.`);
  return f;
}

/** The media type decides; a generic one (octet-stream) falls back to the file name's extension. */
export function documentFormat(mediaType: string, filename: string | undefined, at: string): DocumentFormat {
  const ext = filename?.split('.').pop()?.toLowerCase();
  const f = DOCUMENT[mediaType] ?? (ext && EXTENSIONS.has(ext) ? (ext as DocumentFormat) : undefined);
  if (!f) throw validation(`${at}: file type "${mediaType}" is not supported; send pdf, csv, doc, docx, xls, xlsx, html, txt or md.`);
  return f;
}
