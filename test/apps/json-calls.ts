import { TEST_API_KEY } from '../support/start-test-server.js';

export interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the replies are JSON of many shapes, read field by field and asserted on.
  body: Record<string, any>;
  errorType: string | undefined;
  /** The raw body (a stream's events, or a body that is not JSON). */
  text: string;
}

/**
 * JSON calls to a test server's admin and apps APIs: as a key, as the administrator, or signed out (no key). A string
 * body is sent as it is (malformed JSON on purpose); a body that is not JSON comes back as `{}` with its `text`.
 */
export function jsonCalls(baseUrl: () => string) {
  const call = async (key: string | undefined, method: string, path: string, body?: unknown): Promise<Reply> => {
    const res = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed = {};
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      // A stream or an error page: the caller reads `text`.
    }
    return { status: res.status, body: parsed, errorType: res.headers.get('x-amzn-errortype')?.split(':')[0] ?? undefined, text };
  };
  return {
    call,
    admin: (method: string, path: string, body?: unknown) => call(TEST_API_KEY, method, path, body),
    anon: (method: string, path: string, body?: unknown) => call(undefined, method, path, body),
  };
}
