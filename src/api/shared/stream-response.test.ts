import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { ApiEnv } from './api-env.js';
import { streamResponse } from './stream-response.js';

type Source = () => AsyncGenerator<string | Uint8Array>;

/** A real Node server whose one route streams what `source` yields, counting the writes made on the response. */
async function serveStream(source: Source): Promise<{ port: number; writes: () => number; server: ServerType }> {
  let writes = 0;
  const app = new Hono<ApiEnv>();
  app.get('/s', (c) => {
    c.set('requestId', 'req-1');
    const out = (c.env as unknown as { outgoing: { write: (...a: unknown[]) => boolean } }).outgoing;
    const write = out.write.bind(out);
    out.write = (...a: unknown[]) => {
      writes++;
      return write(...a);
    };
    return streamResponse(c, source(), { 'content-type': 'text/plain' });
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  return { port: (server.address() as AddressInfo).port, writes: () => writes, server };
}

function get(port: number) {
  return new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/s' }, resolve).on('error', reject).end();
  });
}

async function text(res: import('node:http').IncomingMessage): Promise<string> {
  let s = '';
  for await (const d of res) s += d;
  return s;
}

test('parts encoded within one turn of the event loop go out as one write, and the rest with the end', async () => {
  const { port, writes, server } = await serveStream(async function* () {
    for (let i = 0; i < 10; i++) yield `part ${i};`;
    await new Promise((r) => setTimeout(r, 20)); // a later upstream read
    yield 'late;';
    yield Buffer.from('bytes;');
  });
  try {
    const body = await text(await get(port));
    assert.equal(body, `${Array.from({ length: 10 }, (_, i) => `part ${i};`).join('')}late;bytes;`);
    assert.equal(writes(), 1, 'the ten parts of the first turn in one write; the late ones ride on end()');
  } finally {
    server.close();
  }
});

test('a client that does not read stops the source from being pulled (back-pressure), and gets everything once it reads', async () => {
  let pulled = 0;
  const chunk = 'x'.repeat(64 * 1024);
  const { port, server } = await serveStream(async function* () {
    for (let i = 0; i < 400; i++) {
      pulled++;
      yield chunk;
      if (i % 4 === 3) await new Promise((r) => setImmediate(r));
    }
  });
  try {
    const res = await get(port);
    res.pause();
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(pulled < 200, `pulled ${pulled} of 400 chunks (25 MB) for a client reading nothing`);
    res.resume();
    const body = await text(res);
    assert.equal(body.length, 400 * chunk.length);
    assert.equal(pulled, 400);
  } finally {
    server.close();
  }
});

test('a client that goes away closes the source, so generation stops', async () => {
  let closed = false;
  let yielded = 0;
  const { port, server } = await serveStream(async function* () {
    try {
      for (;;) {
        yielded++;
        yield `tick ${yielded}\n`;
        await new Promise((r) => setTimeout(r, 5));
      }
    } finally {
      closed = true;
    }
  });
  try {
    const res = await get(port);
    await new Promise((r) => res.once('data', r));
    res.destroy();
    for (let i = 0; i < 100 && !closed; i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(closed, 'the source generator was closed');
    const at = yielded;
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(yielded <= at + 1, 'nothing more was generated');
  } finally {
    server.close();
  }
});
