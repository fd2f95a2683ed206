import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One recorded upstream answer, replayed byte for byte. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** The whole body, or chunks written one at a time so the client sees a real stream (SSE events, event-stream frames). */
  body?: string | Uint8Array | readonly (string | Uint8Array)[];
  /** Pause between chunks, to exercise incremental parsing. */
  chunkDelayMs?: number;
  /** `before-headers`: accept the request and never answer. `after-first-chunk`: start the body, then go silent. */
  hang?: 'before-headers' | 'after-first-chunk';
  /** Write about half of the body, then destroy the socket: a connection lost mid-response. */
  truncate?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The client's socket port: equal ports on two requests mean the connection was kept alive and reused. */
  remotePort: number | undefined;
  json<T = Record<string, unknown>>(): T;
  /** Resolves when the client closed the connection before the reply finished (how an upstream notices an abort). */
  closedEarly: Promise<void>;
}

export type Route = (req: RecordedRequest) => Reply | undefined;

/**
 * A local HTTP/1.1 server that stands in for an upstream model service. Tests queue recorded replies (or route by
 * path) and read back what the provider sent, so every provider is exercised through its real HTTP client.
 */
export interface ReplayServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  enqueue(...replies: Reply[]): void;
  /** Answers from `route` first, then from the queue. */
  route(route: Route | undefined): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startReplayServer(): Promise<ReplayServer> {
  const queue: Reply[] = [];
  const requests: RecordedRequest[] = [];
  let routeFn: Route | undefined;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let closedEarly!: () => void;
    const closed = new Promise<void>((resolve) => {
      closedEarly = resolve;
    });
    res.on('close', () => {
      if (!res.writableFinished) closedEarly();
    });
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body,
        remotePort: req.socket.remotePort,
        json: () => JSON.parse(body),
        closedEarly: closed,
      };
      requests.push(recorded);
      const reply = routeFn?.(recorded) ?? queue.shift() ?? {
        status: 599,
        headers: { 'content-type': 'text/plain' },
        body: `replay server: no reply queued for ${recorded.method} ${recorded.path}`,
      };
      void send(reply, res);
    });
  });

  async function send(reply: Reply, res: import('node:http').ServerResponse): Promise<void> {
    if (reply.hang === 'before-headers') return;
    const parts = reply.body === undefined ? [] : typeof reply.body === 'string' || reply.body instanceof Uint8Array ? [reply.body] : [...reply.body];
    res.writeHead(reply.status ?? 200, reply.headers ?? {});
    if (reply.truncate) {
      const all = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
      res.flushHeaders();
      res.write(all.subarray(0, Math.floor(all.length / 2)));
      setTimeout(() => res.socket?.destroy(), 10);
      return;
    }
    for (let i = 0; i < parts.length; i++) {
      if (res.destroyed) return;
      res.write(parts[i]);
      if (reply.hang === 'after-first-chunk') return;
      if (reply.chunkDelayMs && i < parts.length - 1) await new Promise((r) => setTimeout(r, reply.chunkDelayMs));
    }
    if (reply.hang === 'after-first-chunk') {
      res.flushHeaders();
      return;
    }
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...replies) => queue.push(...replies),
    route: (fn) => {
      routeFn = fn;
    },
    reset: () => {
      queue.length = 0;
      requests.length = 0;
      routeFn = undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port that was free a moment ago: connecting to it is refused. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Splits a recorded SSE body into its events, so the server writes them one by one as the upstream did. */
export function sseEvents(recorded: string): string[] {
  return recorded
    .split(/(?<=\n\n)/)
    .filter((e) => e.trim() !== '');
}

/** Splits recorded NDJSON into its lines (Ollama streams one JSON object per line). */
export function ndjsonLines(recorded: string): string[] {
  return recorded
    .split(/(?<=\n)/)
    .filter((l) => l.trim() !== '');
}
