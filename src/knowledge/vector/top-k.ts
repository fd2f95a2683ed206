/** The k best-scoring items seen so far, in O(log k) per offer: a min-heap whose root is the worst item kept. */
export class TopK<T> {
  readonly #heap: { item: T; score: number }[] = [];

  constructor(private readonly k: number) {}

  offer(item: T, score: number): void {
    const h = this.#heap;
    if (h.length < this.k) {
      h.push({ item, score });
      let i = h.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (h[p].score <= h[i].score) break;
        [h[p], h[i]] = [h[i], h[p]];
        i = p;
      }
    } else if (this.k > 0 && score > h[0].score) {
      h[0] = { item, score };
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l].score < h[m].score) m = l;
        if (r < h.length && h[r].score < h[m].score) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i], h[m]];
        i = m;
      }
    }
  }

  /** Best first. */
  sorted(): { item: T; score: number }[] {
    return [...this.#heap].sort((a, b) => b.score - a.score);
  }
}
