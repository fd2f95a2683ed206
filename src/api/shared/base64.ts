import { validation } from '../../core/index.js';

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;
const B64URL = /^[A-Za-z0-9_-]*={0,2}$/;

/** Decodes base64 strictly: Buffer.from silently skips invalid characters, which would corrupt images and documents. */
export function decodeBase64(s: string, what: string): Uint8Array {
  const t = s.replace(/\s+/g, '');
  if (!(B64.test(t) || B64URL.test(t)) || t.length % 4 === 1) throw validation(`${what} is not valid base64.`);
  return new Uint8Array(Buffer.from(t, B64.test(t) ? 'base64' : 'base64url'));
}

export const encodeBase64 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
