import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context } from 'hono';
import type { ApiEnv } from './api-env.js';

type NodeOut = ServerResponse | Http2ServerResponse;

/**
 * Sends an async iterable of encoded chunks as the response body. On a real socket the chunks go straight to Node's
 * response — web ReadableStreams cost several allocations and promise hops per chunk, which halved streaming
 * throughput — with back-pressure from the client; in-process (`app.request`) a web stream carries them. Either way a
 * client that goes away closes the iterator, which closes the provider's stream and stops the model.
 */
export function streamResponse(c: Context<ApiEnv>, chunks: AsyncIterable<Uint8Array | string>, headers: Record<string, string>, status = 200): Response {
  const id = c.get('requestId');
  const all = { ...headers, 'x-amzn-requestid': id, 'x-request-id': id };
  const out = (c.env as { outgoing?: NodeOut } | undefined)?.outgoing;
  if (!out) return webStream(chunks, all, status);
  out.writeHead(status, all);
  void pump(out, chunks);
  return RESPONSE_ALREADY_SENT;
}

async function pump(out: NodeOut, chunks: AsyncIterable<Uint8Array | string>): Promise<void> {
  // 'close' before the end means the client went (an HTTP/1.1 disconnect or an HTTP/2 stream reset alike).
  let closed = false;
  out.once('close', () => {
    closed = true;
  });
  // Parts decoded from one upstream read arrive within one turn of the microtask queue; corking until the next tick
  // sends them in one write instead of a syscall (and, for HTTP/1.1, a chunk header) each.
  const h1 = typeof (out as ServerResponse).cork === 'function' ? (out as ServerResponse) : undefined;
  let corked = false;
  const uncork = () => {
    corked = false;
    h1?.uncork();
  };
  try {
    for await (const chunk of chunks) {
      if (closed) break; // break closes the iterator: generation stops
      if (h1 && !corked) {
        corked = true;
        h1.cork();
        process.nextTick(uncork);
      }
      if (!(out as ServerResponse).write(chunk) && !closed) await drainOrClose(out);
    }
    if (!closed) out.end();
  } catch (e) {
    // Wire adapters turn failures into in-stream errors; anything reaching here is a bug, and all we can still do
    // is cut the connection so the client sees the stream end abnormally rather than hang.
    out.destroy(e as Error);
  }
}

function drainOrClose(out: NodeOut): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.once('drain', done);
    out.once('close', done);
  });
}

function webStream(chunks: AsyncIterable<Uint8Array | string>, headers: Record<string, string>, status: number): Response {
  const iterator = chunks[Symbol.asyncIterator]();
  const enc = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(typeof value === 'string' ? enc.encode(value) : value);
      } catch (e) {
        controller.error(e);
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return new Response(body, { status, headers });
}
