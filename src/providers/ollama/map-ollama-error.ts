import { type ErrorCode, QuarryError } from '../../core/index.js';

/** Ollama's error bodies are `{ "error": "text" }`; anything else is shown as an excerpt. */
export function ollamaErrorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === 'string' && parsed.error) return parsed.error;
  } catch {
    // not JSON: fall through to the excerpt
  }
  const excerpt = body.trim().slice(0, 300);
  return excerpt === '' ? '(empty body)' : excerpt;
}

/** Maps an Ollama HTTP error response to the canonical error, keeping Ollama's message. */
export function mapOllamaHttpError(status: number, body: string, baseUrl: string): QuarryError {
  const message = ollamaErrorMessage(body);
  const err = (code: ErrorCode, text: string, retryable?: boolean) => new QuarryError(code, text, { retryable });
  if (status === 400 || status === 422) return err('ValidationException', message);
  // Ollama itself has no auth; a 401/403 comes from a proxy in front of it.
  if (status === 401 || status === 403) {
    return err('AccessDeniedException', `The upstream at ${baseUrl} refused the configured credentials (HTTP ${status}): ${message}`);
  }
  // "model 'x' not found, try pulling it first"
  if (status === 404) return err('ResourceNotFoundException', `Ollama at ${baseUrl}: ${message}`);
  if (status === 408) return err('ModelTimeoutException', `Ollama at ${baseUrl} timed out: ${message}`);
  if (status === 413) return err('RequestEntityTooLargeException', message);
  // Ollama answers 429 and 503 when its queue (OLLAMA_MAX_QUEUE) is full.
  if (status === 429) return err('ThrottlingException', `Ollama at ${baseUrl} is busy: ${message}`);
  if (status === 502 || status === 503 || status === 504) {
    return err('ServiceUnavailableException', `Ollama at ${baseUrl} is unavailable (HTTP ${status}): ${message}`);
  }
  // A 500 is usually the runner failing (out of memory, a crashed llama.cpp); another attempt may succeed.
  if (status >= 500) return err('ModelErrorException', `Ollama at ${baseUrl} failed (HTTP ${status}): ${message}`, true);
  return err('ModelErrorException', `Ollama at ${baseUrl} answered HTTP ${status}: ${message}`);
}

/**
 * Maps anything else the ollama client or fetch threw. `phase` matters: fetch failing before a response means
 * Ollama is not reachable (retryable); failing while reading the body means the answer was cut short.
 */
export function mapOllamaError(e: unknown, baseUrl: string, phase: 'request' | 'body'): QuarryError {
  if (QuarryError.isInstance(e)) return e;
  if (e instanceof SyntaxError) return upstreamReturned(`a body that is not JSON (${e.message})`, e);
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof TypeError) {
    // fetch's "fetch failed" wraps the socket error (ECONNREFUSED …) in `cause`; "terminated" is a body cut short.
    const cause = e.cause instanceof Error ? e.cause.message : message;
    if (phase === 'body' || /terminated/i.test(message)) return upstreamReturned(`a truncated response (${cause})`, e);
    return new QuarryError('ServiceUnavailableException', `Cannot reach Ollama at ${baseUrl}: ${cause}`, { cause: e });
  }
  if (/Did not receive done or success response/.test(message)) return upstreamReturned('a stream that ended before it was done', e);
  // The client throws `new Error(text)` for an `{"error": …}` line in a stream: the model failed mid-answer.
  if (phase === 'body') return new QuarryError('ModelStreamErrorException', `Ollama failed mid-stream: ${message}`, { cause: e });
  return new QuarryError('ModelErrorException', `Ollama at ${baseUrl} failed: ${message}`, { cause: e });
}

/** Ollama answered, but not with what the protocol promises. */
export function upstreamReturned(what: string, cause?: unknown): QuarryError {
  return new QuarryError('ModelErrorException', `The upstream returned ${what}.`, { cause });
}
