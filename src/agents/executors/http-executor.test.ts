import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createSafeFetch } from '../../net/index.js';
import type { ActionCall, AgentDefinition, AgentFunction } from '../orchestration/index.js';
import { functionsFromFunctionSchema, functionsFromOpenApi } from '../orchestration/index.js';
import { callHttpAction } from './http-executor.js';

const T = { timeout: 15_000 };
let server: Server;
let base: string;
const seen: { method: string; url: string; headers: Record<string, unknown>; body: string }[] = [];
const fetch = createSafeFetch();

const agent = { agentId: 'AGENT00001', agentName: 'a', agentAliasId: 'TSTALIASID', agentVersion: 'DRAFT' } as AgentDefinition;
function call(fn: AgentFunction, args: Record<string, unknown>): ActionCall {
  return { agent, group: { name: 'g', functions: [fn], executor: { kind: 'returnControl' } }, fn, args, sessionId: 's1', inputText: 'hi', sessionAttributes: { a: '1' }, promptSessionAttributes: {} };
}
const fnSchema = functionsFromFunctionSchema([{ name: 'lookup', parameters: { q: { type: 'string', required: true } } }])[0]!;
const ops = functionsFromOpenApi({
  openapi: '3.0.0',
  paths: {
    '/orders/{orderId}': {
      get: { operationId: 'getOrder', parameters: [{ name: 'orderId', in: 'path', schema: { type: 'string' } }, { name: 'verbose', in: 'query', schema: { type: 'boolean' } }] },
      post: {
        operationId: 'updateOrder',
        parameters: [{ name: 'orderId', in: 'path', schema: { type: 'string' } }, { name: 'x-trace', in: 'header', schema: { type: 'string' } }],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] } } } },
      },
    },
  },
});
const op = (id: string) => ops.find((f) => f.name === id)!;

describe('HTTP executor', () => {
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        const path = new URL(req.url!, 'http://x').pathname;
        if (path === '/fn') {
          const ev = JSON.parse(body);
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ messageVersion: '1.0', response: { actionGroup: ev.actionGroup, function: ev.function, functionResponse: { responseBody: { TEXT: { body: `looked up ${ev.parameters[0].value}` } } } }, sessionAttributes: { seen: 'yes' } }));
        } else if (path.startsWith('/orders/')) {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ path, method: req.method, body: body ? JSON.parse(body) : null }));
        } else if (path === '/slow') setTimeout(() => res.end('late'), 2_000);
        else if (path === '/big') res.end('y'.repeat(3 * 1024 * 1024));
        else if (path === '/badjson') {
          res.setHeader('content-type', 'application/json');
          res.end('{"unterminated": ');
        } else if (path === '/binary') {
          res.setHeader('content-type', 'image/png');
          res.end(Buffer.alloc(64));
        } else {
          res.statusCode = 503;
          res.end('maintenance');
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await fetch.close();
  });

  const signal = () => new AbortController().signal;

  test('a functionSchema call is POSTed as a Lambda event and the Lambda response is read', T, async () => {
    const r = await callHttpAction(fetch, { kind: 'http', url: `${base}/fn`, trusted: true }, call(fnSchema, { q: 'shoes' }), signal());
    assert.deepEqual(r, { ok: true, text: 'looked up shoes', sessionAttributes: { seen: 'yes' } });
    const ev = JSON.parse(seen.at(-1)!.body);
    assert.equal(ev.messageVersion, '1.0');
    assert.deepEqual(ev.parameters, [{ name: 'q', type: 'string', value: 'shoes' }]);
    assert.deepEqual(ev.sessionAttributes, { a: '1' });
  });

  test('an OpenAPI operation is called at its path with query, header and body', T, async () => {
    const g = await callHttpAction(fetch, { kind: 'http', url: base, trusted: true }, call(op('getOrder'), { orderId: 'A/1', verbose: true }), signal());
    assert.equal(g.ok, true);
    assert.equal(seen.at(-1)!.url, '/orders/A%2F1?verbose=true');
    const p = await callHttpAction(fetch, { kind: 'http', url: base, trusted: true, headers: { 'x-api-key': 'k' } }, call(op('updateOrder'), { orderId: 'B', 'x-trace': 't1', status: 'shipped' }), signal());
    assert.equal(p.ok, true);
    const last = seen.at(-1)!;
    assert.equal(last.method, 'POST');
    assert.equal(last.headers['x-trace'], 't1');
    assert.equal(last.headers['x-api-key'], 'k');
    assert.deepEqual(JSON.parse(last.body), { status: 'shipped' });
  });

  test('a URL nobody trusted may not reach a private address', T, async () => {
    const before = seen.length;
    const r = await callHttpAction(fetch, { kind: 'http', url: `${base}/fn` }, call(fnSchema, { q: 'x' }), signal());
    assert.equal(r.ok, false);
    assert.match(r.text, /not allowed/);
    assert.equal(seen.length, before, 'the request never left');
  });

  test('timeouts, oversized bodies, invalid JSON, binary bodies and error statuses are outcomes the model can read', T, async () => {
    const get = (url: string, extra = {}) => callHttpAction(fetch, { kind: 'http', url, trusted: true, ...extra }, call(fnSchema, { q: 'x' }), signal());
    const slow = await get(`${base}/slow`, { timeoutMs: 200 });
    assert.deepEqual(slow, { ok: false, text: 'The endpoint did not answer within 200 ms.' });
    const big = await get(`${base}/big`, { maxResponseBytes: 1024 * 1024 });
    assert.deepEqual(big, { ok: false, text: "The endpoint's response is larger than 1048576 bytes and was not read." });
    const bad = await get(`${base}/badjson`);
    assert.equal(bad.ok, true);
    assert.match(bad.text, /not valid JSON .*\n\{"unterminated": $/);
    const bin = await get(`${base}/binary`);
    assert.match(bin.text, /64 bytes of image\/png/);
    const down = await get(`${base}/down`);
    assert.deepEqual(down, { ok: false, text: 'The endpoint answered HTTP 503 Service Unavailable: maintenance' });
  });

  test('a model may not set identity headers through a header parameter', T, async () => {
    const [f] = functionsFromOpenApi({ openapi: '3.0.0', paths: { '/x': { get: { operationId: 'x', parameters: [{ name: 'Authorization', in: 'header', schema: { type: 'string' } }] } } } });
    const r = await callHttpAction(fetch, { kind: 'http', url: base, trusted: true }, call(f!, { Authorization: 'Bearer stolen' }), signal());
    assert.deepEqual(r, { ok: false, text: 'The header parameter Authorization cannot be set by the agent.' });
  });
});
