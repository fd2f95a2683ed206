import { EventEmitter } from 'node:events';
import { type AbortSource, listenAbort, QuarryError, unlistenAbort } from '../../core/index.js';

/**
 * One upstream call's abort trigger: fires when the client goes away (`outer`) or when `timeoutMs` passes, and
 * remembers which, so a failure caused by the abort is reported as what it is rather than as whatever undici threw.
 *
 * Built for the hot path, where it runs once per call: it is itself the EventEmitter handed to undici as `signal`
 * (undici takes an emitter as well as an AbortSignal, and an AbortController per call costs measurably more); it
 * listens to `outer` as a `handleEvent` object and passes itself to the timer, so starting one allocates no
 * closures. Hand-rolled rather than `AbortSignal.any(…, AbortSignal.timeout())` for the same reason, and because
 * Node 20's `AbortSignal.any` keeps every composed signal alive until the outer one is collected.
 */
export class CallDeadline extends EventEmitter {
  /** The error to report once the call was aborted; undefined while it has not been. */
  reason: QuarryError | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly outer: AbortSource,
    private readonly timeoutMs: number,
    private readonly upstream: string,
  ) {
    super();
    this.timer = setTimeout(onTimeout, timeoutMs, this);
    if (outer.aborted) this.handleEvent();
    else listenAbort(outer, this);
  }

  /** The emitter undici listens to for `abort`. */
  get signal(): EventEmitter {
    return this;
  }

  /** Called by `outer` when the client goes away. */
  handleEvent(): void {
    const cause: unknown = this.outer.reason;
    // The runtime may abort with its own error (a deadline); keep it so the log says why.
    this.fire(
      QuarryError.isInstance(cause)
        ? cause
        : new QuarryError('ModelTimeoutException', 'The request was aborted before the model finished.', { cause }),
    );
  }

  timedOut(): void {
    this.fire(new QuarryError('ModelTimeoutException', `The upstream at ${this.upstream} did not finish within ${this.timeoutMs} ms.`));
  }

  /** Aborts the upstream request because its consumer stopped reading (a stream abandoned half-way). */
  cancel(): void {
    this.fire(new QuarryError('ModelTimeoutException', 'The stream was abandoned by its consumer.'));
  }

  /** Stops the timer and the listener; call when the call is over (including after a stream's last byte). */
  dispose(): void {
    clearTimeout(this.timer);
    unlistenAbort(this.outer, this);
  }

  private fire(e: QuarryError): void {
    if (this.reason) return;
    this.reason = e;
    this.emit('abort');
  }
}

function onTimeout(d: CallDeadline): void {
  d.timedOut();
}

export function startDeadline(outer: AbortSource, timeoutMs: number, upstream: string): CallDeadline {
  return new CallDeadline(outer, timeoutMs, upstream);
}
