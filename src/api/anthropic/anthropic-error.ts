import { type ErrorCode, retryAfterSeconds, toQuarryError } from '../../core/index.js';
import { isMissingCredentials } from '../../iam/index.js';

const TYPE: Partial<Record<ErrorCode, string>> = {
  ValidationException: 'invalid_request_error',
  RequestEntityTooLargeException: 'request_too_large',
  AccessDeniedException: 'permission_error',
  UnrecognizedClientException: 'authentication_error',
  InvalidSignatureException: 'authentication_error',
  ResourceNotFoundException: 'not_found_error',
  ThrottlingException: 'rate_limit_error',
  ServiceUnavailableException: 'overloaded_error',
  ModelNotReadyException: 'overloaded_error',
};

/** Anthropic's error envelope, `{ type: 'error', error: { type, message } }`: a response body and an SSE `error` event alike. */
export function anthropicErrorBody(e: unknown) {
  const err = toQuarryError(e);
  // No credentials at all is Anthropic's 401 authentication_error too; a permission the key lacks stays permission_error.
  const type = isMissingCredentials(err) ? 'authentication_error' : (TYPE[err.code] ?? 'api_error');
  return { type: 'error' as const, error: { type, message: err.message } };
}

/** The one place errors become Anthropic's shape: `{ type: 'error', error: { type, message } }`. */
export function anthropicErrorResponse(e: unknown, requestId: string): Response {
  const err = toQuarryError(e);
  const body = anthropicErrorBody(err);
  const type = body.error.type;
  const status = type === 'authentication_error' ? 401 : type === 'overloaded_error' ? 529 : err.status;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'request-id': requestId, 'x-request-id': requestId };
  // The Anthropic SDK, like OpenAI's, reads retry-after-ms before retry-after.
  const retryAfter = retryAfterSeconds(err);
  if (retryAfter) {
    headers['retry-after'] = retryAfter;
    headers['retry-after-ms'] = String(Math.ceil(err.retryAfterMs!));
  }
  return new Response(JSON.stringify(body), { status, headers });
}
