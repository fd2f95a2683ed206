import { QuarryError } from '../core/index.js';

/**
 * The abort signal of one attempt when attempts have their own time limit (first token, or a whole unary call):
 * it follows the request's signal and also fires on its own timer, so a hung deployment is abandoned and the call
 * retried elsewhere while the request's deadline still has time. Only built when such a limit is configured.
 */
export class AttemptSignal {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  /** Set when this attempt's own timer fired (not the request's signal). */
  timeout: QuarryError | undefined;

  constructor(
    private readonly parent: AbortSignal,
    private readonly limitMs: number,
    private readonly what: string,
  ) {
    if (parent.aborted) this.controller.abort(parent.reason);
    else parent.addEventListener('abort', this, { once: true });
    this.timer = setTimeout(onTimer, limitMs, this);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The request's signal fired. */
  handleEvent(): void {
    this.controller.abort(this.parent.reason);
  }

  fire(): void {
    if (this.controller.signal.aborted) return;
    this.timeout = new QuarryError('ModelTimeoutException', `${this.what} within ${this.limitMs} ms; trying elsewhere if possible.`);
    this.controller.abort(this.timeout);
  }

  /** The limit no longer applies (the first token arrived); the request's signal still does. */
  stopTimer(): void {
    clearTimeout(this.timer);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.parent.removeEventListener('abort', this);
  }
}

function onTimer(s: AttemptSignal): void {
  s.fire();
}
