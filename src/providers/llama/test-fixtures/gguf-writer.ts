import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * A minimal GGUF v3 writer: enough of the format (typed metadata, F32 tensors, alignment) to produce files llama.cpp
 * loads, so tests exercise the real loader instead of a mock. Spec: ggml/docs/gguf.md.
 */

export type GgufValue =
  | { type: 'u32'; value: number }
  | { type: 'i32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'str'; value: string }
  | { type: 'arr-str'; value: readonly string[] }
  | { type: 'arr-f32'; value: ArrayLike<number> }
  | { type: 'arr-i32'; value: ArrayLike<number> };

export interface GgufTensor {
  name: string;
  /** ggml order: dims[0] is the contiguous (fastest-varying) one. */
  dims: readonly number[];
  data: Float32Array;
}

const ALIGNMENT = 32;
const GGML_TYPE_F32 = 0;
enum T {
  U32 = 4,
  I32 = 5,
  F32 = 6,
  BOOL = 7,
  STR = 8,
  ARR = 9,
}

class ByteSink {
  private chunks: Buffer[] = [];
  length = 0;
  push(b: Buffer): void {
    this.chunks.push(b);
    this.length += b.length;
  }
  u32(n: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    this.push(b);
  }
  i32(n: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(n);
    this.push(b);
  }
  u64(n: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    this.push(b);
  }
  f32(n: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(n);
    this.push(b);
  }
  str(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.u64(b.length);
    this.push(b);
  }
  pad(): void {
    const rest = this.length % ALIGNMENT;
    if (rest) this.push(Buffer.alloc(ALIGNMENT - rest));
  }
  concat(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function writeValue(out: ByteSink, v: GgufValue): void {
  switch (v.type) {
    case 'u32':
      out.u32(T.U32);
      out.u32(v.value);
      return;
    case 'i32':
      out.u32(T.I32);
      out.i32(v.value);
      return;
    case 'f32':
      out.u32(T.F32);
      out.f32(v.value);
      return;
    case 'bool':
      out.u32(T.BOOL);
      out.push(Buffer.from([v.value ? 1 : 0]));
      return;
    case 'str':
      out.u32(T.STR);
      out.str(v.value);
      return;
    case 'arr-str':
      out.u32(T.ARR);
      out.u32(T.STR);
      out.u64(v.value.length);
      for (const s of v.value) out.str(s);
      return;
    case 'arr-f32': {
      out.u32(T.ARR);
      out.u32(T.F32);
      out.u64(v.value.length);
      const b = Buffer.from(Float32Array.from(v.value).buffer);
      out.push(b);
      return;
    }
    case 'arr-i32': {
      out.u32(T.ARR);
      out.u32(T.I32);
      out.u64(v.value.length);
      out.push(Buffer.from(Int32Array.from(v.value).buffer));
      return;
    }
    default:
      v satisfies never;
  }
}

const alignUp = (n: number) => Math.ceil(n / ALIGNMENT) * ALIGNMENT;

export function writeGguf(path: string, metadata: Record<string, GgufValue>, tensors: readonly GgufTensor[]): void {
  const head = new ByteSink();
  head.push(Buffer.from('GGUF', 'ascii'));
  head.u32(3);
  head.u64(tensors.length);
  head.u64(Object.keys(metadata).length);
  for (const [key, value] of Object.entries(metadata)) {
    head.str(key);
    writeValue(head, value);
  }
  let offset = 0;
  for (const t of tensors) {
    if (t.data.length !== t.dims.reduce((a, b) => a * b, 1)) throw new Error(`tensor ${t.name}: data does not match dims`);
    head.str(t.name);
    head.u32(t.dims.length);
    for (const d of t.dims) head.u64(d);
    head.u32(GGML_TYPE_F32);
    head.u64(offset);
    offset = alignUp(offset + t.data.byteLength);
  }
  head.pad();
  // Tensors can be large (the benchmark writes ~100 MB), so they are streamed to the file rather than concatenated.
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head.concat());
    for (const t of tensors) {
      writeSync(fd, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
      const rest = t.data.byteLength % ALIGNMENT;
      if (rest) writeSync(fd, Buffer.alloc(ALIGNMENT - rest));
    }
  } finally {
    closeSync(fd);
  }
}
