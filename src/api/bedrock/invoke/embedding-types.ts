/**
 * Embedding encodings the native formats offer besides float32. Quantisation assumes unit-length vectors (values in
 * [-1, 1]), which is what every embedding model here returns once normalised.
 */

export function l2Normalize(v: ArrayLike<number>): number[] {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const n = Math.sqrt(sum) || 1;
  return Array.from(v, (x) => x / n);
}

/** Titan's `binary`: one 0/1 per dimension, the sign of each value. */
export const signBits = (v: readonly number[]) => v.map((x) => (x > 0 ? 1 : 0));

export const toInt8 = (v: readonly number[]) => v.map((x) => Math.max(-128, Math.min(127, Math.round(x * 127))));
export const toUint8 = (v: readonly number[]) => v.map((x) => Math.max(0, Math.min(255, Math.round((x + 1) * 127.5))));

/** Cohere's `ubinary`: sign bits packed eight to a byte, most significant first (numpy.packbits); `binary` is that minus 128. */
export function packedBits(v: readonly number[], signed: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < v.length; i += 8) {
    let byte = 0;
    for (let j = 0; j < 8; j++) byte = (byte << 1) | (i + j < v.length && v[i + j]! > 0 ? 1 : 0);
    out.push(signed ? byte - 128 : byte);
  }
  return out;
}
