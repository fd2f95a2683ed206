import { type ErrorCode, QuarryError } from '../../core/index.js';

// Bedrock's exception names are our error codes (the canonical format is Bedrock's), so most map to themselves.
const SAME: ReadonlySet<string> = new Set<ErrorCode>([
  'ValidationException',
  'ResourceNotFoundException',
  'ThrottlingException',
  'ServiceQuotaExceededException',
  'ModelTimeoutException',
  'ModelErrorException',
  'ModelNotReadyException',
  'ModelStreamErrorException',
  'ServiceUnavailableException',
  'ConflictException',
]);

const CREDENTIAL_ERRORS = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'ExpiredTokenException',
  'InvalidSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationTokenException',
  'InvalidClientTokenId',
  'CredentialsProviderError',
]);

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE']);

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: unknown;
}

/**
 * Maps what the AWS SDK threw (or an in-stream exception event) to the canonical error. `phase` matters for socket
 * errors: before the response started the endpoint is unreachable (retryable); while reading an event stream the
 * answer was cut short.
 */
export function mapBedrockError(e: unknown, upstream: string, phase: 'request' | 'body' = 'request'): QuarryError {
  if (QuarryError.isInstance(e)) return e;
  const err = (e ?? {}) as SdkError;
  const name = err.name ?? '';
  const message = err.message || name || String(e);
  const status = err.$metadata?.httpStatusCode;
  const make = (code: ErrorCode, text: string, retryable?: boolean) => new QuarryError(code, text, { cause: e, retryable });

  if (name === 'AbortError') return make('ModelTimeoutException', 'The request was aborted before the model finished.');
  if (name === 'TimeoutError' || err.code === 'ETIMEDOUT') return make('ModelTimeoutException', `Bedrock at ${upstream} did not answer in time.`);
  if (CREDENTIAL_ERRORS.has(name) || status === 401 || status === 403) {
    return make('AccessDeniedException', `The upstream Bedrock at ${upstream} refused the configured credentials (${name || status}): ${message}`);
  }
  if (name === 'ValidationException') return make('ValidationException', message);
  if (name === 'InternalServerException') return make('ModelErrorException', `Bedrock at ${upstream} failed: ${message}`, true);
  if (SAME.has(name)) return make(name as ErrorCode, `Bedrock at ${upstream}: ${message}`);
  if (name === 'TooManyRequestsException') return make('ThrottlingException', `Bedrock at ${upstream} is rate limiting: ${message}`);
  // The SDK could not read what came back: a body that is not JSON or was cut short, or a corrupt event stream.
  if (err.$response !== undefined || e instanceof SyntaxError || phase === 'body') {
    return upstreamReturned(`a response the AWS SDK could not read (${message.split('\n')[0]})`, e);
  }
  if (typeof err.code === 'string' && CONNECT_CODES.has(err.code)) {
    return make('ServiceUnavailableException', `Cannot reach Bedrock at ${upstream}: ${message}`);
  }
  if (status !== undefined) {
    if (status === 400) return make('ValidationException', message);
    if (status === 404) return make('ResourceNotFoundException', `Bedrock at ${upstream}: ${message}`);
    if (status === 429) return make('ThrottlingException', `Bedrock at ${upstream} is rate limiting: ${message}`);
    if (status === 502 || status === 503 || status === 504) {
      return make('ServiceUnavailableException', `Bedrock at ${upstream} is unavailable (HTTP ${status}): ${message}`);
    }
    if (status >= 500) return make('ModelErrorException', `Bedrock at ${upstream} failed (HTTP ${status}): ${message}`, true);
  }
  return make('ServiceUnavailableException', `The call to Bedrock at ${upstream} failed: ${message}`);
}

/** Bedrock answered, but not with what the protocol promises. */
export function upstreamReturned(what: string, cause?: unknown): QuarryError {
  return new QuarryError('ModelErrorException', `The upstream returned ${what}.`, { cause });
}
