import { AbortLink, type AbortSource, listenAbort, unlistenAbort } from '../core/index.js';

/**
 * One invocation's abort: the client going away or the time limit, whichever comes first. Unlike
 * `AbortSignal.any([…, AbortSignal.timeout(ms)])` it is disposed when the call ends, so a busy server does not keep
 * one pending timer per finished request for the whole timeout (ten minutes by default). It is an AbortLink: a
 * provider that only listens makes no AbortSignal, one that needs a signal takes `signal` (a budget is also the
 * provider's CallOptions, `link` included).
 */
export class Deadline extends AbortLink {
  private readonly timer: NodeJS.Timeout;
  private readonly endsAt: number;

  constructor(
    private readonly client: AbortSource,
    readonly timeoutMs: number,
  ) {
    super();
    this.endsAt = performance.now() + timeoutMs;
    if (client.aborted) this.abort(client.reason);
    else listenAbort(client, this);
    this.timer = setTimeout(onTimeout, timeoutMs, this);
    this.timer.unref();
  }

  /** This deadline as the provider's `CallOptions.link`. */
  get link(): AbortLink {
    return this;
  }

  /** The client went away. */
  handleEvent(): void {
    this.abort(this.client.reason);
  }

  /** Milliseconds left before the time limit; retries stop when a backoff would not fit. */
  remainingMs(): number {
    return this.endsAt - performance.now();
  }

  dispose(): void {
    clearTimeout(this.timer);
    unlistenAbort(this.client, this);
  }
}

function onTimeout(d: Deadline): void {
  d.abort(new DOMException(`No answer within ${d.timeoutMs} ms.`, 'TimeoutError'));
}
