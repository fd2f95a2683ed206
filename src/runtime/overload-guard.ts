import { QuarryError } from '../core/index.js';
import type { AdmissionRequest, AdmissionStep, Admitted } from './admission.js';

export interface OverloadLimits {
  /** Invocations that run at once on this server; more wait in the queue. */
  maxConcurrentInvocations: number;
  /** Invocations that may wait for a slot; past this one is shed at once. */
  maxQueuedInvocations: number;
  /** How long one may wait in the queue before it is shed. */
  maxQueueWaitMs: number;
}

interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** Sent as Retry-After when shedding: long enough for a slot to free up, short enough that a client's backoff fits. */
const SHED_RETRY_MS = 1000;

/**
 * Load shedding, the first admission step: a bounded number of invocations run at once and a bounded number wait (in
 * arrival order) for a slot; the rest are refused at once with 503 and Retry-After, so overload costs a refusal rather
 * than unbounded memory and latency. While the server shuts down it admits nothing new and tells when the last
 * invocation it admitted has ended.
 */
export class OverloadGuard implements AdmissionStep {
  #running = 0;
  readonly #queue: Waiter[] = [];
  #draining = false;
  #idle: (() => void) | undefined;
  #shed = 0;

  constructor(private readonly limits: OverloadLimits) {}

  stats(): { running: number; queued: number; shed: number } {
    return { running: this.#running, queued: this.#queue.length, shed: this.#shed };
  }

  async admit(req: AdmissionRequest): Promise<Admitted> {
    if (this.#draining) throw this.#refuse('The server is shutting down; retry on another replica.');
    if (this.#running < this.limits.maxConcurrentInvocations) {
      this.#running++;
    } else {
      if (this.#queue.length >= this.limits.maxQueuedInvocations) {
        throw this.#refuse(`The server is at capacity (${this.#running} invocations running, ${this.#queue.length} waiting); retry shortly.`);
      }
      await this.#wait(req.ctx.signal);
    }
    let released = false;
    return {
      settle: () => {
        if (released) return;
        released = true;
        this.#release();
      },
    };
  }

  /** Admits nothing more; resolves once every admitted invocation has ended (waiters are refused). */
  drain(): Promise<void> {
    this.#draining = true;
    for (const w of this.#queue.splice(0)) w.reject(this.#refuse('The server is shutting down; retry on another replica.'));
    if (this.#running === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#idle = resolve;
    });
  }

  /** Waits for a slot; the slot is handed over by #release, so `#running` already counts this invocation. */
  #wait(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: () => {
          cleanup();
          resolve();
        },
        reject: (e) => {
          cleanup();
          reject(e);
        },
      };
      const leave = (e: unknown) => {
        const i = this.#queue.indexOf(waiter);
        if (i >= 0) this.#queue.splice(i, 1);
        waiter.reject(e);
      };
      const timer = setTimeout(
        () => leave(this.#refuse(`Waited ${this.limits.maxQueueWaitMs} ms for a free slot; the server is overloaded, retry shortly.`)),
        this.limits.maxQueueWaitMs,
      );
      // A client that went away no longer holds a place in the queue (nobody reads the error; the runtime sees the abort).
      const onAbort = () => leave(new QuarryError('ServiceUnavailableException', 'The client closed the connection while waiting for a slot.'));
      signal.addEventListener('abort', onAbort, { once: true });
      const cleanup = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      };
      if (signal.aborted) return onAbort();
      this.#queue.push(waiter);
    });
  }

  #release(): void {
    const next = this.#queue.shift();
    if (next) {
      // The slot passes straight to the next waiter: `#running` stays as it is.
      next.resolve();
      return;
    }
    this.#running--;
    if (this.#running === 0 && this.#idle) {
      this.#idle();
      this.#idle = undefined;
    }
  }

  #refuse(message: string): QuarryError {
    this.#shed++;
    return new QuarryError('ServiceUnavailableException', message, { retryAfterMs: SHED_RETRY_MS });
  }
}
