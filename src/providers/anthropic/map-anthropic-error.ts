import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { type ErrorCode, QuarryError } from '../../core/index.js';
import { retryAfterMs } from '../shared/index.js';

/** Maps whatever the Anthropic SDK (or the response parsing around it) threw to the canonical error. */
export function mapAnthropicError(e: unknown, baseUrl: string): QuarryError {
  if (QuarryError.isInstance(e)) return e;
  if (e instanceof APIUserAbortError) {
    return new QuarryError('ModelTimeoutException', 'The request was aborted before the model finished.', { cause: e });
  }
  if (e instanceof APIConnectionTimeoutError) {
    return new QuarryError('ModelTimeoutException', `The upstream at ${baseUrl} did not answer in time.`, { cause: e });
  }
  if (e instanceof APIConnectionError) {
    const detail = describeCause(e.cause) ?? e.message;
    return new QuarryError('ServiceUnavailableException', `Cannot reach the upstream at ${baseUrl}: ${detail}`, { cause: e });
  }
  if (e instanceof APIError) return fromApiError(e, baseUrl);
  if (e instanceof Error && /Could not resolve authentication method/.test(e.message)) {
    return new QuarryError('AccessDeniedException', `No API key is configured for the upstream at ${baseUrl} (set apiKey or ANTHROPIC_API_KEY).`, {
      cause: e,
    });
  }
  // The SDK reads bodies with fetch: a connection dropped mid-body surfaces as "terminated", a bad body as SyntaxError.
  if (e instanceof SyntaxError) return upstreamReturned(`a body that is not JSON (${e.message})`, e);
  if (e instanceof TypeError && /terminated|aborted/i.test(e.message)) {
    return upstreamReturned(`a truncated response (${describeCause(e.cause) ?? e.message})`, e);
  }
  return new QuarryError('ModelErrorException', `The call to the upstream at ${baseUrl} failed: ${e instanceof Error ? e.message : String(e)}`, {
    cause: e,
  });
}

function fromApiError(e: APIError, baseUrl: string): QuarryError {
  const message = e.apiMessage ?? upstreamMessage(e.error) ?? e.message;
  const status = e.status;
  const wait = status === 429 || status === 503 || status === 529 ? retryAfterMs(e.headers) : undefined;
  const err = (code: ErrorCode, text: string, retryable?: boolean) =>
    new QuarryError(code, text, { cause: e, retryable, ...(wait !== undefined ? { retryAfterMs: wait } : {}) });
  if (status === undefined) {
    // An `event: error` inside a stream: no status, only Anthropic's error type.
    switch (e.type) {
      case 'overloaded_error':
        return err('ServiceUnavailableException', `The upstream at ${baseUrl} is overloaded: ${message}`);
      case 'rate_limit_error':
        return err('ThrottlingException', `The upstream at ${baseUrl} is rate limiting: ${message}`);
      case 'invalid_request_error':
        return err('ValidationException', message);
      default:
        return err('ModelStreamErrorException', `The upstream failed mid-stream: ${message}`);
    }
  }
  if (status === 400 || status === 422) return err('ValidationException', message);
  if (status === 401 || status === 403) {
    return err('AccessDeniedException', `The upstream at ${baseUrl} refused the configured credentials (HTTP ${status}): ${message}`);
  }
  if (status === 404) return err('ResourceNotFoundException', `The upstream at ${baseUrl} does not know this model or path: ${message}`);
  if (status === 408) return err('ModelTimeoutException', `The upstream at ${baseUrl} timed out: ${message}`);
  if (status === 413) return err('RequestEntityTooLargeException', message);
  if (status === 429) return err('ThrottlingException', `The upstream at ${baseUrl} is rate limiting: ${message}`);
  // 529 is Anthropic's "overloaded".
  if (status === 502 || status === 503 || status === 504 || status === 529) {
    return err('ServiceUnavailableException', `The upstream at ${baseUrl} is unavailable (HTTP ${status}): ${message}`);
  }
  if (status >= 500) return err('ModelErrorException', `The upstream at ${baseUrl} failed (HTTP ${status}): ${message}`, true);
  return err('ModelErrorException', `The upstream at ${baseUrl} answered HTTP ${status}: ${message}`);
}

/** `{ type: 'error', error: { type, message } }`, or a gateway's own shape; undefined when there is no message. */
function upstreamMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return typeof body === 'string' && body ? body.slice(0, 300) : undefined;
  const b = body as { error?: { message?: unknown } | string; message?: unknown };
  if (typeof b.error === 'string') return b.error;
  if (typeof b.error?.message === 'string') return b.error.message;
  if (typeof b.message === 'string') return b.message;
  return undefined;
}

function describeCause(cause: unknown): string | undefined {
  if (!(cause instanceof Error)) return undefined;
  const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : '';
  return `${cause.message}${inner}`;
}

/** The upstream answered, but not with what the protocol promises. */
export function upstreamReturned(what: string, cause?: unknown): QuarryError {
  return new QuarryError('ModelErrorException', `The upstream returned ${what}.`, { cause });
}
