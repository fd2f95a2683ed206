import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What one request to the fault-injecting upstream does.
 * - `ok`: a normal answer (JSON, or SSE when the request streams).
 * - `status`: that HTTP error with an OpenAI-style body (`retryAfterS` adds Retry-After, as 429s carry).
 * - `hang`: reads the request and never answers.
 * - `slow`: streams one word per `ms` (a whole answer waits for all of them).
 * - `reset`: destroys the connection before any response.
 * - `reset-after-start`: streams the role chunk (no text yet), then destroys the connection.
 * - `reset-mid-stream`: streams `tokens` words, then destroys the connection (a whole answer: half a body).
 * - `malformed`: 200 with a body (or SSE event) that is not JSON.
 * - `context-length`: 400 as OpenAI says a prompt is too long.
 * - `content-filter`: an answer stopped by the upstream's content filter.
 */
export type Fault =
  | 'ok'
  | { status: number; retryAfterS?: number; message?: string }
  | 'hang'
  | { slow: number }
  | 'reset'
  | 'reset-after-start'
  | { resetMidStream: number }
  | 'malformed'
  | 'context-length'
  | 'content-filter';

export interface SeenRequest {
  n: number;
  model: string;
  stream: boolean;
  prompt: string;
}

export type FaultPlan = (req: SeenRequest) => Fault;

export interface FaultUpstream {
  name: string;
  /** Base URL including `/v1`, as an openai-compatible provider's `baseUrl`. */
  baseUrl: string;
  /** Requests received so far, in order. */
  readonly seen: SeenRequest[];
  /** Replaces what requests do from now on. */
  setPlan(plan: FaultPlan): void;
  /** What `GET /v1/models` (the health check's probe) does from now on: `ok`, an HTTP error, `hang` or `reset`. */
  setModels(fault: 'ok' | { status: number } | 'hang' | 'reset'): void;
  /** `GET /v1/models` requests received so far (not in `seen`, which holds model calls). */
  readonly modelListings: number;
  close(): Promise<void>;
}

const WORDS = ['The', 'quick', 'brown', 'fox', 'jumps', 'over', 'the', 'lazy', 'dog.'];

/**
 * `[fault:<name>]` in the last user message picks a fault for that request whatever the plan, so one test can drive
 * several behaviours through a server with many deployments.
 */
export function faultFromPrompt(prompt: string): Fault | undefined {
  const m = /\[fault:([\w-]+)(?::(\d+))?\]/.exec(prompt);
  if (!m) return undefined;
  const arg = Number(m[2] ?? 0);
  switch (m[1]) {
    case 'ok':
    case 'hang':
    case 'reset':
    case 'reset-after-start':
    case 'malformed':
    case 'context-length':
    case 'content-filter':
      return m[1];
    case 'status':
      return { status: arg || 500 };
    case 'throttle':
      return { status: 429, retryAfterS: arg || 1 };
    case 'slow':
      return { slow: arg || 20 };
    case 'reset-mid-stream':
      return { resetMidStream: arg || 2 };
    default:
      return undefined;
  }
}

/** An OpenAI-compatible upstream on a loopback port whose every answer can be made to fail in a chosen way. */
export async function startFaultUpstream(name: string, plan: FaultPlan = () => 'ok'): Promise<FaultUpstream> {
  const seen: SeenRequest[] = [];
  let current = plan;
  let models: 'ok' | { status: number } | 'hang' | 'reset' = 'ok';
  let modelListings = 0;
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.endsWith('/models')) {
      modelListings++;
      if (models === 'hang') return;
      if (models === 'reset') req.socket.destroy();
      else if (models === 'ok') json(res, 200, { object: 'list', data: [{ id: 'gpt-test', object: 'model' }] });
      else json(res, models.status, { error: { message: `${name} is down`, type: 'server_error' } });
      return;
    }
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      let parsed: { model?: string; stream?: boolean; messages?: { content?: unknown }[] } = {};
      try {
        parsed = JSON.parse(body);
      } catch {
        // Answered below as a 400, as a real upstream would.
      }
      const last = parsed.messages?.at(-1)?.content;
      const prompt = typeof last === 'string' ? last : JSON.stringify(last ?? '');
      const r: SeenRequest = { n: seen.length, model: String(parsed.model), stream: parsed.stream === true, prompt };
      seen.push(r);
      answer(req, res, name, r, faultFromPrompt(prompt) ?? current(r));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    name,
    baseUrl: `http://127.0.0.1:${port}/v1`,
    seen,
    setPlan(p) {
      current = p;
    },
    setModels(f) {
      models = f;
    },
    get modelListings() {
      return modelListings;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
};

const chunk = (model: string, delta: object, finish: string | null) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-fault', object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const usageChunk = (model: string, out: number) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-fault', object: 'chat.completion.chunk', created: 1, model, choices: [], usage: { prompt_tokens: 12, completion_tokens: out, total_tokens: 12 + out } })}\n\n`;

function answer(req: IncomingMessage, res: ServerResponse, name: string, r: SeenRequest, fault: Fault): void {
  const text = `${name}: ${WORDS.join(' ')}`;
  if (fault === 'hang') return;
  if (fault === 'reset') {
    req.socket.destroy();
    return;
  }
  if (fault === 'malformed') {
    if (r.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: {"choices": [ this is not json\n\n');
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"choices": [ this is not json');
    }
    return;
  }
  if (fault === 'context-length') {
    json(res, 400, { error: { message: "This model's maximum context length is 8192 tokens.", type: 'invalid_request_error', code: 'context_length_exceeded' } });
    return;
  }
  if (typeof fault === 'object' && 'status' in fault) {
    const headers: Record<string, string> = fault.retryAfterS === undefined ? {} : { 'retry-after': String(fault.retryAfterS) };
    json(res, fault.status, { error: { message: fault.message ?? `${name} injected HTTP ${fault.status}`, type: 'server_error' } }, headers);
    return;
  }
  const finish = fault === 'content-filter' ? 'content_filter' : 'stop';
  const words = fault === 'content-filter' ? [] : [`${name}:`, ...WORDS];
  if (!r.stream) {
    if (typeof fault === 'object' && 'resetMidStream' in fault) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '400' });
      res.write('{"id":"chatcmpl-fault","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"');
      setTimeout(() => req.socket.destroy(), 5);
      return;
    }
    const send = () =>
      json(res, 200, {
        id: 'chatcmpl-fault',
        object: 'chat.completion',
        created: 1,
        model: r.model,
        choices: [{ index: 0, message: { role: 'assistant', content: fault === 'content-filter' ? '' : text }, finish_reason: finish }],
        usage: { prompt_tokens: 12, completion_tokens: words.length, total_tokens: 12 + words.length },
      });
    if (typeof fault === 'object' && 'slow' in fault) setTimeout(send, fault.slow * words.length);
    else send();
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write(chunk(r.model, { role: 'assistant', content: '' }, null));
  if (fault === 'reset-after-start') {
    setTimeout(() => req.socket.destroy(), 5);
    return;
  }
  const cut = typeof fault === 'object' && 'resetMidStream' in fault ? fault.resetMidStream : Number.POSITIVE_INFINITY;
  const delay = typeof fault === 'object' && 'slow' in fault ? fault.slow : 0;
  let i = 0;
  const next = () => {
    if (res.destroyed) return;
    if (i >= cut) {
      // Destroying at once could drop the chunks still buffered; the client must see them arrive first.
      setTimeout(() => req.socket.destroy(), 20);
      return;
    }
    if (i < words.length) {
      res.write(chunk(r.model, { content: i ? ` ${words[i]}` : words[i] }, null));
      i++;
      if (delay) setTimeout(next, delay);
      else next();
      return;
    }
    res.write(chunk(r.model, {}, finish));
    res.write(usageChunk(r.model, words.length));
    res.end('data: [DONE]\n\n');
  };
  next();
}
