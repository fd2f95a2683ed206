/**
 * One error hierarchy for the whole server. Codes are Bedrock's exception names because the canonical format is
 * Bedrock's; each wire adapter maps them to its own error shape in exactly one place.
 */

export type ErrorCode =
  | 'ValidationException'
  | 'AccessDeniedException'
  | 'UnrecognizedClientException'
  | 'InvalidSignatureException'
  | 'ResourceNotFoundException'
  | 'ConflictException'
  | 'ThrottlingException'
  | 'ServiceQuotaExceededException'
  | 'ModelTimeoutException'
  | 'ModelErrorException'
  | 'ModelNotReadyException'
  | 'ModelStreamErrorException'
  | 'ServiceUnavailableException'
  | 'RequestEntityTooLargeException'
  | 'InternalServerException';

const STATUS: Record<ErrorCode, number> = {
  ValidationException: 400,
  AccessDeniedException: 403,
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  ResourceNotFoundException: 404,
  ConflictException: 409,
  ThrottlingException: 429,
  ServiceQuotaExceededException: 400,
  ModelTimeoutException: 408,
  ModelErrorException: 424,
  ModelNotReadyException: 429,
  ModelStreamErrorException: 424,
  ServiceUnavailableException: 503,
  RequestEntityTooLargeException: 413,
  InternalServerException: 500,
};

const RETRYABLE: ReadonlySet<ErrorCode> = new Set([
  'ThrottlingException',
  'ModelTimeoutException',
  'ModelNotReadyException',
  'ServiceUnavailableException',
  'InternalServerException',
]);

// A symbol registered globally survives two copies of this module (e.g. a linked package), unlike `instanceof`.
const MARKER = Symbol.for('quarry.error');

export class QuarryError extends Error {
  readonly [MARKER] = true;
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  /**
   * How long the caller should wait before trying again (a rate limit's window, an upstream's Retry-After); each wire
   * format sends it as a Retry-After header. Absent: no advice.
   */
  readonly retryAfterMs?: number;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; retryable?: boolean; retryAfterMs?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = code;
    this.code = code;
    this.status = STATUS[code];
    this.retryable = options?.retryable ?? RETRYABLE.has(code);
    if (options?.retryAfterMs !== undefined && Number.isFinite(options.retryAfterMs) && options.retryAfterMs >= 0) this.retryAfterMs = options.retryAfterMs;
  }

  static isInstance(e: unknown): e is QuarryError {
    return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[MARKER] === true;
  }
}

export const validation = (message: string, cause?: unknown) => new QuarryError('ValidationException', message, { cause });
export const notFound = (message: string) => new QuarryError('ResourceNotFoundException', message);
export const accessDenied = (message: string) => new QuarryError('AccessDeniedException', message);

/** The Retry-After header value (whole seconds, at least 1) for an error that carries advice; undefined otherwise. */
export function retryAfterSeconds(e: QuarryError): string | undefined {
  return e.retryAfterMs === undefined ? undefined : String(Math.max(1, Math.ceil(e.retryAfterMs / 1000)));
}

/** Anything thrown that is not ours becomes an InternalServerException that keeps the cause for the log. */
export function toQuarryError(e: unknown): QuarryError {
  if (QuarryError.isInstance(e)) return e;
  if (e instanceof Error && e.name === 'AbortError') {
    return new QuarryError('ModelTimeoutException', 'The request was aborted before the model finished.', { cause: e });
  }
  return new QuarryError('InternalServerException', 'The server hit an unexpected error; see the server log for the request id.', {
    cause: e,
  });
}
