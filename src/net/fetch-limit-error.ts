import { type ErrorCode, QuarryError } from '../core/index.js';

export type FetchLimit = 'bytes' | 'time' | 'redirects';

const CODE: Record<FetchLimit, ErrorCode> = {
  bytes: 'RequestEntityTooLargeException',
  // The remote end did not answer in time: retryable, like an unavailable upstream.
  time: 'ServiceUnavailableException',
  redirects: 'ValidationException',
};

/** A fetch stopped at one of its bounds: response bytes, total time, or redirect hops. */
export class FetchLimitError extends QuarryError {
  readonly limit: FetchLimit;

  constructor(limit: FetchLimit, message: string) {
    super(CODE[limit], message);
    this.name = 'FetchLimitError';
    this.limit = limit;
  }

  static is(e: unknown): e is FetchLimitError {
    return QuarryError.isInstance(e) && e.name === 'FetchLimitError';
  }
}
