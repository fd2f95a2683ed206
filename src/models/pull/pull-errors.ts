import { QuarryError } from '../../core/errors.js';
import type { ModelSource } from './model-source.js';

// Failures of the connection itself: the host is unknown, refuses, or does not answer. Retrying within one pull would
// only delay an offline start, so these fail at once.
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

/** The error code of a network failure, looking through undici's wrappers and Node's happy-eyeballs AggregateError. */
export function networkCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    const err = cur as { code?: unknown; errors?: unknown[]; cause?: unknown };
    if (typeof err.code === 'string' && err.code !== 'ERR_ASSERTION') return err.code;
    cur = err.errors?.[0] ?? err.cause;
  }
  return undefined;
}

export function isUnreachable(e: unknown): boolean {
  const code = networkCode(e);
  return code !== undefined && UNREACHABLE.has(code);
}

function where(src: ModelSource): string {
  return src.url.host;
}

/** The connection could not be made: say what to do instead of a stack of socket errors. */
export function unreachableError(src: ModelSource, dir: string, cause: unknown): QuarryError {
  const code = networkCode(cause) ?? 'network error';
  const advice =
    src.kind === 'hf'
      ? `Quarry works offline: place a .gguf file in ${dir} yourself, or set HF_ENDPOINT to a reachable mirror.`
      : `Check the URL and the network, or download the file another way and place it in ${dir}.`;
  return new QuarryError('ServiceUnavailableException', `Could not reach ${where(src)} (${code}). ${advice}`, { cause });
}

/** The connection broke after it was made; the partial file is kept so the next pull resumes. */
export function interruptedError(src: ModelSource, partialPath: string, received: number, cause: unknown): QuarryError {
  const code = networkCode(cause) ?? (cause instanceof Error ? cause.message : String(cause));
  return new QuarryError(
    'ServiceUnavailableException',
    `The download from ${where(src)} broke off after ${received} bytes (${code}). The partial file ${partialPath} is kept; run the same pull again to resume.`,
    { cause },
  );
}

/** A non-success HTTP status, turned into the error and advice that fit it. */
export function statusError(src: ModelSource, status: number, dir: string): QuarryError {
  const what = src.hf ? `${src.hf.owner}/${src.hf.repo}/${src.hf.path} at revision ${src.hf.revision}` : src.url.href;
  if (status === 404) {
    const hint = src.hf
      ? 'Check the owner, repository, revision and file name (they are case-sensitive) on the model page.'
      : 'Check the URL.';
    return new QuarryError('ResourceNotFoundException', `${where(src)} has no file ${what} (HTTP 404). ${hint}`);
  }
  if (status === 401 || status === 403) {
    const hint = src.hf
      ? 'Set HF_TOKEN to a Hugging Face access token; gated repositories also need their license accepted on the model page.'
      : 'The server refused access; download the file another way and place it in ' + dir + '.';
    return new QuarryError('AccessDeniedException', `${where(src)} refused access to ${what} (HTTP ${status}). ${hint}`);
  }
  if (status === 429) {
    return new QuarryError('ThrottlingException', `${where(src)} is rate limiting downloads (HTTP 429); wait a minute and pull again.`);
  }
  return new QuarryError(
    'ServiceUnavailableException',
    `${where(src)} answered HTTP ${status} for ${what}; try again later, or place the file in ${dir} yourself.`,
    { retryable: status >= 500 },
  );
}

export function cancelledError(partialPath: string, reason: unknown): QuarryError {
  // ModelTimeoutException is what core maps every abort to; the message says the partial survives.
  return new QuarryError(
    'ModelTimeoutException',
    `The pull was cancelled; ${partialPath} is kept and the next pull resumes from it.`,
    { cause: reason, retryable: true },
  );
}

export function checksumError(name: string, expected: string, actual: string, from: 'option' | 'server'): QuarryError {
  const hint =
    from === 'option'
      ? 'Check the sha256 you passed; if it is right, the source serves different bytes.'
      : 'The file was corrupted in transit or changed upstream; pull again.';
  return new QuarryError(
    'ValidationException',
    `${name} failed verification: expected sha256 ${expected}, got ${actual}. The partial download was deleted. ${hint}`,
    { retryable: from === 'server' },
  );
}
