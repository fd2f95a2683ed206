/**
 * One vector in the requested encoding. `base64` is the vector's little-endian float32 bytes (what openai-node asks
 * for by default and decodes with a Float32Array). `float` is rounded to float32 too, as OpenAI's are, so both
 * encodings of one vector decode to the same numbers.
 */
export function encodeEmbedding(v: ArrayLike<number>, format: 'float' | 'base64'): number[] | string {
  if (format === 'float') return Array.from(v, Math.fround);
  const buf = Buffer.alloc(v.length * 4);
  for (let i = 0; i < v.length; i++) buf.writeFloatLE(v[i]!, i * 4);
  return buf.toString('base64');
}
