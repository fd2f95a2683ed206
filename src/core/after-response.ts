/**
 * Work a request does not need to finish before its client has the answer: metrics, debug lines. At concurrency 1
 * every function run between reading a request and writing its answer adds its whole cold-cache cost to the
 * client's latency (prom-client's five updates take 2 µs in a tight loop and ~20 µs there), so the server runs
 * such work once the response has been handed to the socket. Functions added after that run at once.
 */
export class AfterResponse {
  private fns: (() => void)[] | undefined;
  private flushed = false;

  constructor(private readonly onError: (e: unknown) => void) {}

  /** Runs `fn` after the response has been written (at once if it already has been). */
  add(fn: () => void): void {
    if (this.flushed) this.call(fn);
    else if (this.fns) this.fns.push(fn);
    else this.fns = [fn];
  }

  /** Called by the server once the response is out; runs what was added, in order. */
  flush(): void {
    this.flushed = true;
    const fns = this.fns;
    this.fns = undefined;
    if (fns) for (const fn of fns) this.call(fn);
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.onError(e);
    }
  }
}
