/**
 * One bucket's sliding-window log: the time and tokens of each admission still in the window, oldest first, in a ring
 * of plain numbers. Entries are addressed by a sequence number that never repeats, so a ticket can find (and settle)
 * its entry without holding an object: at thousands of requests a second a window holds hundreds of thousands of
 * entries, and as objects each would live a minute and burden the garbage collector.
 */
export class WindowLog {
  private at = new Float64Array(16);
  private tok = new Float64Array(16);
  /** 1 once evicted or cancelled. */
  private gone = new Uint8Array(16);
  private mask = 15;
  /** Sequence numbers: entries head..tail-1 are stored. */
  private head = 0;
  private tail = 0;
  /** Live entries and their tokens. */
  count = 0;
  tokens = 0;

  push(at: number, tokens: number): number {
    if (this.tail - this.head > this.mask) this.grow();
    const i = this.tail & this.mask;
    this.at[i] = at;
    this.tok[i] = tokens;
    this.gone[i] = 0;
    this.count++;
    this.tokens += tokens;
    return this.tail++;
  }

  /** Drops entries admitted at or before `before`. */
  evict(before: number): void {
    while (this.head < this.tail) {
      const i = this.head & this.mask;
      if (this.gone[i] === 0) {
        if (this.at[i]! > before) return;
        this.count--;
        this.tokens -= this.tok[i]!;
      }
      this.head++;
    }
  }

  /** Whether entry `seq` still counts (not aged out, not cancelled). */
  live(seq: number): boolean {
    return seq >= this.head && seq < this.tail && this.gone[seq & this.mask] === 0;
  }

  /** Replaces a live entry's tokens with what was actually used. */
  settle(seq: number, tokens: number): void {
    if (!this.live(seq)) return;
    const i = seq & this.mask;
    this.tokens += tokens - this.tok[i]!;
    this.tok[i] = tokens;
  }

  /** Takes a live entry out of the window altogether (its request never ran). */
  cancel(seq: number): void {
    if (!this.live(seq)) return;
    const i = seq & this.mask;
    this.gone[i] = 1;
    this.count--;
    this.tokens -= this.tok[i]!;
  }

  /**
   * The admission time of the entry whose expiry makes `fits(count, tokens)` true, walking from the oldest; undefined
   * if even an empty window would not fit. Only refusals walk, and they stop at the first entry that is enough.
   */
  freedAt(fits: (count: number, tokens: number) => boolean): number | undefined {
    let count = this.count;
    let tokens = this.tokens;
    for (let s = this.head; s < this.tail; s++) {
      const i = s & this.mask;
      if (this.gone[i] === 1) continue;
      count--;
      tokens -= this.tok[i]!;
      if (fits(count, tokens)) return this.at[i];
    }
    return undefined;
  }

  get empty(): boolean {
    return this.count === 0;
  }

  private grow(): void {
    const size = (this.mask + 1) * 2;
    const at = new Float64Array(size);
    const tok = new Float64Array(size);
    const gone = new Uint8Array(size);
    const mask = size - 1;
    for (let s = this.head; s < this.tail; s++) {
      const from = s & this.mask;
      const to = s & mask;
      at[to] = this.at[from]!;
      tok[to] = this.tok[from]!;
      gone[to] = this.gone[from]!;
    }
    this.at = at;
    this.tok = tok;
    this.gone = gone;
    this.mask = mask;
  }
}
