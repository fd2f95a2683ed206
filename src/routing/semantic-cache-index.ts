/** A cached answer's place in the semantic index: the exact-cache key that holds it, and its prompt's unit vector. */
interface IndexEntry {
  key: string;
  vector: Float32Array;
}

/**
 * The semantic cache's index, in this process: per partition (everything about a request but its last user message,
 * so only requests to the same model with the same system prompt, history, parameters, tools and sharing scope are
 * compared), the prompt vectors of cached answers. A partition holds few entries, so a scan is exact and cheap; the
 * whole index is bounded, oldest entry out first.
 */
export class SemanticCacheIndex {
  readonly #partitions = new Map<string, IndexEntry[]>();
  /** Insertion order across partitions, for eviction. */
  readonly #order: { partition: string; key: string }[] = [];
  #head = 0;
  #count = 0;

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.#count;
  }

  /** The most similar entry at or above `threshold` (cosine similarity), if any. */
  nearest(partition: string, vector: Float32Array, threshold: number): { key: string; similarity: number } | undefined {
    const unit = normalised(vector);
    let best: { key: string; similarity: number } | undefined;
    for (const e of this.#partitions.get(partition) ?? []) {
      const similarity = dot(unit, e.vector);
      if (similarity >= threshold && (!best || similarity > best.similarity)) best = { key: e.key, similarity };
    }
    return best;
  }

  add(partition: string, key: string, vector: Float32Array): void {
    let entries = this.#partitions.get(partition);
    if (!entries) {
      entries = [];
      this.#partitions.set(partition, entries);
    }
    if (entries.some((e) => e.key === key)) return;
    entries.push({ key, vector: normalised(vector) });
    this.#count++;
    this.#order.push({ partition, key });
    // Entries removed earlier are still in #order; passing over them removes nothing.
    while (this.#count > this.maxEntries && this.#head < this.#order.length) {
      const old = this.#order[this.#head++]!;
      this.remove(old.partition, old.key);
    }
    // Compacted now and then rather than shifted each time (shift is linear in the array's length).
    if (this.#head > 1024 && this.#head * 2 > this.#order.length) {
      this.#order.splice(0, this.#head);
      this.#head = 0;
    }
  }

  /** Forgets an entry whose answer has left the store (expired or evicted there). */
  remove(partition: string, key: string): void {
    const entries = this.#partitions.get(partition);
    if (!entries) return;
    const i = entries.findIndex((e) => e.key === key);
    if (i >= 0) {
      entries.splice(i, 1);
      this.#count--;
    }
    if (!entries.length) this.#partitions.delete(partition);
  }
}

function normalised(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i]! * v[i]!;
  const scale = n > 0 ? 1 / Math.sqrt(n) : 0;
  return Float32Array.from(v, (x) => x * scale);
}

function dot(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return -1;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
