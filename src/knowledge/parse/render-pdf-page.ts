import type { PDFPageProxy } from 'pdfjs-dist/types/src/display/api.js';
import type { ParseContext } from './parse-context.js';

/** Tesseract reads best at about 300 dpi; the pixel bound keeps a poster-sized page from exhausting memory. */
const OCR_DPI = 300;
const MAX_PIXELS = 16_000_000;

/**
 * A PDF page drawn to PNG bytes for OCR, on white (scans with transparency would otherwise read as black on black).
 * Drawing is bounded by the same time as the OCR that follows it.
 */
export async function renderPdfPage(page: PDFPageProxy, ctx: ParseContext): Promise<Uint8Array> {
  const { createCanvas } = await import('@napi-rs/canvas');
  const base = page.getViewport({ scale: 1 });
  const area = base.width * base.height;
  if (!(area > 0)) throw ctx.fail(`page ${page.pageNumber} has no area to render`);
  const scale = Math.min(OCR_DPI / 72, Math.sqrt(MAX_PIXELS / area));
  const viewport = page.getViewport({ scale });
  const canvas = createCanvas(Math.max(1, Math.ceil(viewport.width)), Math.max(1, Math.ceil(viewport.height)));
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  const task = page.render({ canvasContext: context as never, viewport });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      task.cancel();
      reject(ctx.fail(`page ${page.pageNumber}: rendering for OCR took over ${ctx.ocrTimeoutMs} ms`));
    }, ctx.ocrTimeoutMs);
  });
  try {
    await Promise.race([task.promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
  return canvas.encode('png');
}
