/**
 * Many concurrent producers, one consumer: widgets running at once push their events here and the run's generator
 * yields them in arrival order. Unbounded, which is fine: a run has at most a few dozen widgets and each event is small
 * next to the text the model already produced.
 */
export class EventChannel<T> {
  private readonly queue: T[] = [];
  private waiting: (() => void) | undefined;
  private closed = false;

  push(event: T): void {
    this.queue.push(event);
    this.wake();
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  async *drain(): AsyncGenerator<T> {
    for (;;) {
      while (this.queue.length > 0) yield this.queue.shift()!;
      if (this.closed) return;
      await new Promise<void>((r) => {
        this.waiting = r;
      });
    }
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.();
  }
}
