import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DEFAULT_TEXT_MODEL, ensureDefaultModel } from './default-model.js';
import { parseModelSource } from './model-source.js';
import { closedPort, serveBytes, startServer } from './test-file-server.js';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'quarry-default-'));
});
after(() => rm(root, { recursive: true, force: true }));

test('the default is a small instruct GGUF on the Hub', () => {
  const s = parseModelSource(DEFAULT_TEXT_MODEL, { hfEndpoint: 'https://huggingface.co' });
  assert.equal(s.kind, 'hf');
  assert.match(s.fileName, /\.gguf$/);
  assert.match(s.url.pathname, /^\/Qwen\/Qwen2\.5-0\.5B-Instruct-GGUF\/resolve\/main\//);
});

test('pulls the default model from the configured endpoint', async () => {
  const body = randomBytes(10_000);
  const s = await startServer((req, res) => serveBytes(req, res, body));
  try {
    const dataDir = join(root, 'online');
    const r = await ensureDefaultModel({ dataDir, hfEndpoint: s.origin });
    assert.ok(r.ok, r.ok ? '' : r.reason);
    assert.equal(r.pulled, true);
    assert.deepEqual(await readFile(r.path), body);
    assert.equal(s.requests[0].url, parseModelSource(DEFAULT_TEXT_MODEL, { hfEndpoint: s.origin }).url.pathname);
    // Present now: no second request.
    const again = await ensureDefaultModel({ dataDir, hfEndpoint: s.origin });
    assert.deepEqual(again, { ok: true, path: r.path, pulled: false });
    assert.equal(s.requests.length, 1);
  } finally {
    await s.close();
  }
});

test('offline: returns a reason at once instead of throwing', async () => {
  const port = await closedPort();
  const t0 = Date.now();
  const r = await ensureDefaultModel({ dataDir: join(root, 'offline'), hfEndpoint: `http://127.0.0.1:${port}` });
  assert.equal(r.ok, false);
  assert.ok(!r.ok);
  assert.match(r.reason, /Could not reach .*place a \.gguf file in .*HF_ENDPOINT/);
  assert.equal(r.error?.code, 'ServiceUnavailableException');
  assert.ok(Date.now() - t0 < 2_000);
});

test('HF_HUB_OFFLINE=1 skips the network entirely', async () => {
  const prev = process.env.HF_HUB_OFFLINE;
  process.env.HF_HUB_OFFLINE = '1';
  const s = await startServer((_req, res) => res.writeHead(500).end());
  try {
    const r = await ensureDefaultModel({ dataDir: join(root, 'hub-offline'), hfEndpoint: s.origin });
    assert.ok(!r.ok);
    assert.match(r.reason, /HF_HUB_OFFLINE/);
    assert.equal(s.requests.length, 0);
  } finally {
    if (prev === undefined) delete process.env.HF_HUB_OFFLINE;
    else process.env.HF_HUB_OFFLINE = prev;
    await s.close();
  }
});

test('an existing default file is returned without any request', async () => {
  const dataDir = join(root, 'present');
  const name = parseModelSource(DEFAULT_TEXT_MODEL, { hfEndpoint: 'http://x.invalid' }).fileName;
  await mkdir(join(dataDir, 'models'), { recursive: true });
  await writeFile(join(dataDir, 'models', name), 'gguf');
  const r = await ensureDefaultModel({ dataDir, hfEndpoint: 'http://127.0.0.1:1' });
  assert.deepEqual(r, { ok: true, path: join(dataDir, 'models', name), pulled: false });
});
