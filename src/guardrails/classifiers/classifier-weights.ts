import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import type { LevelAnchors } from './calibrate-score.js';
import type { WindowScale } from './classification-windows.js';
import { CONTENT_CATEGORIES, type ContentCategory } from './content-category.js';
import type { Lexicon } from './text-features.js';

/**
 * The trained models as one file: a gzip of `QCCW`, a little-endian u32 header length, a JSON header, zero padding to
 * four bytes, then per category a 256-entry float32 codebook and one int8 code per feature slot, then the lexicon as
 * int32 phrase keys followed by one class-mask byte each. Weights are stored as codes into a per-category codebook on
 * a square-law scale, which keeps small weights (most of them) distinct at a byte each.
 */
export interface CategoryModel {
  category: ContentCategory;
  bias: number;
  weights: Float32Array;
  anchors: LevelAnchors;
}

export interface ClassifierWeights {
  bits: number;
  /** The scales text is windowed at (`windowsAtScales`), as trained. */
  windows: WindowScale[];
  lexicon: Lexicon;
  models: CategoryModel[];
  /** Free-form provenance written by the training script (data, date, metrics); not read by classification. */
  about?: Record<string, unknown>;
}

const MAGIC = 'QCCW';
const CODEBOOK = 256;

const headerSchema = z
  .object({
    format: z.literal('quarry-content-classifiers'),
    version: z.literal(1),
    bits: z.number().int().min(10).max(24),
    windows: z
      .array(z.object({ size: z.number().int().positive(), overlap: z.number().int().nonnegative() }).strict())
      .min(1)
      .max(4)
      .refine((scales) => scales.every((s) => s.overlap * 2 <= s.size), 'a window overlap must be at most half its size'),
    lexiconClasses: z.array(z.string().min(1)).max(8),
    lexiconSize: z.number().int().nonnegative(),
    categories: z
      .array(
        z
          .object({
            category: z.enum(CONTENT_CATEGORIES),
            bias: z.number().finite(),
            anchors: z.tuple([z.number().finite(), z.number().finite(), z.number().finite()]),
          })
          .strict()
          .refine(({ anchors: [l, m, h] }) => l <= m && m <= h, 'anchors must be in increasing order'),
      )
      .min(1),
    about: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export class CorruptWeightsError extends Error {
  override name = 'CorruptWeightsError';
}

export function encodeClassifierWeights(w: ClassifierWeights): Uint8Array {
  const size = 1 << w.bits;
  const header = {
    format: 'quarry-content-classifiers',
    version: 1,
    bits: w.bits,
    windows: w.windows,
    lexiconClasses: w.lexicon.classes,
    lexiconSize: w.lexicon.entries.size,
    categories: w.models.map((m) => ({ category: m.category, bias: m.bias, anchors: [...m.anchors] })),
    ...(w.about ? { about: w.about } : {}),
  };
  headerSchema.parse(header);
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const start = align4(8 + json.length);
  const total = start + w.models.length * (CODEBOOK * 4 + size) + w.lexicon.entries.size * 5;
  const out = Buffer.alloc(align4(total));
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  let at = start;
  for (const m of w.models) {
    if (m.weights.length !== size) throw new RangeError(`${m.category}: expected ${size} weights`);
    const { codebook, codes } = quantize(m.weights);
    Buffer.from(codebook.buffer).copy(out, at);
    at += CODEBOOK * 4;
    Buffer.from(codes.buffer).copy(out, at);
    at += size;
  }
  const keys = [...w.lexicon.entries.keys()].sort((a, b) => a - b);
  for (const key of keys) {
    out.writeInt32LE(key, at);
    at += 4;
  }
  for (const key of keys) out.writeUInt8(w.lexicon.entries.get(key)!, at++);
  return gzipSync(out, { level: 9 });
}

export function decodeClassifierWeights(file: Uint8Array): ClassifierWeights {
  let bytes: Buffer;
  try {
    bytes = gunzipSync(file);
  } catch (e) {
    throw new CorruptWeightsError('classifier weights are not a gzip file', { cause: e });
  }
  if (bytes.length < 8 || bytes.toString('latin1', 0, 4) !== MAGIC) throw new CorruptWeightsError('classifier weights: bad magic');
  const headerLength = bytes.readUInt32LE(4);
  if (8 + headerLength > bytes.length) throw new CorruptWeightsError('classifier weights: header runs past the end');
  let parsed: z.infer<typeof headerSchema>;
  try {
    parsed = headerSchema.parse(JSON.parse(bytes.toString('utf8', 8, 8 + headerLength)));
  } catch (e) {
    throw new CorruptWeightsError('classifier weights: invalid header', { cause: e });
  }
  const size = 1 << parsed.bits;
  const start = align4(8 + headerLength);
  const expected = start + parsed.categories.length * (CODEBOOK * 4 + size) + parsed.lexiconSize * 5;
  if (bytes.length < expected || bytes.length > align4(expected)) {
    throw new CorruptWeightsError(`classifier weights: ${bytes.length} bytes where the header implies ${expected}`);
  }
  if (new Set(parsed.categories.map((c) => c.category)).size !== parsed.categories.length) {
    throw new CorruptWeightsError('classifier weights: a category appears twice');
  }
  // Copies, so the typed arrays are aligned whatever the Buffer's offset in its pool.
  let at = start;
  const models: CategoryModel[] = parsed.categories.map((c) => {
    const codebook = new Float32Array(bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + at + CODEBOOK * 4));
    at += CODEBOOK * 4;
    const weights = new Float32Array(size);
    for (let i = 0; i < size; i++) weights[i] = codebook[bytes[at + i]!]!;
    at += size;
    if (!weights.every(Number.isFinite)) throw new CorruptWeightsError(`classifier weights: ${c.category} holds non-finite values`);
    return { category: c.category, bias: c.bias, anchors: c.anchors, weights };
  });
  const entries = new Map<number, number>();
  const keysAt = at;
  const masksAt = at + parsed.lexiconSize * 4;
  for (let k = 0; k < parsed.lexiconSize; k++) entries.set(bytes.readInt32LE(keysAt + k * 4), bytes[masksAt + k]!);
  const result: ClassifierWeights = {
    bits: parsed.bits,
    windows: parsed.windows,
    lexicon: { classes: parsed.lexiconClasses, entries },
    models,
  };
  if (parsed.about) result.about = parsed.about;
  return result;
}

/**
 * Codes on a square-law scale: code q (−127..127, stored as q+128) stands for sign(q)·max·(|q|/127)², so a weight a
 * hundredth of the largest is still stored within a few per cent.
 */
export function quantize(weights: Float32Array): { codebook: Float32Array; codes: Uint8Array } {
  let max = 0;
  for (const w of weights) max = Math.max(max, Math.abs(w));
  const codebook = new Float32Array(CODEBOOK);
  for (let q = -127; q <= 127; q++) codebook[q + 128] = max === 0 ? 0 : Math.sign(q) * max * (q / 127) ** 2;
  const codes = new Uint8Array(weights.length);
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    const q = max === 0 ? 0 : Math.round(127 * Math.sqrt(Math.abs(w) / max));
    codes[i] = (w < 0 ? -q : q) + 128;
  }
  return { codebook, codes };
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
