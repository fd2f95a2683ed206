import type { Context } from 'hono';
import { type Logger, QuarryError } from '../../core/index.js';
import type { KeyStore, Principal } from '../../iam/index.js';
import type { InvocationContext, Runtime } from '../../runtime/index.js';

/** Per-request values set by the server's middleware, typed once for every route. */
export type ApiEnv = {
  Variables: {
    requestId: string;
    log: Logger;
    principal: Principal;
    rawBody: Uint8Array | undefined;
    /** Aborted when the client goes away. */
    clientSignal: AbortSignal;
  };
};

export interface ApiDeps {
  runtime: Runtime;
  keys: KeyStore;
  region: string;
  accountId: string;
  maxBodyBytes: number;
}

/**
 * Reads the whole body once (SigV4 verification and the handler both need it), refusing more than `limit` bytes
 * whatever Content-Length claims — HTTP/2 and chunked uploads may not send one.
 */
export async function readBody(c: Context<ApiEnv>, limit: number): Promise<Uint8Array> {
  const cached = c.get('rawBody');
  if (cached) return cached;
  const declared = Number(c.req.header('content-length') ?? 0);
  if (declared > limit) throw tooLarge(limit);
  const stream = c.req.raw.body;
  let body: Uint8Array = new Uint8Array(0);
  if (stream) {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = stream.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel();
        throw tooLarge(limit);
      }
      chunks.push(value);
    }
    body = chunks.length === 1 ? chunks[0]! : new Uint8Array(Buffer.concat(chunks));
  }
  c.set('rawBody', body);
  return body;
}

const tooLarge = (limit: number) =>
  new QuarryError('RequestEntityTooLargeException', `The request body is larger than the server's limit of ${limit} bytes (limits.maxBodyBytes).`);

export function invocationContext(c: Context<ApiEnv>, api: string): InvocationContext {
  return { requestId: c.get('requestId'), principal: c.get('principal'), api, signal: c.get('clientSignal'), log: c.get('log') };
}
