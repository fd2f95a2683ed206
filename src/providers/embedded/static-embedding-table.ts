import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * A static embedding table: one vector per vocabulary piece, stored as int8 with a float scale per row (a quarter of
 * float32's size; the rounding moves cosines by about 0.001, see the training report). A text's embedding is the mean
 * of its pieces' rows.
 */
export interface StaticEmbeddingTable {
  rows: number;
  dims: number;
  /** sha256 (hex) of the vocabulary the rows are indexed by. */
  vocabularySha256: string;
  /**
   * teacher cosine ≈ slope × cosine + intercept: mean pooling puts unrelated texts closer together than the teacher
   * does, so thresholds set on the teacher's scale read this table's cosines through this line (fitted in training).
   */
  cosineToTeacher: { slope: number; intercept: number };
  scales: Float32Array;
  values: Int8Array;
}

const MAGIC = 'QSE1';
const HEADER = 4 + 4 + 4 + 32 + 8;

/** Rounds a float table (rows × dims, row-major) to int8 rows with a scale each. */
export function quantizeTable(
  vectors: ArrayLike<number>,
  rows: number,
  dims: number,
  vocabularySha256: string,
  cosineToTeacher = { slope: 1, intercept: 0 },
): StaticEmbeddingTable {
  const scales = new Float32Array(rows);
  const values = new Int8Array(rows * dims);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let d = 0; d < dims; d++) max = Math.max(max, Math.abs(vectors[r * dims + d]!));
    const scale = max / 127;
    scales[r] = scale;
    if (scale > 0) for (let d = 0; d < dims; d++) values[r * dims + d] = Math.round(vectors[r * dims + d]! / scale);
  }
  return { rows, dims, vocabularySha256, cosineToTeacher, scales, values };
}

/**
 * The gzipped file: "QSE1", rows and dims (uint32 LE), the vocabulary's sha256, the cosine line's slope and intercept
 * (float32 LE), the scales, then the values.
 */
export function encodeStaticTable(t: StaticEmbeddingTable): Buffer {
  const buf = Buffer.alloc(HEADER + t.rows * 4 + t.rows * t.dims);
  buf.write(MAGIC, 0, 'latin1');
  buf.writeUInt32LE(t.rows, 4);
  buf.writeUInt32LE(t.dims, 8);
  Buffer.from(t.vocabularySha256, 'hex').copy(buf, 12);
  buf.writeFloatLE(t.cosineToTeacher.slope, 44);
  buf.writeFloatLE(t.cosineToTeacher.intercept, 48);
  Buffer.from(t.scales.buffer, t.scales.byteOffset, t.scales.byteLength).copy(buf, HEADER);
  Buffer.from(t.values.buffer, t.values.byteOffset, t.values.byteLength).copy(buf, HEADER + t.rows * 4);
  return gzipSync(buf, { level: 9 });
}

export function decodeStaticTable(file: Buffer): StaticEmbeddingTable {
  const buf = gunzipSync(file);
  if (buf.length < HEADER || buf.toString('latin1', 0, 4) !== MAGIC) throw new Error('not a static embedding table (bad header)');
  const rows = buf.readUInt32LE(4);
  const dims = buf.readUInt32LE(8);
  if (buf.length !== HEADER + rows * 4 + rows * dims) throw new Error(`static embedding table of ${rows} × ${dims} has ${buf.length} bytes`);
  const vocabularySha256 = buf.toString('hex', 12, 44);
  const cosineToTeacher = { slope: buf.readFloatLE(44), intercept: buf.readFloatLE(48) };
  // Copies, so the arrays are aligned whatever offset the decompressed buffer has.
  const scales = new Float32Array(buf.buffer.slice(buf.byteOffset + HEADER, buf.byteOffset + HEADER + rows * 4));
  const values = new Int8Array(buf.buffer.slice(buf.byteOffset + HEADER + rows * 4, buf.byteOffset + buf.length));
  return { rows, dims, vocabularySha256, cosineToTeacher, scales, values };
}

/** Adds the rows of `ids` (a text's pieces) to `out` (dims long): the one loop every embedding of the table runs. */
export function addRows(t: StaticEmbeddingTable, ids: readonly number[], out: Float32Array): void {
  const { dims, scales, values } = t;
  // Eight dimensions a turn: V8 runs this loop about 40% faster than one a turn (a quarter of a guardrail check's
  // time went here). Each dimension still gets the same additions in the same order, so the sums are bit-identical.
  const whole = dims - (dims % 8);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const s = scales[id]!;
    if (s === 0) continue;
    let v = id * dims;
    let d = 0;
    for (; d < whole; d += 8, v += 8) {
      out[d]! += s * values[v]!;
      out[d + 1]! += s * values[v + 1]!;
      out[d + 2]! += s * values[v + 2]!;
      out[d + 3]! += s * values[v + 3]!;
      out[d + 4]! += s * values[v + 4]!;
      out[d + 5]! += s * values[v + 5]!;
      out[d + 6]! += s * values[v + 6]!;
      out[d + 7]! += s * values[v + 7]!;
    }
    for (; d < dims; d++, v++) out[d]! += s * values[v]!;
  }
}

/**
 * The mean of the rows of `ids` (the pieces of one text), into `out` (dims long). Unit length is left to the caller:
 * cosine ignores it.
 */
export function meanOfRows(t: StaticEmbeddingTable, ids: readonly number[], out: Float32Array): Float32Array {
  out.fill(0);
  addRows(t, ids, out);
  if (ids.length > 0) for (let d = 0; d < out.length; d++) out[d]! /= ids.length;
  return out;
}
