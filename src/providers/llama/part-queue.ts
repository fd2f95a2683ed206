/**
 * Bridges node-llama-cpp's callbacks (pushed from inside its generation loop) to an async iterator the stream pulls
 * from. Unbounded on purpose: a reply is at most the context window of small parts, and the engine must never block on
 * a slow client while it holds a sequence.
 */
export class PartQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private wake?: () => void;
  private done = false;
  private failure: { error: unknown } | undefined;

  push(item: T): void {
    this.items.push(item);
    this.notify();
  }

  end(): void {
    this.done = true;
    this.notify();
  }

  fail(error: unknown): void {
    this.failure = { error };
    this.done = true;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    while (true) {
      if (this.items.length > 0) {
        // Drain in one go: fewer promise round-trips per token than shifting one item per await.
        const batch = this.items.splice(0);
        for (const item of batch) yield item;
        continue;
      }
      if (this.failure) throw this.failure.error;
      if (this.done) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }
}
