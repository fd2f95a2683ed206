import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, mock, test } from 'node:test';
import { promisify } from 'node:util';
import { parseLimit, quotaCommand } from '../../src/cli/quota-command.js';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';
import { chat, MODEL, newKey } from './quota-test-kit.js';

/** `quarry quotas`: in-process through the command's module, and once through bin/quarry.js to cover main.ts. */

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.stop());

async function quotas(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = mock.method(console, 'log', (...a: unknown[]) => lines.push(a.join(' ')));
  try {
    const code = await quotaCommand([...args, '--url', server.url, '--api-key', TEST_API_KEY]);
    return { code, out: lines.join('\n') };
  } finally {
    log.mock.restore();
  }
}

test('limits on the command line', () => {
  assert.equal(parseLimit(undefined, 'rpm'), undefined);
  assert.equal(parseLimit('none', 'rpm'), null);
  assert.equal(parseLimit('60', 'rpm'), 60);
  for (const bad of ['0', '-1', '1.5', 'ten', '', '99999999999']) assert.throws(() => parseLimit(bad, 'rpm'), /--rpm takes a whole number/, bad);
});

test('set, ls, show and rm, and the limit applies to the key', async () => {
  const key = await newKey(server);
  assert.match((await quotas(['set', '--key', key.keyId, '--model', MODEL, '--rpm', '2', '--tpm', 'none'])).out, new RegExp(`set ${key.keyId}, ${MODEL.replace('.', '\\.')}: rpm 2 {2}tpm none {2}concurrency inherit`));
  assert.match((await quotas(['ls'])).out, new RegExp(`${key.keyId}, ${MODEL.replace('.', '\\.')}: rpm 2`));
  const shown = (await quotas(['show', '--key', key.keyId, '--model', MODEL])).out;
  assert.match(shown, /rpm 2 {2}tpm none {2}concurrency none/);
  assert.match(shown, /from override for key k-\S+ on model scripted\.echo-v1:0/);

  assert.equal((await chat(server, key.apiKey)).status, 200);
  assert.equal((await chat(server, key.apiKey)).status, 200);
  assert.equal((await chat(server, key.apiKey)).status, 429);

  assert.match((await quotas(['rm', '--key', key.keyId, '--model', MODEL])).out, /removed/);
  assert.equal((await chat(server, key.apiKey)).status, 200, 'no limit once the override is gone');
  await assert.rejects(quotas(['set', '--key', key.keyId]), /at least one of --rpm/);
  await assert.rejects(quotas(['rm', '--key', key.keyId, '--model', MODEL]), /No quota override/);
});

test('bin/quarry.js quotas: errors name the command and exit 1', async () => {
  const run = promisify(execFile);
  const env = { ...process.env, QUARRY_URL: server.url, QUARRY_API_KEY: TEST_API_KEY };
  const BIN = join(import.meta.dirname, '..', '..', 'bin', 'quarry.js');
  const ok = await run(process.execPath, [BIN, 'quotas', 'show'], { env });
  assert.match(ok.stdout, /every key, every model/);
  await assert.rejects(run(process.execPath, [BIN, 'quotas', 'set', '--rpm', '0'], { env }), (e: { code: number; stderr: string }) => {
    assert.equal(e.code, 1);
    assert.match(e.stderr, /quarry quotas: --rpm takes a whole number/);
    return true;
  });
});

test('--account sets, shows and removes the account’s shared allowance', async () => {
  assert.match((await quotas(['set', '--account', '--model', MODEL, '--tpm', '5000000'])).out, /set the account \(all keys together\), scripted\.echo-v1:0: rpm inherit {2}tpm 5000000/);
  assert.match((await quotas(['ls'])).out, /the account \(all keys together\), scripted\.echo-v1:0: rpm inherit {2}tpm 5000000/);
  assert.match((await quotas(['show', '--account', '--model', MODEL])).out, /from override for the account on model scripted\.echo-v1:0/);
  assert.match((await quotas(['rm', '--account', '--model', MODEL])).out, /removed the override for the account/);
  await assert.rejects(quotas(['show', '--account', '--key', 'k-1']), /--key or --account, not both/);
});
