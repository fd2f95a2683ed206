import { QuarryError } from '../../core/index.js';

/**
 * One upstream call's abort signal: fires when the client goes away (`outer`) or when `timeoutMs` passes, and
 * remembers which, so a failure caused by the abort is reported as what it is rather than as whatever the HTTP
 * client threw. Hand-rolled rather than `AbortSignal.any(…, AbortSignal.timeout())` because this runs on every call
 * of the hot path, and Node 20's `AbortSignal.any` keeps every composed signal alive until the outer one is
 * collected.
 */
export interface CallDeadline {
  readonly signal: AbortSignal;
  /** The error to report once `signal` fired; undefined while it has not. */
  readonly reason: QuarryError | undefined;
  /** Stops the timer and the listener; call when the call is over (including after a stream's last byte). */
  dispose(): void;
  /** Aborts the upstream request because its consumer stopped reading (a stream abandoned half-way). */
  cancel(): void;
}

export function startDeadline(outer: AbortSignal, timeoutMs: number, upstream: string): CallDeadline {
  const controller = new AbortController();
  let reason: QuarryError | undefined;
  const fire = (e: QuarryError) => {
    if (reason) return;
    reason = e;
    controller.abort(e);
  };
  const onAbort = () => fire(abortedByClient(outer.reason));
  const timer = setTimeout(
    () => fire(new QuarryError('ModelTimeoutException', `The upstream at ${upstream} did not finish within ${timeoutMs} ms.`)),
    timeoutMs,
  );
  if (outer.aborted) onAbort();
  else outer.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    get reason() {
      return reason;
    },
    dispose() {
      clearTimeout(timer);
      outer.removeEventListener('abort', onAbort);
    },
    cancel() {
      fire(new QuarryError('ModelTimeoutException', 'The stream was abandoned by its consumer.'));
    },
  };
}

function abortedByClient(cause: unknown): QuarryError {
  // The runtime may abort with its own error (a deadline); keep it so the log says why.
  if (QuarryError.isInstance(cause)) return cause;
  return new QuarryError('ModelTimeoutException', 'The request was aborted before the model finished.', { cause });
}
