import { QuarryError } from '../../core/index.js';

export interface Lease<T> {
  item: T;
  release(): void;
}

interface Waiter<T> {
  resolve(lease: Lease<T>): void;
  reject(e: unknown): void;
}

/**
 * A fixed set of context sequences shared by the requests of one model. A request takes the free sequence worth most to
 * it — for the engine, the one already holding the longest prefix of its prompt, so a follow-up turn lands on the KV
 * cache of its conversation and only the new tail is evaluated. When all are busy it waits in FIFO order, and leaves the
 * queue as soon as its signal aborts.
 */
export class SequencePool<T> {
  private readonly free: { item: T; releasedAt: number }[];
  private readonly waiters: Waiter<T>[] = [];
  private clock = 0;
  private closed = false;

  /**
   * `keep(item)`: the item holds state worth more than recency alone says (for the engine, a prefix a client marked
   * with a cachePoint), so among equally worth free items it is taken last.
   */
  constructor(
    items: readonly T[],
    private readonly keep: (item: T) => boolean = () => false,
  ) {
    this.free = items.map((item) => ({ item, releasedAt: 0 }));
  }

  get idle(): number {
    return this.free.length;
  }

  get queued(): number {
    return this.waiters.length;
  }

  /** `worth(item)` scores a free item, e.g. by how much of the prompt it already holds; the highest wins. */
  acquire(worth: (item: T) => number, signal: AbortSignal): Promise<Lease<T>> {
    if (this.closed) return Promise.reject(closedError());
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.free.length > 0) {
      let best = 0;
      let bestScore = Number.NEGATIVE_INFINITY;
      let bestKept = true;
      for (const [i, f] of this.free.entries()) {
        const score = worth(f.item);
        const kept = this.keep(f.item);
        // Ties go first to an item not kept, then to the least recently used one: a cachePoint prefix survives any
        // number of one-off chats, and among the rest the freshest conversations stay cached longest.
        const better = score !== bestScore ? score > bestScore : kept !== bestKept ? !kept : f.releasedAt < this.free[best].releasedAt;
        if (better) {
          best = i;
          bestScore = score;
          bestKept = kept;
        }
      }
      const [taken] = this.free.splice(best, 1);
      return Promise.resolve(this.lease(taken.item));
    }
    return new Promise<Lease<T>>((resolve, reject) => {
      const onAbort = () => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        reject(signal.reason);
      };
      const waiter: Waiter<T> = {
        resolve: (lease) => {
          signal.removeEventListener('abort', onAbort);
          resolve(lease);
        },
        reject: (e) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Rejects everyone waiting; leases already out finish and their release is then a no-op. */
  close(): void {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w.reject(closedError());
  }

  private lease(item: T): Lease<T> {
    let released = false;
    return {
      item,
      release: () => {
        if (released) return;
        released = true;
        if (this.closed) return;
        const next = this.waiters.shift();
        // A queued request gets the sequence directly: handing it over in order is fairer than a prefix match, which
        // could starve a request whose conversation is not cached anywhere.
        if (next) next.resolve(this.lease(item));
        else this.free.push({ item, releasedAt: ++this.clock });
      },
    };
  }
}

const closedError = () => new QuarryError('ServiceUnavailableException', 'The local model is shutting down.');
