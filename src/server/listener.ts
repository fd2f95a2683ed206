import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createH1Server } from 'node:http';
import { createServer as createH2Server, createSecureServer, type Http2ServerRequest, type Http2ServerResponse, type Http2Session } from 'node:http2';
import { type AddressInfo, createServer as createNetServer, type Server, type Socket } from 'node:net';
import { Duplex } from 'node:stream';

export type RequestHandler = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => void;

export interface ListenOptions {
  host: string;
  port: number;
  tls?: { cert: string | Buffer; key: string | Buffer };
}

export interface Listener {
  url: string;
  port: number;
  /**
   * Stops accepting connections, lets the requests in flight (streams included) finish for up to `drainMs`, then cuts
   * what is left. Idle keep-alive connections close at once; busy ones close after their last response.
   */
  close(drainMs?: number): Promise<void>;
}

// Enough concurrent streams for an SDK multiplexing a benchmark's worth of requests on one connection.
const H2_SETTINGS = { maxConcurrentStreams: 1000, initialWindowSize: 1 << 20 };

/**
 * One port, three protocols. Cleartext: the first bytes decide — an HTTP/2 connection preface ("PRI * HTTP/2.0")
 * goes to the h2c server (prior knowledge, which the AWS SDK's default HTTP/2 handler uses), anything else to
 * HTTP/1.1. With a certificate, Node's secure HTTP/2 server negotiates h2 or http/1.1 by ALPN itself.
 */
export async function listen(handler: RequestHandler, opts: ListenOptions): Promise<Listener> {
  const sockets = new Set<Socket>();
  const sessions = new Set<Http2Session>();
  let inFlight = 0;
  let draining = false;
  let drained: (() => void) | undefined;
  // Counts requests until their response is done or abandoned; while draining, HTTP/1.1 answers say the connection closes.
  const counted: RequestHandler = (req, res) => {
    inFlight++;
    res.once('close', () => {
      inFlight--;
      if (inFlight === 0) drained?.();
    });
    if (draining && req.httpVersionMajor === 1) (res as ServerResponse).shouldKeepAlive = false;
    handler(req, res);
  };
  let server: Server;
  let h1: ReturnType<typeof createH1Server> | undefined;
  if (opts.tls) {
    server = createSecureServer({ ...opts.tls, allowHTTP1: true, settings: H2_SETTINGS }, counted as never);
    server.on('session', (s: Http2Session) => track(sessions, s));
  } else {
    const http1 = createH1Server({ keepAliveTimeout: 65_000 }, counted as never);
    h1 = http1;
    const h2 = createH2Server({ settings: H2_SETTINGS }, counted as never);
    h2.on('session', (s: Http2Session) => track(sessions, s));
    // noDelay: Node's http server turns Nagle off for the sockets it accepts, but here the net server accepts them;
    // with Nagle on, every streamed event after the first waits for the client's delayed ACK (~40 ms).
    server = createNetServer({ noDelay: true, keepAlive: true }, (socket) => {
      socket.once('data', (first: Buffer) => {
        socket.pause();
        if (first.subarray(0, 3).toString('latin1') === 'PRI') {
          h2.emit('connection', replayFirst(socket, first));
        } else {
          // The HTTP/1.1 parser reads the socket's buffered data, so putting the bytes back is enough.
          socket.unshift(first);
          http1.emit('connection', socket);
          socket.resume();
        }
      });
    });
  }
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${host}:${port}`,
    port,
    async close(drainMs = 0) {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // GOAWAY: HTTP/2 clients open no new streams here, and the streams in flight finish.
      for (const s of sessions) if (!s.closed) s.close();
      h1?.closeIdleConnections();
      if (inFlight > 0 && drainMs > 0) {
        const done = new Promise<void>((resolve) => {
          drained = resolve;
        });
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([done, new Promise<void>((resolve) => (timer = setTimeout(resolve, drainMs)))]);
        clearTimeout(timer);
      }
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

function track(sessions: Set<Http2Session>, s: Http2Session): void {
  sessions.add(s);
  s.once('close', () => sessions.delete(s));
}

/**
 * Node 20's HTTP/2 session reads the socket's handle directly and never sees bytes already taken off it, so the
 * connection is handed over as a stream that yields the sniffed bytes first and then the socket's.
 */
function replayFirst(socket: Socket, first: Buffer): Duplex {
  const duplex = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk, encoding, cb) {
      socket.write(chunk, encoding, cb);
    },
    final(cb) {
      socket.end(cb);
    },
    destroy(err, cb) {
      socket.destroy(err ?? undefined);
      cb(err);
    },
  });
  duplex.push(first);
  socket.on('data', (d) => {
    if (!duplex.push(d)) socket.pause();
  });
  socket.on('end', () => duplex.push(null));
  socket.on('error', (e) => duplex.destroy(e));
  socket.on('close', () => duplex.destroy());
  return duplex;
}
