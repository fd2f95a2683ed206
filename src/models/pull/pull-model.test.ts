import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { QuarryError } from '../../core/errors.js';
import type { PullProgress } from './progress-meter.js';
import { pullModel } from './pull-model.js';
import { type TestServer, closedPort, serveBytes, startServer } from './test-file-server.js';

const BODY = randomBytes(300_000);
const SHA = createHash('sha256').update(BODY).digest('hex');
let root: string;
let n = 0;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'quarry-pull-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh data directory per test, so partial files never leak between cases. */
async function dataDir(): Promise<string> {
  const d = join(root, `d${++n}`);
  await mkdir(d);
  return d;
}

async function withServer<T>(handler: Parameters<typeof startServer>[0], fn: (s: TestServer) => Promise<T>): Promise<T> {
  const s = await startServer(handler);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

function isQuarry(code: string, pattern?: RegExp) {
  return (e: unknown) => {
    assert.ok(QuarryError.isInstance(e), `expected a QuarryError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (pattern) assert.match(e.message, pattern);
    return true;
  };
}

test('downloads a whole file, reports progress, leaves no partial behind', async () => {
  const dir = await dataDir();
  const seen: PullProgress[] = [];
  await withServer(
    (req, res) => serveBytes(req, res, BODY),
    async (s) => {
      const r = await pullModel(`${s.origin}/files/tiny.gguf`, { dataDir: dir, onProgress: (p) => seen.push(p) });
      assert.equal(r.name, 'tiny.gguf');
      assert.equal(r.path, join(dir, 'models', 'tiny.gguf'));
      assert.equal(r.sizeBytes, BODY.length);
      assert.equal(r.sha256, SHA);
      assert.equal(r.verified, 'size');
      assert.equal(r.reused, false);
      assert.deepEqual(await readFile(r.path), BODY);
      assert.deepEqual(await readdir(join(dir, 'models')), ['tiny.gguf']);
      assert.equal(s.requests[0].headers.range, undefined);
    },
  );
  assert.ok(seen.length >= 2);
  const last = seen[seen.length - 1];
  assert.equal(last.receivedBytes, BODY.length);
  assert.equal(last.totalBytes, BODY.length);
  assert.ok(seen.every((p) => p.bytesPerSecond >= 0));
});

test('a second pull of a present file downloads nothing', async () => {
  const dir = await dataDir();
  await withServer(
    (req, res) => serveBytes(req, res, BODY),
    async (s) => {
      await pullModel(`${s.origin}/again.gguf`, { dataDir: dir });
      const r = await pullModel(`${s.origin}/again.gguf`, { dataDir: dir, sha256: SHA });
      assert.equal(r.reused, true);
      assert.equal(r.verified, 'sha256');
      assert.equal(s.requests.length, 1);
    },
  );
});

test('sha256 given as an option: a match verifies, a mismatch deletes the partial', async () => {
  const dir = await dataDir();
  await withServer(
    (req, res) => serveBytes(req, res, BODY),
    async (s) => {
      const ok = await pullModel(`${s.origin}/ok.gguf`, { dataDir: dir, sha256: `sha256:${SHA.toUpperCase()}` });
      assert.equal(ok.verified, 'sha256');
      const wrong = 'a'.repeat(64);
      await assert.rejects(
        pullModel(`${s.origin}/bad.gguf`, { dataDir: dir, sha256: wrong }),
        isQuarry('ValidationException', /bad\.gguf failed verification: expected sha256 a{64}, got [0-9a-f]{64}.*deleted/),
      );
      assert.deepEqual((await readdir(join(dir, 'models'))).sort(), ['ok.gguf']);
      await assert.rejects(pullModel(`${s.origin}/x.gguf`, { dataDir: dir, sha256: 'abc' }), isQuarry('ValidationException', /64 hex/));
    },
  );
});

test('hf: source follows the Hub redirect to a CDN and checks the sha256 stated in x-linked-etag', async () => {
  const dir = await dataDir();
  const prevToken = process.env.HF_TOKEN;
  process.env.HF_TOKEN = 'hf_secret';
  try {
    await withServer(
      (req, res) => serveBytes(req, res, BODY, { headers: { etag: '"cdn-tag"' } }),
      async (cdn) => {
        await withServer(
          (req, res) => {
            if (req.url === '/acme/tiny-GGUF/resolve/main/sub/tiny-q4.gguf') {
              res.writeHead(302, { location: `${cdn.origin}/blob/123?sig=x`, 'x-linked-etag': `"${SHA}"`, 'x-linked-size': String(BODY.length) });
              res.end();
            } else if (req.url === '/acme/tiny-GGUF/resolve/main/bad.gguf') {
              res.writeHead(302, { location: `${cdn.origin}/blob/456`, 'x-linked-etag': `"${'b'.repeat(64)}"` });
              res.end();
            } else {
              res.writeHead(404).end();
            }
          },
          async (hub) => {
            const r = await pullModel('hf:acme/tiny-GGUF/sub/tiny-q4.gguf', { dataDir: dir, hfEndpoint: hub.origin });
            assert.equal(r.name, 'tiny-q4.gguf');
            assert.equal(r.verified, 'sha256');
            assert.deepEqual(await readFile(r.path), BODY);
            // The token goes to the Hub only, never to the CDN it redirects to.
            assert.equal(hub.requests[0].headers.authorization, 'Bearer hf_secret');
            assert.equal(cdn.requests[0].headers.authorization, undefined);
            assert.equal(cdn.requests[0].url, '/blob/123?sig=x');

            await assert.rejects(
              pullModel('hf:acme/tiny-GGUF/bad.gguf', { dataDir: dir, hfEndpoint: hub.origin }),
              isQuarry('ValidationException', /expected sha256 b{64}.*corrupted in transit/),
            );
            assert.deepEqual(await readdir(join(dir, 'models')), ['tiny-q4.gguf']);
          },
        );
      },
    );
  } finally {
    if (prevToken === undefined) delete process.env.HF_TOKEN;
    else process.env.HF_TOKEN = prevToken;
  }
});

test('hf: source resolves against HF_ENDPOINT and a revision', async () => {
  const dir = await dataDir();
  const prev = process.env.HF_ENDPOINT;
  try {
    await withServer(
      (req, res) => (req.url?.startsWith('/mirror/o/r/resolve/v1.0/') ? serveBytes(req, res, BODY) : res.writeHead(404).end()),
      async (s) => {
        process.env.HF_ENDPOINT = `${s.origin}/mirror`;
        const r = await pullModel('hf:o/r@v1.0/m.gguf', { dataDir: dir });
        assert.equal(s.requests[0].url, '/mirror/o/r/resolve/v1.0/m.gguf');
        assert.equal(r.sizeBytes, BODY.length);
      },
    );
  } finally {
    if (prev === undefined) delete process.env.HF_ENDPOINT;
    else process.env.HF_ENDPOINT = prev;
  }
});

test('resumes by itself with a Range request after the connection is cut mid-body', async () => {
  const dir = await dataDir();
  await withServer(
    (req, res, count) => serveBytes(req, res, BODY, count === 1 ? { cutAfter: 100_000 } : {}),
    async (s) => {
      const r = await pullModel(`${s.origin}/cut.gguf`, { dataDir: dir, sha256: SHA });
      assert.equal(r.verified, 'sha256');
      assert.deepEqual(await readFile(r.path), BODY);
      assert.equal(s.requests.length, 2);
      const m = /^bytes=(\d+)-$/.exec(s.requests[1].headers.range ?? '');
      assert.ok(m, `second request should ask for a range, got ${s.requests[1].headers.range}`);
      assert.ok(Number(m[1]) > 0 && Number(m[1]) <= 100_000);
    },
  );
});

test('a pull that breaks off keeps its partial file, and the next pull resumes from it', async () => {
  const dir = await dataDir();
  const seen: PullProgress[] = [];
  await withServer(
    (req, res, count) => serveBytes(req, res, BODY, count === 1 ? { cutAfter: 150_000 } : {}),
    async (s) => {
      await assert.rejects(
        pullModel(`${s.origin}/later.gguf`, { dataDir: dir, retries: 0 }),
        (e: unknown) => {
          assert.ok(QuarryError.isInstance(e));
          assert.equal(e.code, 'ServiceUnavailableException');
          assert.equal(e.retryable, true);
          assert.match(e.message, /broke off after \d+ bytes.*later\.gguf\.partial is kept; run the same pull again to resume/);
          return true;
        },
      );
      const kept = (await stat(join(dir, 'models', 'later.gguf.partial'))).size;
      assert.ok(kept > 0 && kept <= 150_000);
      const r = await pullModel(`${s.origin}/later.gguf`, { dataDir: dir, sha256: SHA, onProgress: (p) => seen.push(p) });
      assert.deepEqual(await readFile(r.path), BODY);
      assert.equal(s.requests[1].headers.range, `bytes=${kept}-`);
      assert.equal(seen[0].receivedBytes, kept);
    },
  );
});

test('a server that ignores Range restarts the file cleanly from zero', async () => {
  const dir = await dataDir();
  await mkdir(join(dir, 'models'));
  // Garbage in the partial proves it was overwritten, not appended to.
  await writeFile(join(dir, 'models', 'norange.gguf.partial'), Buffer.alloc(50_000, 7));
  await withServer(
    (req, res) => serveBytes(req, res, BODY, { ignoreRange: true }),
    async (s) => {
      const r = await pullModel(`${s.origin}/norange.gguf`, { dataDir: dir });
      assert.equal(s.requests[0].headers.range, 'bytes=50000-');
      assert.deepEqual(await readFile(r.path), BODY);
      assert.equal(r.sha256, SHA);
    },
  );
});

test('416 on resume means the partial is complete: it is verified and renamed', async () => {
  const dir = await dataDir();
  await mkdir(join(dir, 'models'));
  await writeFile(join(dir, 'models', 'full.gguf.partial'), BODY);
  await withServer(
    (req, res) => serveBytes(req, res, BODY),
    async (s) => {
      const r = await pullModel(`${s.origin}/full.gguf`, { dataDir: dir, sha256: SHA });
      assert.equal(s.requests.length, 1);
      assert.equal(r.verified, 'sha256');
      assert.deepEqual(await readFile(r.path), BODY);
    },
  );
});

test('a partial longer than the file upstream is discarded and the file downloaded again', async () => {
  const dir = await dataDir();
  await mkdir(join(dir, 'models'));
  await writeFile(join(dir, 'models', 'shrunk.gguf.partial'), Buffer.alloc(BODY.length + 10, 1));
  await withServer(
    (req, res) => serveBytes(req, res, BODY),
    async (s) => {
      const r = await pullModel(`${s.origin}/shrunk.gguf`, { dataDir: dir });
      assert.equal(s.requests.length, 2);
      assert.equal(s.requests[1].headers.range, undefined);
      assert.deepEqual(await readFile(r.path), BODY);
    },
  );
});

test('follows a chain of redirects, relative ones included', async () => {
  const dir = await dataDir();
  await withServer(
    (req, res) => {
      if (req.url === '/a/start.gguf') res.writeHead(301, { location: '/b' }).end();
      else if (req.url === '/b') res.writeHead(307, { location: 'c/final' }).end();
      else if (req.url === '/c/final') serveBytes(req, res, BODY);
      else res.writeHead(404).end();
    },
    async (s) => {
      const r = await pullModel(`${s.origin}/a/start.gguf`, { dataDir: dir });
      assert.equal(r.name, 'start.gguf');
      assert.deepEqual(
        s.requests.map((q) => q.url),
        ['/a/start.gguf', '/b', '/c/final'],
      );
      assert.deepEqual(await readFile(r.path), BODY);
    },
  );
});

test('a 5xx is retried; a 404 fails at once with a clear error', async () => {
  const dir = await dataDir();
  await withServer(
    (req, res, count) => {
      if (req.url === '/flaky.gguf' && count === 1) res.writeHead(503).end();
      else if (req.url === '/flaky.gguf') serveBytes(req, res, BODY);
      else res.writeHead(404).end('Entry not found');
    },
    async (s) => {
      const r = await pullModel(`${s.origin}/flaky.gguf`, { dataDir: dir });
      assert.equal(r.sizeBytes, BODY.length);
      const before = s.requests.length;
      await assert.rejects(
        pullModel('hf:acme/nope/missing.gguf', { dataDir: dir, hfEndpoint: s.origin }),
        isQuarry('ResourceNotFoundException', /has no file acme\/nope\/missing\.gguf at revision main \(HTTP 404\)\. Check the owner/),
      );
      assert.equal(s.requests.length, before + 1);
    },
  );
});

test('401 from the Hub says to set HF_TOKEN', async () => {
  const dir = await dataDir();
  await withServer(
    (_req, res) => res.writeHead(401).end(),
    async (s) => {
      await assert.rejects(
        pullModel('hf:meta/gated/m.gguf', { dataDir: dir, hfEndpoint: s.origin }),
        isQuarry('AccessDeniedException', /Set HF_TOKEN/),
      );
    },
  );
});

test('an unreachable host fails quickly with advice to work offline', async () => {
  const dir = await dataDir();
  const port = await closedPort();
  const t0 = Date.now();
  await assert.rejects(
    pullModel('hf:Qwen/x/m.gguf', { dataDir: dir, hfEndpoint: `http://127.0.0.1:${port}` }),
    isQuarry(
      'ServiceUnavailableException',
      new RegExp(`Could not reach 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)\\. .*place a \\.gguf file in .*models.*or set HF_ENDPOINT`),
    ),
  );
  assert.ok(Date.now() - t0 < 2_000, 'no retries against a host that is not there');
  await assert.rejects(pullModel(`http://127.0.0.1:${port}/m.gguf`, { dataDir: dir }), isQuarry('ServiceUnavailableException', /Check the URL/));
});

test('cancelling keeps the partial file', async () => {
  const dir = await dataDir();
  const partial = join(dir, 'models', 'stall.gguf.partial');
  const ac = new AbortController();
  await withServer(
    (_req, res) => {
      // Send a first part, then stall so the abort lands mid-body.
      res.writeHead(200, { 'content-length': String(BODY.length) });
      res.write(BODY.subarray(0, 64_000));
    },
    async (s) => {
      const p = pullModel(`${s.origin}/stall.gguf`, { dataDir: dir, signal: ac.signal, idleTimeoutMs: 10_000 });
      const deadline = Date.now() + 5_000;
      while (((await stat(partial).catch(() => undefined))?.size ?? 0) < 64_000 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
      }
      ac.abort();
      await assert.rejects(p, isQuarry('ModelTimeoutException', /cancelled; .*stall\.gguf\.partial is kept/));
      assert.equal((await stat(partial)).size, 64_000);
    },
  );
});

test('two pulls of one file at once: the second is refused', async () => {
  const dir = await dataDir();
  await withServer(
    (req, res) => setTimeout(() => serveBytes(req, res, BODY), 50),
    async (s) => {
      const first = pullModel(`${s.origin}/twice.gguf`, { dataDir: dir });
      await assert.rejects(pullModel(`${s.origin}/twice.gguf`, { dataDir: dir }), isQuarry('ConflictException', /already being pulled/));
      assert.equal((await first).sizeBytes, BODY.length);
    },
  );
});

test('names that would escape the models folder are refused before any request', async () => {
  const dir = await dataDir();
  await withServer(
    (req, res) => serveBytes(req, res, BODY),
    async (s) => {
      for (const fileName of ['../evil.gguf', '..', '.hidden', 'a/b.gguf', 'a\\b.gguf', 'x.gguf.partial']) {
        await assert.rejects(pullModel(`${s.origin}/ok.gguf`, { dataDir: dir, fileName }), isQuarry('ValidationException'), fileName);
      }
      // An encoded slash in a URL decodes into a separator: still refused.
      await assert.rejects(pullModel(`${s.origin}/..%2F..%2Fevil.gguf`, { dataDir: dir }), isQuarry('ValidationException', /path separator/));
      assert.equal(s.requests.length, 0);
    },
  );
});
