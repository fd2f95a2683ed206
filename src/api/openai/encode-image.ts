import type { GeneratedImage } from '../../core/index.js';
import { encodeBase64 } from '../shared/base64.js';

/** One entry of an images response's `data`: base64, or (for `url`) a data: URL, as Quarry hosts no files to link to. */
export function encodeImage(image: GeneratedImage, format: 'b64_json' | 'url'): { b64_json: string } | { url: string } {
  const b64 = encodeBase64(image.bytes);
  return format === 'url' ? { url: `data:${image.mediaType};base64,${b64}` } : { b64_json: b64 };
}
