import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Index, MetricKind, ScalarKind } from 'usearch';

/**
 * usearch's HNSW index, cosine metric, behind the few operations the embedded store needs. It is derived state: the
 * SQLite file is the truth, and this index can always be rebuilt from its vector blobs.
 *
 * Defaults come from bench/ann.ts (512-d clustered vectors, 2 cores): see bench/RESULTS.md.
 */
export interface AnnOptions {
  /**
   * Storage of vectors inside the index. f32 is exact; f16 and i8 are 2x and 4x smaller and faster to build and search
   * (memory-bound on small machines), and the store re-ranks their candidates with the exact f32 vectors it keeps.
   */
  quantization: 'f32' | 'f16' | 'i8';
  /** HNSW M: edges per node. */
  connectivity: number;
  /** ef at build time. */
  expansionAdd: number;
  /** ef at query time; usearch searches with max(ef, k), so asking for more results widens the search too. */
  expansionSearch: number;
}

/**
 * Measured by bench/ann.ts at 1M 512-d vectors on 2 cores (bench/RESULTS.md). i8: a quarter of f32's memory (0.77 GB
 * per million vectors in RAM, graph included, against 2.2 GB), faster to build and search where memory bandwidth is the
 * bottleneck; the exact f32 re-rank of the candidates recovers what quantization loses (recall 0.88 raw, 0.99 re-ranked).
 * ef_add 128: the graph, not the search, limited recall at ef_add 64 (0.88 at best). ef 256: recall@10 0.987 at
 * p99 3 ms (ef 128: 0.967 at 2 ms), margin for data harder than the benchmark's.
 */
export const DEFAULT_ANN_OPTIONS: AnnOptions = { quantization: 'i8', connectivity: 16, expansionAdd: 128, expansionSearch: 256 };

/** What the SQLite file records about the ANN file it last saw saved, to trust the file before handing it to native code. */
export interface AnnFileRecord {
  bytes: number;
  sha256: string;
  dimensions: number;
  quantization: AnnOptions['quantization'];
  connectivity: number;
}

const SCALAR: Record<AnnOptions['quantization'], ScalarKind> = { f32: ScalarKind.F32, f16: ScalarKind.F16, i8: ScalarKind.I8 };

export class UsearchAnn {
  readonly #index: Index;

  constructor(
    readonly dimensions: number,
    readonly options: AnnOptions,
  ) {
    this.#index = new Index({
      dimensions,
      metric: MetricKind.Cos,
      quantization: SCALAR[options.quantization],
      connectivity: options.connectivity,
      expansion_add: options.expansionAdd,
      expansion_search: options.expansionSearch,
      multi: false,
    });
  }

  get size(): number {
    return this.#index.size();
  }

  /** Adds vectors under labels; large batches use every core (usearch inserts in parallel natively). */
  add(labels: number[], vectors: Float32Array[]): void {
    if (!labels.length) return;
    const flat = new Float32Array(labels.length * this.dimensions);
    for (const [i, v] of vectors.entries()) flat.set(v, i * this.dimensions);
    this.addMatrix(BigUint64Array.from(labels, (l) => BigInt(l)), flat);
  }

  /** Adds `labels.length` vectors stored row after row in `matrix`. */
  addMatrix(labels: BigUint64Array, matrix: Float32Array): void {
    if (!labels.length) return;
    const threads = labels.length >= 256 ? availableParallelism() : 1;
    this.#index.add(labels, this.#input(matrix), threads);
  }

  /**
   * For i8 the vectors are quantized here rather than by usearch, which scales a unit vector by 127 and truncates: a
   * 512-d embedding's components (about ±0.05) would keep 3-4 bits. Cosine ignores each vector's scale, so each one is
   * scaled by its own largest component to use the whole [-127, 127] range, and rounded.
   */
  #input(matrix: Float32Array): Float32Array | Int8Array {
    if (this.options.quantization !== 'i8') return matrix;
    const d = this.dimensions;
    const out = new Int8Array(matrix.length);
    for (let row = 0; row < matrix.length; row += d) {
      let max = 0;
      for (let j = row; j < row + d; j++) max = Math.max(max, Math.abs(matrix[j]));
      const scale = max > 0 ? 127 / max : 0;
      for (let j = row; j < row + d; j++) out[j] = Math.round(matrix[j] * scale);
    }
    return out;
  }

  remove(labels: number[]): void {
    const contained = this.contains(labels);
    const present = labels.filter((_, i) => contained[i]);
    if (present.length) this.#index.remove(BigUint64Array.from(present, (l) => BigInt(l)));
  }

  contains(labels: number[]): boolean[] {
    if (!labels.length) return [];
    return this.#index.contains(BigUint64Array.from(labels, (l) => BigInt(l))) as boolean[];
  }

  /** Nearest labels by cosine distance; an empty index has none (usearch throws on searching one). */
  search(query: Float32Array, k: number): number[] {
    if (this.size === 0) return [];
    const found = this.#index.search(this.#input(query), Math.min(k, this.size), 1);
    return Array.from(found.keys, (l) => Number(l));
  }

  /**
   * Writes the index to `path` through a temporary file and a rename, so a crash leaves the old file or the new one,
   * and returns what to record to trust it later.
   */
  async save(path: string): Promise<AnnFileRecord> {
    const tmp = `${path}.tmp`;
    this.#index.save(tmp);
    const record: AnnFileRecord = {
      bytes: (await stat(tmp)).size,
      sha256: await sha256File(tmp),
      dimensions: this.dimensions,
      quantization: this.options.quantization,
      connectivity: this.options.connectivity,
    };
    await rename(tmp, path);
    return record;
  }

  /**
   * Loads `path` only if it is exactly the file recorded at the last save: usearch trusts its input, and a truncated or
   * corrupt file crashes the process in native code rather than raising an error.
   */
  static async load(path: string, dimensions: number, options: AnnOptions, record: AnnFileRecord | undefined): Promise<UsearchAnn | undefined> {
    if (!record || record.dimensions !== dimensions || record.quantization !== options.quantization || record.connectivity !== options.connectivity) {
      return undefined;
    }
    const size = await stat(path).then(
      (s) => s.size,
      () => -1,
    );
    if (size !== record.bytes || (await sha256File(path)) !== record.sha256) return undefined;
    const ann = new UsearchAnn(dimensions, options);
    try {
      ann.#index.load(path);
    } catch {
      return undefined;
    }
    return ann.#index.dimensions() === dimensions ? ann : undefined;
  }

  static async removeFiles(path: string): Promise<void> {
    await rm(path, { force: true });
    await rm(`${path}.tmp`, { force: true });
  }
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
