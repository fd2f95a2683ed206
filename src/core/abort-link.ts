/** Told once when an operation is aborted (the shape EventTarget listeners may take, so one object serves both). */
export interface AbortListener {
  handleEvent(): void;
}

/**
 * A one-shot abort that makes a real AbortSignal only when a consumer asks for one. On Node 20 an AbortController
 * costs ~5 µs and three fresh hidden classes (`createAbortSignal` swaps an EventTarget's prototype; Node 22 fixed
 * it), and adding and removing an EventTarget listener costs more again. A proxied call that nobody aborts needs
 * none of that: the client's link, the invocation's deadline and the upstream call's trigger chain through plain
 * listener lists here, and the SDK-based providers that want a signal get one from `signal`.
 */
export class AbortLink {
  aborted = false;
  reason: unknown = undefined;
  private listeners: AbortListener[] | undefined;
  private controller: AbortController | undefined;

  /** An AbortSignal that follows this link (made on first use). */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners) for (const l of listeners) l.handleEvent();
  }

  /** Calls `l` when this aborts (never if it already has: check `aborted` first). */
  listen(l: AbortListener): void {
    if (this.aborted) return;
    if (this.listeners) this.listeners.push(l);
    else this.listeners = [l];
  }

  unlisten(l: AbortListener): void {
    const i = this.listeners?.indexOf(l) ?? -1;
    if (i >= 0) this.listeners!.splice(i, 1);
  }
}

/** Either kind of abort source: a consumer that only listens takes both. */
export type AbortSource = AbortSignal | AbortLink;

/** Calls `l` once when `source` aborts (not if it already has: check `aborted` first). */
export function listenAbort(source: AbortSource, l: AbortListener): void {
  if (source instanceof AbortLink) source.listen(l);
  else source.addEventListener('abort', l, { once: true });
}

export function unlistenAbort(source: AbortSource, l: AbortListener): void {
  if (source instanceof AbortLink) source.unlisten(l);
  else source.removeEventListener('abort', l);
}
