export type ImageFormat = 'png' | 'jpeg' | 'tiff' | 'bmp' | 'webp';

export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
}

/**
 * Format and pixel size from an image's header alone, so a decompression bomb (a few kilobytes declaring 60,000 ×
 * 60,000 pixels) is refused before any decoder allocates for it. Undefined when the bytes are none of the five formats
 * or the header is cut short. Nothing here decodes pixels: native image decoders have crashed the process on
 * truncated files, which is why OCR input never goes near one in this thread.
 */
export function readImageHeader(bytes: Uint8Array): ImageHeader | undefined {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const has = (n: number) => bytes.length >= n;
  const ascii = (at: number, s: string) => has(at + s.length) && [...s].every((c, i) => bytes[at + i] === c.charCodeAt(0));

  if (ascii(0, '\x89PNG\r\n\x1a\n') && ascii(12, 'IHDR') && has(24)) {
    return sized('png', v.getUint32(16), v.getUint32(20));
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return jpeg(v);
  if (ascii(0, 'BM') && has(26)) return sized('bmp', Math.abs(v.getInt32(18, true)), Math.abs(v.getInt32(22, true)));
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return webp(bytes, v);
  if (ascii(0, 'II*\0') || ascii(0, 'MM\0*')) return tiff(v, bytes[0] === 0x49);
  return undefined;
}

function sized(format: ImageFormat, width: number, height: number): ImageHeader | undefined {
  return width > 0 && height > 0 ? { format, width, height } : undefined;
}

/** Walks the marker segments to the first start-of-frame, which holds the size. */
function jpeg(v: DataView): ImageHeader | undefined {
  let at = 2;
  while (at + 9 <= v.byteLength) {
    if (v.getUint8(at) !== 0xff) return undefined;
    const marker = v.getUint8(at + 1);
    if (marker === 0xff) {
      at++;
      continue;
    }
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return sized('jpeg', v.getUint16(at + 7), v.getUint16(at + 5));
    at += 2 + v.getUint16(at + 2);
  }
  return undefined;
}

function webp(bytes: Uint8Array, v: DataView): ImageHeader | undefined {
  if (bytes.length < 30) return undefined;
  const chunk = String.fromCharCode(bytes[12], bytes[13], bytes[14], bytes[15]);
  switch (chunk) {
    case 'VP8 ':
      return sized('webp', v.getUint16(26, true) & 0x3fff, v.getUint16(28, true) & 0x3fff);
    case 'VP8L': {
      const b = v.getUint32(21, true);
      return sized('webp', (b & 0x3fff) + 1, ((b >>> 14) & 0x3fff) + 1);
    }
    case 'VP8X':
      return sized('webp', 1 + (bytes[24] | (bytes[25] << 8) | (bytes[26] << 16)), 1 + (bytes[27] | (bytes[28] << 8) | (bytes[29] << 16)));
    default:
      return undefined;
  }
}

/** The first image file directory's ImageWidth (256) and ImageLength (257) tags. */
function tiff(v: DataView, little: boolean): ImageHeader | undefined {
  if (v.byteLength < 8) return undefined;
  const ifd = v.getUint32(4, little);
  if (ifd + 2 > v.byteLength) return undefined;
  const count = v.getUint16(ifd, little);
  let width = 0;
  let height = 0;
  for (let i = 0; i < count; i++) {
    const at = ifd + 2 + i * 12;
    if (at + 12 > v.byteLength) return undefined;
    const tag = v.getUint16(at, little);
    if (tag !== 256 && tag !== 257) continue;
    const type = v.getUint16(at + 2, little);
    const value = type === 3 ? v.getUint16(at + 8, little) : v.getUint32(at + 8, little);
    if (tag === 256) width = value;
    else height = value;
  }
  return sized('tiff', width, height);
}
