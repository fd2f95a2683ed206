/** The longest wait an upstream may ask for that is passed on; beyond it the header is taken as garbage. */
const MAX_RETRY_AFTER_MS = 3_600_000;

type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined | null;

function header(h: HeaderSource, name: string): string | undefined {
  if (!h) return undefined;
  if (typeof (h as Headers).get === 'function') return (h as Headers).get(name) ?? undefined;
  const v = (h as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * How long an upstream that refused a call (429, 503) asked to be left alone, in ms: OpenAI's `retry-after-ms`, else
 * the standard `retry-after` as seconds or an HTTP date (RFC 9110 §10.2.3). Undefined when absent or unreadable.
 * Passed on as the client's own Retry-After, and respected by routing's retries, rather than hammering the upstream.
 */
export function retryAfterMs(headers: HeaderSource, now: number = Date.now()): number | undefined {
  const ms = header(headers, 'retry-after-ms');
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return clamp(Number(ms));
  const v = header(headers, 'retry-after')?.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return clamp(Number(v) * 1000);
  // An HTTP date names its weekday and month; V8 would also read "-5" or "12" as dates.
  if (!/[a-z]{3}/i.test(v)) return undefined;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : clamp(at - now);
}

function clamp(ms: number): number | undefined {
  if (!Number.isFinite(ms) || ms > MAX_RETRY_AFTER_MS) return undefined;
  return Math.max(0, Math.round(ms));
}
