import { validation } from '../../core/index.js';
import { decodeBase64 } from '../shared/base64.js';

/**
 * Decodes a base64 `data:` URL. Remote URLs are refused rather than fetched: fetching what a prompt points at would
 * let any caller make the server reach into its own network.
 */
export function parseDataUrl(url: string, at: string): { mediaType: string; bytes: Uint8Array } {
  const m = /^data:([^;,]*)((?:;[^;,]*)*),/i.exec(url);
  if (!m) {
    throw validation(
      /^https?:/i.test(url)
        ? `${at}: Quarry does not fetch remote URLs; send the content inline as a base64 data URL (data:<media type>;base64,...).`
        : `${at} must be a base64 data URL (data:<media type>;base64,...).`,
    );
  }
  if (!/;base64$/i.test(m[2] ?? '')) throw validation(`${at}: only base64 data URLs are supported.`);
  return { mediaType: (m[1] || 'application/octet-stream').toLowerCase(), bytes: decodeBase64(url.slice(m[0].length), at) };
}
