/**
 * One invocation's abort signal: the client going away or the time limit, whichever comes first. Unlike
 * `AbortSignal.any([…, AbortSignal.timeout(ms)])` it is disposed when the call ends, so a busy server does not keep
 * one pending timer per finished request for the whole timeout (ten minutes by default).
 */
export class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly onClientAbort: () => void;
  private readonly endsAt: number;

  constructor(
    private readonly client: AbortSignal,
    readonly timeoutMs: number,
  ) {
    this.endsAt = performance.now() + timeoutMs;
    this.onClientAbort = () => this.controller.abort(client.reason);
    if (client.aborted) this.controller.abort(client.reason);
    else client.addEventListener('abort', this.onClientAbort, { once: true });
    this.timer = setTimeout(() => this.controller.abort(new DOMException(`No answer within ${timeoutMs} ms.`, 'TimeoutError')), timeoutMs);
    this.timer.unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Milliseconds left before the time limit; retries stop when a backoff would not fit. */
  remainingMs(): number {
    return this.endsAt - performance.now();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.client.removeEventListener('abort', this.onClientAbort);
  }
}
