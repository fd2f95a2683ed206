import type { DocumentBlock } from '../../core/index.js';
import { decodeBase64 } from '../shared/base64.js';
import { parseDataUrl } from './data-url.js';
import { documentFormat } from './media-format.js';

/**
 * A file sent inline (Chat Completions' `file.file_data`, Responses' `input_file.file_data`) as a canonical document:
 * a data URL, or bare base64 whose type the file name tells. `at` names the part in errors (`messages.0.content.1`);
 * `dataAt` the field holding the data. Converse needs a document name, so one is made from the file name or the position.
 */
export function inlineDocument(fileData: string, filename: string | null | undefined, at: string, dataAt: string): DocumentBlock {
  const { mediaType, bytes } = fileData.startsWith('data:') ? parseDataUrl(fileData, dataAt) : { mediaType: 'application/octet-stream', bytes: decodeBase64(fileData, dataAt) };
  const format = documentFormat(mediaType, filename ?? undefined, at);
  const name = filename?.replace(/\.[^.]*$/, '') || `document-${at.replace(/\D+/g, '-').replace(/^-|-$/g, '')}`;
  return { document: { format, name, source: { bytes } } };
}
