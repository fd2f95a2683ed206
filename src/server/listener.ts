import { createServer as createH1Server } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Http2ServerRequest, type Http2ServerResponse, createSecureServer, createServer as createH2Server } from 'node:http2';
import { type AddressInfo, type Server, type Socket, createServer as createNetServer } from 'node:net';
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
  close(): Promise<void>;
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
  let server: Server;
  if (opts.tls) {
    server = createSecureServer({ ...opts.tls, allowHTTP1: true, settings: H2_SETTINGS }, handler as never);
  } else {
    const h1 = createH1Server({ keepAliveTimeout: 65_000 }, handler as never);
    const h2 = createH2Server({ settings: H2_SETTINGS }, handler as never);
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
          h1.emit('connection', socket);
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
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
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
