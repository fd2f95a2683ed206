/**
 * Sums values per feature slot for one window: open addressing with linear probing, sized to the window (a few
 * thousand slots) rather than to the 2^18-slot feature space, so it stays in the processor's cache; that, not the
 * arithmetic, is what feature extraction's speed depends on. Emptied in time proportional to what was added.
 */
export class SlotTable {
  private keys: Int32Array;
  private sums: Float64Array;
  private order: Int32Array;
  size = 0;

  constructor(capacity = 4096) {
    this.keys = new Int32Array(capacity).fill(-1);
    this.sums = new Float64Array(capacity);
    this.order = new Int32Array(capacity >> 1);
  }

  add(slot: number, value: number): void {
    const mask = this.keys.length - 1;
    let at = Math.imul(slot, 0x9e3779b1) >>> 0 & mask;
    for (;;) {
      const key = this.keys[at]!;
      if (key === slot) {
        this.sums[at] += value;
        return;
      }
      if (key === -1) break;
      at = (at + 1) & mask;
    }
    if ((this.size + 1) * 2 > this.keys.length) {
      this.grow();
      this.add(slot, value);
      return;
    }
    this.keys[at] = slot;
    this.sums[at] = value;
    this.order[this.size++] = at;
  }

  /** Slot and sum of the i-th distinct slot added, in the order first added. */
  slotAt(i: number): number {
    return this.keys[this.order[i]!]!;
  }

  sumAt(i: number): number {
    return this.sums[this.order[i]!]!;
  }

  setSumAt(i: number, value: number): void {
    this.sums[this.order[i]!] = value;
  }

  clear(): void {
    for (let i = 0; i < this.size; i++) this.keys[this.order[i]!] = -1;
    this.size = 0;
  }

  private grow(): void {
    const slots = Int32Array.from({ length: this.size }, (_, i) => this.slotAt(i));
    const sums = Float64Array.from({ length: this.size }, (_, i) => this.sumAt(i));
    const capacity = this.keys.length * 2;
    this.keys = new Int32Array(capacity).fill(-1);
    this.sums = new Float64Array(capacity);
    this.order = new Int32Array(capacity >> 1);
    this.size = 0;
    for (let i = 0; i < slots.length; i++) this.add(slots[i]!, sums[i]!);
  }
}
