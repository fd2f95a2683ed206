/** The logging surface domains and the runtime use; pino satisfies it, tests pass a silent one. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
  /** Whether lines at `level` are written (pino's); absent, every level is assumed to be. */
  isLevelEnabled?(level: string): boolean;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};

/**
 * A child logger made on its first line rather than up front: every request gets one bound to its id, and most
 * requests write no line of their own (the access log is written by the parent), so the child pino would build for
 * each of them was wasted work on the hot path. Lines below the parent's level make nothing.
 */
export class LazyChildLogger implements Logger {
  private made: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Record<string, unknown>,
  ) {}

  private get log(): Logger {
    this.made ??= this.parent.child(this.bindings);
    return this.made;
  }

  private enabled(level: string): boolean {
    return this.made !== undefined || this.parent.isLevelEnabled?.(level) !== false;
  }

  debug(obj: object, msg?: string): void {
    if (this.enabled('debug')) this.log.debug(obj, msg);
  }

  info(obj: object, msg?: string): void {
    if (this.enabled('info')) this.log.info(obj, msg);
  }

  warn(obj: object, msg?: string): void {
    if (this.enabled('warn')) this.log.warn(obj, msg);
  }

  error(obj: object, msg?: string): void {
    if (this.enabled('error')) this.log.error(obj, msg);
  }

  child(bindings: Record<string, unknown>): Logger {
    return this.log.child(bindings);
  }

  isLevelEnabled(level: string): boolean {
    return this.parent.isLevelEnabled?.(level) !== false;
  }
}
