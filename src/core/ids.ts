import { randomUUID } from 'node:crypto';

// Random wire ids made on every request, cut from Node's randomUUID, which draws from a buffered pool of entropy
// (about 0.2 µs a call): `randomBytes(n)` goes to OpenSSL each time (about 5 µs here, more under load), and the
// `chatcmpl-` id made that way was 6% of the gateway's CPU per request. (Time-ordered ids: store's timeOrderedId.)

/** `length` random hex digits, for wire ids such as `chatcmpl-…` and `msg_…`. */
export function randomHex(length: number): string {
  let out = '';
  while (out.length < length) {
    // xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx: 30 of its digits are wholly random (not the version 4, not the variant y).
    const r = randomUUID();
    out += r.slice(0, 8) + r.slice(9, 13) + r.slice(15, 18) + r.slice(20, 23) + r.slice(24);
  }
  return out.slice(0, length);
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `length` random base-62 characters (Anthropic's `msg_01…` ids); each from 2 hex digits, a slight bias no reader can use. */
export function randomBase62(length: number): string {
  const hex = randomHex(length * 2);
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62[Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16) % 62];
  return out;
}
