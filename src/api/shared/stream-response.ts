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
  // Object.assign, not `{ ...headers, … }`: on Node 20 a spread plus keys the source lacks makes a hidden class per call.
  const all = Object.assign({}, headers, { 'x-amzn-requestid': id, 'x-request-id': id });
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
  // Everything encoded within one turn of the event loop goes out as one write, made in that turn's check phase
  // (setImmediate), after the I/O callbacks that produced it. A fast upstream delivers a whole answer in one read, and
  // its parts, the upstream's end and the metering commit all finish within that turn: one write (one syscall, one
  // HTTP/1.1 chunk, one HTTP/2 DATA frame) instead of one per part. cork() until nextTick gave three, because the
  // upstream body's end and the usage commit land after the first tick. A slow model's tokens still go out the turn
  // they arrive, so time to first byte does not change.
  let pending: (Uint8Array | string)[] = [];
  let scheduled = false;
  let blocked: Promise<void> | undefined;
  const flush = () => {
    scheduled = false;
    if (closed || pending.length === 0) return;
    const data = joined(pending);
    pending = [];
    if (!(out as ServerResponse).write(data) && !closed) blocked = drainOrClose(out);
  };
  try {
    for await (const chunk of chunks) {
      if (closed) break; // break closes the iterator: generation stops
      pending.push(chunk);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
      if (blocked) {
        await blocked;
        blocked = undefined;
      }
    }
    if (!closed) {
      // Whatever is still gathered goes with the end: for HTTP/1.1, the last chunk and the terminator in one write.
      const rest = pending.length ? joined(pending) : undefined;
      pending = [];
      if (rest === undefined) out.end();
      else (out as ServerResponse).end(rest);
    }
  } catch (e) {
    // Wire adapters turn failures into in-stream errors; anything reaching here is a bug, and all we can still do
    // is cut the connection so the client sees the stream end abnormally rather than hang.
    out.destroy(e as Error);
  }
}

/** One write's worth: strings joined as a string, anything binary as one buffer. */
function joined(parts: (Uint8Array | string)[]): Uint8Array | string {
  if (parts.length === 1) return parts[0]!;
  if (parts.every((p) => typeof p === 'string')) return (parts as string[]).join('');
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
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
