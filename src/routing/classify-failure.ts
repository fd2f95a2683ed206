import { QuarryError, toQuarryError } from '../core/index.js';
import type { CallOutcome } from './deployment.js';

export type FallbackReason = 'exhausted' | 'context-window' | 'content-refused';

// Socket-level failures: the call never got a whole answer, so nothing reached the client and trying again is safe.
const CONNECTION_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);

/** Errors a client caused: another deployment would refuse them too, and they say nothing about its health. */
const CLIENT_FAULTS = new Set(['ValidationException', 'RequestEntityTooLargeException']);

// Upstreams say these in words only (OpenAI `context_length_exceeded`, vLLM, llama.cpp, Anthropic, our own check).
const CONTEXT_WINDOW = /context (length|window)|maximum context|prompt is too long|too many tokens|input is too long/i;
const CONTENT_REFUSAL = /content[ _-]?(policy|filter|management)|safety system|flagged as|responsible ai/i;

function connectionCode(e: unknown): boolean {
  for (let c = e, depth = 0; c && depth < 4; c = (c as { cause?: unknown }).cause, depth++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('UND_ERR_SOCKET'))) return true;
  }
  return false;
}

/**
 * Worth another try (here or on another deployment): what the error says of itself (408, 429, 5xx, timeouts), or a
 * connection lost before the answer was whole — for a whole answer nothing has reached the client yet, and for a
 * stream the caller only asks before its first part went out.
 */
export function isRetryable(err: QuarryError): boolean {
  return err.retryable || connectionCode(err.cause);
}

/** What a failed call says about the deployment that made it. */
export function outcomeOf(err: QuarryError, timedOut: boolean): CallOutcome {
  if (timedOut || err.code === 'ModelTimeoutException') return 'timeout';
  return CLIENT_FAULTS.has(err.code) && !connectionCode(err.cause) ? 'neutral' : 'failure';
}

/** Why another model should answer instead, or undefined when the failure is final. */
export function fallbackReasonOf(err: QuarryError): FallbackReason | undefined {
  if (isRetryable(err)) return 'exhausted';
  if (err.code === 'ValidationException' || err.code === 'ModelErrorException') {
    if (CONTEXT_WINDOW.test(err.message)) return 'context-window';
    if (CONTENT_REFUSAL.test(err.message)) return 'content-refused';
  }
  return undefined;
}

/** Anything thrown, as the error routing decides on (the original is what callers rethrow). */
export function asQuarryError(e: unknown): QuarryError {
  return QuarryError.isInstance(e) ? e : toQuarryError(e);
}
