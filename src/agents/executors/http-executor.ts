import { BlockedAddressError, FetchLimitError, type SafeFetch, type SafeResponse } from '../../net/index.js';
import type { ActionCall, ActionExecutor, ActionOutcome } from '../orchestration/index.js';
import { handlerOutcome, lambdaEvent } from './lambda-event.js';

type HttpExecutor = Extract<ActionExecutor, { kind: 'http' }>;

export const DEFAULT_HTTP_TIMEOUT_MS = 30_000;
export const DEFAULT_HTTP_MAX_BYTES = 4 * 1024 * 1024;

// Headers a model may not set through an OpenAPI header parameter: they belong to the connection or carry identity.
const RESERVED_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'authorization', 'cookie', 'proxy-authorization', 'upgrade', 'te', 'trailer']);

/**
 * Calls an action group's HTTP endpoint through the SSRF-guarded fetch. A functionSchema call is POSTed as Bedrock's
 * Lambda event (so one handler serves both executors); an OpenAPI operation is called as the document describes it:
 * path parameters substituted, query and header parameters set, body parameters sent as JSON. Failures the model
 * should hear about (status ≥ 400, a timeout, an oversized or refused response) come back as `ok: false` outcomes.
 */
export async function callHttpAction(fetch: SafeFetch, executor: HttpExecutor, call: ActionCall, signal: AbortSignal): Promise<ActionOutcome> {
  const timeoutMs = executor.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  const maxBytes = executor.maxResponseBytes ?? DEFAULT_HTTP_MAX_BYTES;
  let req: { url: string; method: string; headers: Record<string, string>; body?: string };
  try {
    req = buildRequest(executor, call);
  } catch (e) {
    return { ok: false, text: (e as Error).message };
  }
  let res: SafeResponse;
  try {
    res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      ...(req.body !== undefined ? { body: req.body } : {}),
      timeoutMs,
      maxBytes,
      signal,
      ...(executor.trusted ? { allowHosts: [new URL(executor.url).host] } : {}),
    });
  } catch (e) {
    return { ok: false, text: failureText(e, timeoutMs, maxBytes) };
  }
  const text = bodyText(res);
  if (!res.ok) return { ok: false, text: `The endpoint answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}: ${text.text || '(empty body)'}` };
  if (!call.fn.api && text.json !== undefined) return handlerOutcome(text.json);
  return { ok: true, text: text.text || 'The endpoint answered with an empty body.' };
}

function buildRequest(executor: HttpExecutor, call: ActionCall) {
  const headers: Record<string, string> = { ...executor.headers, accept: 'application/json, text/plain;q=0.9, */*;q=0.5' };
  const api = call.fn.api;
  if (!api) {
    return { url: executor.url, method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(lambdaEvent(call)) };
  }
  let path = api.path;
  const url = new URL(executor.url);
  const body: Record<string, unknown> = {};
  let wholeBody: unknown;
  for (const [name, value] of Object.entries(call.args)) {
    const where = api.parameterIn[name];
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (where === 'path') path = path.split(`{${name}}`).join(encodeURIComponent(text));
    else if (where === 'query') url.searchParams.append(name, text);
    else if (where === 'header') {
      if (RESERVED_HEADERS.has(name.toLowerCase())) throw new Error(`The header parameter ${name} cannot be set by the agent.`);
      headers[name] = text.replace(/[\r\n]/g, ' ');
    } else if (where === 'body') {
      if (name === 'body' && Object.keys(api.parameterIn).filter((k) => api.parameterIn[k] === 'body').length === 1) wholeBody = value;
      else body[name] = value;
    }
  }
  const missing = /\{([^}]+)\}/.exec(path);
  if (missing) throw new Error(`The path parameter ${missing[1]} is required by ${api.method.toUpperCase()} ${api.path}.`);
  url.pathname = `${url.pathname.replace(/\/$/, '')}${path}`;
  const hasBody = wholeBody !== undefined || Object.keys(body).length > 0;
  return {
    url: url.href,
    method: api.method.toUpperCase(),
    headers: hasBody ? { ...headers, 'content-type': api.bodyContentType?.includes('json') === false ? api.bodyContentType : 'application/json' } : headers,
    ...(hasBody ? { body: typeof wholeBody === 'string' ? wholeBody : JSON.stringify(wholeBody ?? body) } : {}),
  };
}

/** The body as text for the model, with a note when a JSON response is not valid JSON or is not text at all. */
function bodyText(res: SafeResponse): { text: string; json?: unknown } {
  const type = res.headers.get('content-type') ?? '';
  if (type && !/json|text|xml|yaml|csv|javascript|x-www-form-urlencoded/i.test(type)) {
    return { text: `[The endpoint answered with ${res.body.byteLength} bytes of ${type}, which cannot be shown as text.]` };
  }
  const text = new TextDecoder().decode(res.body);
  if (/json/i.test(type) || /^\s*[{[]/.test(text)) {
    try {
      return { text, json: JSON.parse(text) };
    } catch (e) {
      if (/json/i.test(type)) return { text: `[The endpoint's response is not valid JSON (${(e as Error).message}); its text follows.]\n${text}` };
    }
  }
  return { text };
}

function failureText(e: unknown, timeoutMs: number, maxBytes: number): string {
  if (FetchLimitError.is(e)) {
    if (e.limit === 'time') return `The endpoint did not answer within ${timeoutMs} ms.`;
    if (e.limit === 'bytes') return `The endpoint's response is larger than ${maxBytes} bytes and was not read.`;
    return `The endpoint redirected too many times.`;
  }
  if (e instanceof BlockedAddressError || (e as Error)?.name === 'BlockedAddressError') return `The endpoint's address is not allowed: ${(e as Error).message}`;
  if ((e as Error)?.name === 'AbortError' || (e as Error)?.name === 'TimeoutError') return 'The call was cancelled.';
  return `The endpoint could not be reached: ${(e as Error)?.message ?? String(e)}`;
}
