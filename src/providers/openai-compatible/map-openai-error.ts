import { z } from 'zod';
import { type ErrorCode, QuarryError } from '../../core/index.js';

// OpenAI sends `{ error: { message, type, code } }`; vLLM sends `{ object: 'error', message, type, code }`; some
// llama.cpp and LocalAI builds send `{ error: "text" }`. Read all three.
const errorBodySchema = z.object({
  error: z
    .union([
      z.string(),
      z.object({ message: z.string().nullish(), type: z.string().nullish(), code: z.union([z.string(), z.number()]).nullish() }),
    ])
    .nullish(),
  message: z.string().nullish(),
  type: z.string().nullish(),
});

/** The human message inside an upstream error body, or a short excerpt of the body when it is not JSON. */
export function upstreamErrorMessage(body: string): string {
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(body));
    if (parsed.success) {
      const e = parsed.data.error;
      const message = typeof e === 'string' ? e : (e?.message ?? parsed.data.message);
      if (message) return message;
    }
  } catch {
    // not JSON: fall through to the excerpt
  }
  const excerpt = body.trim().slice(0, 300);
  return excerpt === '' ? '(empty body)' : excerpt;
}

/**
 * Maps an upstream HTTP error response to the canonical error, keeping the upstream message and, for a refusal that
 * says when to come back (429, 503), that delay.
 */
export function mapOpenAIHttpError(status: number, body: string, baseUrl: string, retryAfter?: number): QuarryError {
  const message = upstreamErrorMessage(body);
  const err = (code: ErrorCode, text: string, retryable?: boolean) =>
    new QuarryError(code, text, { retryable, ...(retryAfter !== undefined && (status === 429 || status === 503) ? { retryAfterMs: retryAfter } : {}) });
  if (status === 400 || status === 422) return err('ValidationException', message);
  if (status === 401 || status === 403) {
    return err('AccessDeniedException', `The upstream at ${baseUrl} refused the configured credentials (HTTP ${status}): ${message}`);
  }
  if (status === 404) return err('ResourceNotFoundException', `The upstream at ${baseUrl} does not know this model or path: ${message}`);
  if (status === 408) return err('ModelTimeoutException', `The upstream at ${baseUrl} timed out: ${message}`);
  if (status === 413) return err('RequestEntityTooLargeException', message);
  if (status === 429) return err('ThrottlingException', `The upstream at ${baseUrl} is rate limiting: ${message}`);
  if (status === 502 || status === 503 || status === 504) {
    return err('ServiceUnavailableException', `The upstream at ${baseUrl} is unavailable (HTTP ${status}): ${message}`);
  }
  // A 500 is the model server's own failure; another attempt or a fallback deployment may well succeed.
  if (status >= 500) return err('ModelErrorException', `The upstream at ${baseUrl} failed (HTTP ${status}): ${message}`, true);
  return err('ModelErrorException', `The upstream at ${baseUrl} answered HTTP ${status}: ${message}`);
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE']);

/**
 * Maps what undici throws. `phase` matters: a socket that dies before the response started means the upstream is
 * unreachable (retryable); one that dies while reading the body means we got a truncated answer.
 */
export function mapOpenAITransportError(e: unknown, baseUrl: string, phase: 'request' | 'body'): QuarryError {
  if (QuarryError.isInstance(e)) return e;
  const code = (e as { code?: unknown } | null)?.code;
  const detail = e instanceof Error ? e.message : String(e);
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new QuarryError('ModelTimeoutException', `The upstream at ${baseUrl} timed out (${detail}).`, { cause: e });
  }
  if (phase === 'body') return upstreamReturned(`a truncated response (${detail})`, e);
  if (typeof code === 'string' && (CONNECT_CODES.has(code) || code.startsWith('UND_ERR_SOCKET'))) {
    return new QuarryError('ServiceUnavailableException', `Cannot reach the upstream at ${baseUrl}: ${detail}`, { cause: e });
  }
  return new QuarryError('ServiceUnavailableException', `The call to the upstream at ${baseUrl} failed: ${detail}`, { cause: e });
}

/** The upstream answered, but not with what the protocol promises. */
export function upstreamReturned(what: string, cause?: unknown): QuarryError {
  return new QuarryError('ModelErrorException', `The upstream returned ${what}.`, { cause });
}
