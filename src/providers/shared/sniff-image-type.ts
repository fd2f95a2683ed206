import type { ImageMediaType } from '../../core/index.js';

/**
 * The media type of image bytes, from their signature. Upstreams do not say reliably what they sent (OpenAI's
 * `output_format` is newer than most servers copying it), and clients must not be told PNG for a JPEG.
 */
export function sniffImageType(b: Uint8Array): ImageMediaType | undefined {
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
