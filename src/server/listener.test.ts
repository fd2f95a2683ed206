import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as h1request } from 'node:http';
import { connect } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Listener, listen } from './listener.js';

const handler = (req: { httpVersion: string }, res: { end(s: string): void }) => res.end(`v${req.httpVersion}`);

function h1get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    h1request(url, (res) => {
      let d = '';
      res.on('data', (c) => (d += c));
      res.on('end', () => resolve(d));
    })
      .on('error', reject)
      .end();
  });
}

function h2get(url: string, opts: object = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const session = connect(url, opts);
    session.on('error', reject);
    const req = session.request({ ':path': '/' });
    let d = '';
    req.on('data', (c) => (d += c));
    req.on('end', () => {
      session.close();
      resolve(d);
    });
    req.on('error', reject);
  });
}

describe('one port, HTTP/1.1 and cleartext HTTP/2', () => {
  let l: Listener;
  before(async () => {
    l = await listen(handler as never, { host: '127.0.0.1', port: 0 });
  });
  after(() => l.close());

  test('HTTP/1.1 and h2c prior knowledge both answer, also interleaved', async () => {
    assert.equal(await h1get(`${l.url}/`), 'v1.1');
    assert.equal(await h2get(l.url), 'v2.0');
    const all = await Promise.all([h1get(`${l.url}/`), h2get(l.url), h1get(`${l.url}/`), h2get(l.url)]);
    assert.deepEqual(all, ['v1.1', 'v2.0', 'v1.1', 'v2.0']);
  });

  test('many streams on one HTTP/2 connection', async () => {
    const session = connect(l.url);
    const one = () =>
      new Promise<string>((resolve, reject) => {
        const req = session.request({ ':path': '/' });
        let d = '';
        req.on('data', (c) => (d += c));
        req.on('end', () => resolve(d));
        req.on('error', reject);
      });
    const results = await Promise.all(Array.from({ length: 50 }, one));
    session.close();
    assert.ok(results.every((r) => r === 'v2.0'));
  });
});

describe('TLS with ALPN', () => {
  let l: Listener;
  let dir: string;
  let cert: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'quarry-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    l = await listen(handler as never, { host: '127.0.0.1', port: 0, tls: { cert, key: readFileSync(join(dir, 'key.pem')) } });
  });
  after(async () => {
    await l.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('h2 and http/1.1 are negotiated', async () => {
    assert.equal(await h2get(l.url, { ca: cert, servername: 'localhost' }), 'v2.0');
    const body = await new Promise<string>((resolve, reject) => {
      httpsRequest(`${l.url}/`, { ca: cert, servername: 'localhost' }, (res) => {
        let d = '';
        res.on('data', (c) => (d += c));
        res.on('end', () => resolve(d));
      })
        .on('error', reject)
        .end();
    });
    assert.equal(body, 'v1.1');
  });
});
