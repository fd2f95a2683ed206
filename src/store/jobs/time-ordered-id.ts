import { randomBytes } from 'node:crypto';

let lastMs = -1;
let seq = 0;

/**
 * A UUIDv7 (RFC 9562): 48 bits of milliseconds, a 12-bit sequence, then randomness. Its text sorts by creation time,
 * so one indexed column gives both a stable listing order and a keyset cursor, with no tie-break column. Within this
 * process ids strictly increase (the sequence orders ids of one millisecond, and a clock stepping back is ignored);
 * across processes they are ordered to the millisecond.
 */
export function timeOrderedId(ms: number = Date.now()): string {
  let t = Math.max(0, Math.floor(ms));
  if (t > lastMs) {
    lastMs = t;
    // Starting low in the range leaves room for thousands of ids in one millisecond.
    seq = randomBytes(2).readUInt16BE(0) & 0x3ff;
  } else if (++seq > 0xfff) {
    lastMs += 1;
    seq = 0;
  }
  t = lastMs;
  const b = randomBytes(16);
  b.writeUIntBE(t, 0, 6);
  b[6] = 0x70 | (seq >> 8);
  b[7] = seq & 0xff;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
