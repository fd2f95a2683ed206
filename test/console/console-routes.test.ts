import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { type AttachedPolicy, type PolicySource, type Principal, parsePolicyDocument } from '../../src/iam/index.js';
import { consoleRoutes } from '../../src/server/console-routes.js';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';

/**
 * How the server serves the console: content types, caching, the history fallback, the missing-build page, and that
 * nothing under /console shadows or weakens an API route. Static behaviour runs on a fixture build (no Vite needed).
 */

const dist = mkdtempSync(join(tmpdir(), 'quarry-console-dist-'));
const INDEX = '<!doctype html><html><head><script type="module" src="/console/assets/app-abc123.js"></script></head><body><div id="root"></div></body></html>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(5000))});`;
writeFileSync(join(dist, 'index.html'), INDEX);
mkdirSync(join(dist, 'assets'));
writeFileSync(join(dist, 'assets', 'app-abc123.js'), SCRIPT);
writeFileSync(join(dist, 'assets', 'app-abc123.css'), 'body{color:red}');
writeFileSync(join(dist, 'assets', 'logo-1.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
writeFileSync(join(dist, '.env'), 'SECRET=1');
const app = consoleRoutes({ dir: dist, recheckMs: 0 });

// Policies of the test's own principals: one may list models, one may do nothing.
const policies = new Map<string, AttachedPolicy[]>([
  ['lister', [{ id: 'p-list', document: parsePolicyDocument({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'bedrock:List*', Resource: '*' }] }) }]],
]);
const source: PolicySource = { policiesFor: async (p: Principal) => policies.get(p.name) ?? [] };
const keys: Record<string, string> = {};

let server: TestServer;
before(async () => {
  server = await startTestServer('', { policies: source });
  for (const name of ['lister', 'nobody']) keys[name] = (await server.keys.addBearerKey(await server.keys.createPrincipal(name, false))).apiKey;
});
after(async () => {
  await server?.stop();
  rmSync(dist, { recursive: true, force: true });
});

describe('console static files', () => {
  test('the page: HTML, revalidated on every load, with a strict CSP', async () => {
    const r = await app.request('/console/');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(r.headers.get('cache-control'), 'no-cache');
    assert.match(r.headers.get('content-security-policy') ?? '', /script-src 'self'.*frame-ancestors 'none'/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(r.headers.get('x-frame-options'), 'DENY');
    assert.equal(await r.text(), INDEX);
  });

  test('every console route below /console/ answers with the page, for the router in the browser', async () => {
    for (const path of ['/console/models', '/console/knowledge-bases/ABCDEFGHIJ', '/console/playground?model=x', '/console/index.html']) {
      const r = await app.request(path);
      assert.equal(r.status, 200, path);
      assert.equal(await r.text(), INDEX, path);
    }
  });

  test('hashed assets: their own content type, cached for good, gzipped when asked', async () => {
    const js = await app.request('/console/assets/app-abc123.js');
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(js.headers.get('content-security-policy'), null, 'the CSP belongs to the page');
    assert.equal(await js.text(), SCRIPT);
    const css = await app.request('/console/assets/app-abc123.css');
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
    assert.equal((await app.request('/console/assets/logo-1.svg')).headers.get('content-type'), 'image/svg+xml; charset=utf-8');
    const gz = await app.request('/console/assets/app-abc123.js', { headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    assert.equal(gz.headers.get('vary'), 'accept-encoding');
    const bytes = new Uint8Array(await gz.arrayBuffer());
    assert.equal(Number(gz.headers.get('content-length')), bytes.byteLength);
    assert.ok(bytes.byteLength < SCRIPT.length / 10);
    assert.equal(gunzipSync(bytes).toString(), SCRIPT);
  });

  test('a matching ETag is a 304 without a body; HEAD has the length and no body', async () => {
    const first = await app.request('/console/assets/app-abc123.js');
    const etag = first.headers.get('etag')!;
    assert.match(etag, /^"[\w-]{22}"$/);
    const again = await app.request('/console/assets/app-abc123.js', { headers: { 'if-none-match': `W/${etag}, "other"` } });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');
    const head = await app.request('/console/', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(Number(head.headers.get('content-length')), INDEX.length);
    assert.equal(await head.text(), '');
  });

  test('a missing file is a plain 404, never the page in place of a script; dotfiles and paths outside are not served', async () => {
    for (const path of ['/console/assets/app-old999.js', '/console/favicon.ico', '/console/.env', '/console/%2e%2e/package.json', '/console/..%2fpackage.json', '/console/assets/..%2F..%2Findex.html']) {
      const r = await app.request(path);
      assert.equal(r.status, 404, path);
      assert.match(r.headers.get('content-type') ?? '', /^text\/plain/, path);
      assert.doesNotMatch(await r.text(), /SECRET|<html|"name": "quarry"/, path);
    }
  });

  test('without a build the console says how to make one, and serves it once built, without a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quarry-console-missing-'));
    try {
      const routes = consoleRoutes({ dir, recheckMs: 0 });
      const r = await routes.request('/console/');
      assert.equal(r.status, 503);
      assert.equal(r.headers.get('cache-control'), 'no-store');
      assert.match(await r.text(), /npm run build:web/);
      writeFileSync(join(dir, 'index.html'), '<p>v1</p>');
      assert.equal(await (await routes.request('/console/models')).text(), '<p>v1</p>');
      // A rebuild replaces index.html: the next load gets the new one.
      writeFileSync(join(dir, 'index.html'), '<p>v2</p>');
      utimesSync(join(dir, 'index.html'), new Date(), new Date(Date.now() + 5000));
      assert.equal(await (await routes.request('/console/')).text(), '<p>v2</p>');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the console beside the APIs', () => {
  test('a browser at the root is sent to /console/; an API client there still gets an API answer', async () => {
    const browser = await fetch(`${server.url}/`, { headers: { accept: 'text/html,application/xhtml+xml' }, redirect: 'manual' });
    assert.equal(browser.status, 302);
    assert.equal(browser.headers.get('location'), '/console/');
    const client = await fetch(`${server.url}/`, { redirect: 'manual' });
    assert.equal(client.status, 403);
    assert.match(((await client.json()) as { message: string }).message, /Missing credentials/);
    const bare = await fetch(`${server.url}/console`, { redirect: 'manual' });
    assert.equal(bare.status, 301);
    assert.equal(bare.headers.get('location'), '/console/');
  });

  test('API routes are untouched: still authenticated, still in their own error shapes, even for browsers', async () => {
    const html = { accept: 'text/html' };
    const models = await fetch(`${server.url}/v1/models`, { headers: html });
    assert.equal(models.status, 401);
    assert.ok(((await models.json()) as { error: { message: string } }).error.message);
    const fm = await fetch(`${server.url}/foundation-models`, { headers: html });
    assert.equal(fm.status, 403);
    assert.equal((await fetch(`${server.url}/health`, { headers: html })).status, 200);
    const ok = await fetch(`${server.url}/v1/models`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } });
    assert.equal(ok.status, 200);
  });

  test('/quarry/models needs a key and adds what the listings lack: context window, price, placement', async () => {
    const anon = await fetch(`${server.url}/quarry/models`);
    assert.equal(anon.status, 403);
    const bad = await fetch(`${server.url}/quarry/models`, { headers: { authorization: 'Bearer qk-wrong' } });
    assert.equal(bad.status, 403);
    const r = await fetch(`${server.url}/quarry/models`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } });
    assert.equal(r.status, 200);
    const { models } = (await r.json()) as { models: Record<string, unknown>[] };
    const echo = models.find((m) => m.id === 'scripted.echo-v1:0')!;
    assert.deepEqual(echo.pricing, { inputPer1k: 0.001, outputPer1k: 0.002 });
    assert.equal(echo.contextWindow, 4096);
    assert.equal(echo.runsOn, 'local');
    assert.equal(echo.kind, 'text');
    assert.equal(echo.upstreamModel, undefined, 'provider-side names stay inside the server');
    const embed = models.find((m) => m.id === 'scripted.embed-v1:0')!;
    assert.equal(embed.embeddingDimensions, 8);
  });

  test('/quarry/models asks the same permission as listing foundation models', async () => {
    const get = (who: string) => fetch(`${server.url}/quarry/models`, { headers: { authorization: `Bearer ${keys[who]}` } });
    const denied = await get('nobody');
    assert.equal(denied.status, 403);
    assert.match(denied.headers.get('x-amzn-errortype') ?? '', /AccessDeniedException/);
    assert.match(((await denied.json()) as { message: string }).message, /bedrock:ListFoundationModels/);
    assert.equal((await get('lister')).status, 200);
  });
});
