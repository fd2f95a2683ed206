import { readImageHeader } from './image-header.js';
import { ocrText } from './ocr-text.js';
import type { ParseContext } from './parse-context.js';
import type { ParsedDocument, ParseInput } from './parsed-document.js';

/** Past this size tesseract's WASM memory runs out; a scan of an A4 page at 600 dpi is 35 megapixels. */
export const MAX_IMAGE_PIXELS = 40_000_000;

/** An image's text, by OCR; without OCR an image has none, and the document fails saying so. */
export async function parseImage(input: ParseInput, ctx: ParseContext): Promise<ParsedDocument[]> {
  if (!ctx.ocr) throw ctx.fail('image files need OCR, which is turned off for this data source');
  const header = readImageHeader(input.bytes);
  if (!header) throw ctx.fail('corrupt or unsupported image (not PNG, JPEG, TIFF, BMP or WebP)');
  if (header.width * header.height > MAX_IMAGE_PIXELS) {
    throw ctx.fail(`image of ${header.width} × ${header.height} pixels is over the ${MAX_IMAGE_PIXELS / 1e6} megapixel limit`);
  }
  const text = await ocrText(input.bytes, ctx);
  if (text === '') ctx.warn('OCR found no text in the image');
  return [{ text, metadata: {} }];
}
