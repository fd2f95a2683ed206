import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { type TestServer, TEST_API_KEY, startTestServer } from './support/start-test-server.js';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', 'bin', 'quarry.js');
let server: TestServer;
let dir: string;
before(async () => {
  server = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), 'quarry-cli-'));
});
after(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ ...process.env, QUARRY_URL: server.url, QUARRY_API_KEY: TEST_API_KEY });

test('quarry invoke streams the reply to stdout', async () => {
  const { stdout } = await run(process.execPath, [BIN, 'invoke', 'scripted.echo-v1:0', 'hello', 'cli'], { env: env() });
  assert.equal(stdout, 'You said: hello cli\n');
});

test('quarry chat keeps the conversation and ends on an empty line', async () => {
  const child = execFile(process.execPath, [BIN, 'chat', 'scripted.echo-v1:0'], { env: env() });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stdin!.write('first line\n');
  await new Promise((r) => setTimeout(r, 1500));
  child.stdin!.write('second\n\n');
  const code = await new Promise((r) => child.on('exit', r));
  assert.equal(code, 0);
  assert.match(out, /You said: first line/);
  assert.match(out, /You said: second/);
});

test("quarry chat drops the oldest turn when the conversation outgrows the model's context, and goes on", async () => {
  // scripted.echo has a 4,096-token context and echoes the prompt: a 2,500-word first turn fits, the second does not.
  const child = execFile(process.execPath, [BIN, 'chat', 'scripted.echo-v1:0', '--max-tokens', '3000'], { env: env() });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stdin!.write(`${'word '.repeat(2500).trim()}\n`);
  for (let i = 0; i < 100 && (out.match(/> /g) ?? []).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
  child.stdin!.write('short question\n\n');
  const code = await new Promise((r) => child.on('exit', r));
  assert.equal(code, 0);
  assert.match(out, /\[the oldest turn was dropped to fit the model's context\] You said: short question/);
  assert.doesNotMatch(out, /\[error\]/);
});

test('quarry invoke with an unknown model says so and exits non-zero', async () => {
  await assert.rejects(run(process.execPath, [BIN, 'invoke', 'nope.model', 'hi'], { env: env() }), (e: { code: number; stderr: string }) => {
    assert.equal(e.code, 1);
    assert.match(e.stderr, /nope\.model/);
    return true;
  });
});

test('quarry models pull downloads with a sha256 check, list shows it, rm removes it', async () => {
  const payload = Buffer.from('GGUF not really a model, but bytes to download');
  const sha = createHash('sha256').update(payload).digest('hex');
  const http = createServer((_req, res) => res.end(payload));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/tiny.gguf`;
  try {
    const pulled = await run(process.execPath, [BIN, 'models', 'pull', url, '--sha256', sha, '--data-dir', dir], { env: env() });
    assert.match(pulled.stdout, /Pulled: .*tiny\.gguf/);
    assert.deepEqual(readFileSync(join(dir, 'models', 'tiny.gguf')), payload);
    await assert.rejects(run(process.execPath, [BIN, 'models', 'pull', url.replace('tiny', 'other'), '--sha256', '0'.repeat(64), '--data-dir', dir], { env: env() }));
    const rm = await run(process.execPath, [BIN, 'models', 'rm', 'tiny.gguf', '--data-dir', dir], { env: env() });
    assert.match(rm.stdout, /Removed/);
  } finally {
    http.close();
  }
});

test('quarry models pull ollama:<name> asks the configured Ollama to pull, with progress', async () => {
  let asked = '';
  const ollama = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      asked = `${req.method} ${req.url} ${body}`;
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write(`${JSON.stringify({ status: 'pulling manifest' })}\n`);
      res.write(`${JSON.stringify({ status: 'downloading', digest: 'sha256:ab', total: 100, completed: 50 })}\n`);
      res.end(`${JSON.stringify({ status: 'success' })}\n`);
    });
  });
  await new Promise<void>((r) => ollama.listen(0, '127.0.0.1', r));
  const config = join(dir, 'ollama.yaml');
  writeFileSync(config, `ollama:\n  baseUrl: http://127.0.0.1:${(ollama.address() as AddressInfo).port}\n`);
  try {
    const { stdout } = await run(process.execPath, [BIN, 'models', 'pull', 'ollama:llama3.2:1b', '--config', config, '--data-dir', dir], { env: env() });
    assert.match(stdout, /Pulled ollama:llama3\.2:1b/);
    assert.match(asked, /^POST \/api\/pull .*"(name|model)":"llama3\.2:1b"/);
  } finally {
    ollama.close();
  }
});

test('quarry models --help prints the full usage and exits 0; an unknown option points to it', async () => {
  for (const args of [['models', '--help'], ['models', '-h'], ['models', 'help'], ['models', 'pull', '--help']]) {
    const { stdout } = await run(process.execPath, [BIN, ...args], { env: env() });
    for (const part of [/quarry models list/, /quarry models pull/, /quarry models rm/, /--sha256 HEX/, /--data-dir DIR/, /--config FILE/]) assert.match(stdout, part, args.join(' '));
  }
  await assert.rejects(run(process.execPath, [BIN, 'models', 'list', '--bogus'], { env: env() }), (e: { code: number; stderr: string }) => {
    assert.equal(e.code, 1);
    assert.match(e.stderr, /Unknown option '--bogus'/);
    assert.match(e.stderr, /quarry models --help/);
    return true;
  });
});
