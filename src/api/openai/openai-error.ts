import { type ErrorCode, type QuarryError, retryAfterSeconds, toQuarryError } from '../../core/index.js';
import { isMissingCredentials } from '../../iam/index.js';

const TYPE: Partial<Record<ErrorCode, string>> = {
  ValidationException: 'invalid_request_error',
  RequestEntityTooLargeException: 'invalid_request_error',
  AccessDeniedException: 'permission_error',
  ResourceNotFoundException: 'not_found_error',
  ThrottlingException: 'rate_limit_error',
  ServiceQuotaExceededException: 'rate_limit_error',
};

// A prompt past the model's context (the runtime's own check, or an upstream's words for it): OpenAI's code for it is
// what clients test to trim a conversation (LangChain, LiteLLM, Quarry's own chat command).
const CONTEXT_EXCEEDED = /^Input is too long|maximum context length/i;

/**
 * Credentials that are missing, unknown, disabled or wrongly signed: OpenAI answers these 401, where Bedrock's
 * UnrecognizedClientException and InvalidSignatureException are 403s.
 */
function refusedCredentials(err: QuarryError): 'missing' | 'invalid' | undefined {
  if (err.code === 'UnrecognizedClientException' || err.code === 'InvalidSignatureException') return 'invalid';
  if (isMissingCredentials(err)) return 'missing';
  return undefined;
}

/** OpenAI's error object, `{ message, type, param, code }`: the body of an error response and of an in-stream error. */
export function openaiErrorBody(e: unknown) {
  const err = toQuarryError(e);
  // OpenAI's own 401s: a bad key is `invalid_request_error` / `invalid_api_key`; no key at all carries no code.
  const refused = refusedCredentials(err);
  if (refused) return { error: { message: err.message, type: 'invalid_request_error', param: null, code: refused === 'invalid' ? 'invalid_api_key' : null } };
  const code =
    err.code === 'ResourceNotFoundException' && /Model/.test(err.message)
      ? 'model_not_found'
      : err.code === 'ValidationException' && CONTEXT_EXCEEDED.test(err.message)
        ? 'context_length_exceeded'
        : err.code;
  return { error: { message: err.message, type: TYPE[err.code] ?? 'api_error', param: null, code } };
}

/** The one place errors become OpenAI's shape: `{ error: { message, type, param, code } }`. */
export function openaiErrorResponse(e: unknown, requestId: string): Response {
  const err = toQuarryError(e);
  const status = refusedCredentials(err) ? 401 : err.status;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-request-id': requestId };
  // The OpenAI SDK waits retry-after-ms when present (finer than Retry-After's whole seconds) before retrying a 429.
  const retryAfter = retryAfterSeconds(err);
  if (retryAfter) {
    headers['retry-after'] = retryAfter;
    headers['retry-after-ms'] = String(Math.ceil(err.retryAfterMs!));
  }
  return new Response(JSON.stringify(openaiErrorBody(err)), { status, headers });
}
