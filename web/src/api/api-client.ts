import { ApiError, errorFromResponse, isAbort, unreachable } from './api-error';

/**
 * The console's only way to the server: same-origin HTTP with the signed-in key as `Authorization: Bearer`, exactly
 * what any other client sends. A refused key signs the console out (`onBadKey`), so every page handles it once.
 */
export class ApiClient {
  constructor(
    readonly key: string,
    private readonly onBadKey: (e: ApiError) => void,
  ) {}

  /** The raw response of a successful call; errors (HTTP or network) are thrown as ApiError. */
  async fetch(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(path, {
        method: init.method ?? 'GET',
        headers: {
          authorization: `Bearer ${this.key}`,
          ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
        signal: init.signal,
        cache: 'no-store',
      });
    } catch (e) {
      if (isAbort(e)) throw e;
      throw unreachable(e);
    }
    if (!res.ok) {
      const err = await errorFromResponse(res);
      if (err.isBadKey) this.onBadKey(err);
      throw err;
    }
    return res;
  }

  async json<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
    const res = await this.fetch(path, init);
    try {
      return (await res.json()) as T;
    } catch {
      throw new ApiError(`The server's answer to ${path} was not JSON.`, res.status, undefined);
    }
  }
}

/** Checks a key before the console keeps it: any authenticated read will do, and /v1/models is the cheapest. */
export async function checkKey(key: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch('/v1/models', { headers: { authorization: `Bearer ${key}` }, cache: 'no-store' });
  } catch (e) {
    throw unreachable(e);
  }
  if (res.ok) return;
  const err = await errorFromResponse(res);
  // The key itself is good but may not list models: it signs in, and each page says what it is not allowed.
  if (err.code === 'AccessDeniedException') return;
  throw err;
}
