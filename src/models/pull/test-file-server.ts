// Test helper (not a test): a local HTTP server that serves byte buffers with the behaviours a model download meets in
// the wild: Range support or not, connections cut mid-body, redirects, stated hashes.
import { once } from 'node:events';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

export type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

export interface TestServer {
  origin: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    handler(req, res, requests.length);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

export interface ServeOptions {
  /** Answer 200 with the whole body even when a Range is asked for. */
  ignoreRange?: boolean;
  /** Write this many bytes of the body, then destroy the socket. */
  cutAfter?: number;
  /**
   * Wait this long before destroying (default 100 ms): undici drops body bytes the reader has not consumed yet when the
   * socket dies, so an immediate cut would make how much reached the disk depend on scheduling.
   */
  cutDelayMs?: number;
  headers?: Record<string, string>;
}

/** Serves `body`, honouring `Range: bytes=N-` unless told not to. */
export function serveBytes(req: IncomingMessage, res: ServerResponse, body: Buffer, opts: ServeOptions = {}): void {
  const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  let start = 0;
  if (m && !opts.ignoreRange) {
    start = Number(m[1]);
    if (start >= body.length) {
      res.writeHead(416, { 'content-range': `bytes */${body.length}`, ...opts.headers });
      res.end();
      return;
    }
    res.writeHead(206, {
      'content-length': String(body.length - start),
      'content-range': `bytes ${start}-${body.length - 1}/${body.length}`,
      'accept-ranges': 'bytes',
      ...opts.headers,
    });
  } else {
    res.writeHead(200, { 'content-length': String(body.length), 'accept-ranges': 'bytes', ...opts.headers });
  }
  const rest = body.subarray(start);
  if (opts.cutAfter !== undefined && opts.cutAfter < rest.length) {
    res.write(rest.subarray(0, opts.cutAfter), () => setTimeout(() => res.socket?.destroy(), opts.cutDelayMs ?? 100));
    return;
  }
  res.end(rest);
}

/** A port on which nothing listens: bind, note the port, close. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as AddressInfo;
  s.close();
  await once(s, 'close');
  return port;
}
