import { OcrError, recognizeImage } from './ocr-worker.js';
import type { ParseContext } from './parse-context.js';

/** OCR of one image within the context's time bound; engine failures become this document's failure. */
export async function ocrText(image: Uint8Array, ctx: ParseContext): Promise<string> {
  try {
    const text = await recognizeImage(image, { timeoutMs: ctx.ocrTimeoutMs, signal: ctx.signal });
    return text
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
  } catch (e) {
    if (e instanceof OcrError) throw ctx.fail(e.message, e);
    throw e;
  }
}
