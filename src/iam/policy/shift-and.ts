/**
 * Finds a fixed-length pattern with single-character wildcards (`?`) in a string by the Shift-And (bitap) method: one
 * pass over the text, updating a bit per pattern position, 32 positions per machine word. A pattern of up to 32
 * characters is found in linear time; a longer one costs one word operation per 32 characters per text character,
 * instead of the character-by-character comparison at every start that a naive search does.
 */
export class ShiftAnd {
  private readonly words: number;
  private readonly lastBit: number;
  /** Per character code, the pattern positions it may stand at (wildcard positions included). */
  private readonly ascii: (Uint32Array | undefined)[] = new Array(128);
  private readonly other = new Map<number, Uint32Array>();
  /** Positions any character may stand at: the wildcards. */
  private readonly wild: Uint32Array;
  private readonly state: Uint32Array;

  constructor(
    private readonly text: string,
    wildcards: readonly number[],
  ) {
    this.words = Math.ceil(text.length / 32);
    this.lastBit = 1 << ((text.length - 1) % 32);
    this.wild = new Uint32Array(this.words);
    this.state = new Uint32Array(this.words);
    for (const i of wildcards) this.wild[i >>> 5]! |= 1 << (i & 31);
    const isWild = new Set(wildcards);
    for (let i = 0; i < text.length; i++) {
      if (isWild.has(i)) continue;
      const mask = this.maskFor(text.charCodeAt(i));
      mask[i >>> 5]! |= 1 << (i & 31);
    }
  }

  /** Left-most start at or after `from` of a match that ends by `limit`, or -1. */
  find(value: string, from: number, limit: number): number {
    const n = this.text.length;
    if (this.words === 1) {
      let d = 0;
      for (let j = from; j < limit; j++) {
        d = ((d << 1) | 1) & this.mask(value.charCodeAt(j))[0]!;
        if (d & this.lastBit) return j - n + 1;
      }
      return -1;
    }
    const d = this.state;
    d.fill(0);
    const top = this.words - 1;
    for (let j = from; j < limit; j++) {
      const m = this.mask(value.charCodeAt(j));
      let carry = 1;
      for (let w = 0; w <= top; w++) {
        const x = d[w]!;
        d[w] = ((x << 1) | carry) & m[w]!;
        carry = x >>> 31;
      }
      if (d[top]! & this.lastBit) return j - n + 1;
    }
    return -1;
  }

  private mask(c: number): Uint32Array {
    return (c < 128 ? this.ascii[c] : this.other.get(c)) ?? this.wild;
  }

  private maskFor(c: number): Uint32Array {
    let m = c < 128 ? this.ascii[c] : this.other.get(c);
    if (!m) {
      m = Uint32Array.from(this.wild);
      if (c < 128) this.ascii[c] = m;
      else this.other.set(c, m);
    }
    return m;
  }
}
