import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { type TestServer, TEST_API_KEY, startTestServer } from '../support/start-test-server.js';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'quarry.js');
let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.stop());

const quarry = (...args: string[]) => run(process.execPath, [BIN, 'pricing', ...args], { env: { ...process.env, QUARRY_URL: server.url, QUARRY_API_KEY: TEST_API_KEY } });

test('quarry pricing ls, set (only the fields given change), show, break-even, rm', async () => {
  const ls = await quarry('ls', '--model', 'amazon.titan-text-express-v1');
  assert.match(ls.stdout, /amazon\.titan-text-express-v1\s+\*\s+\$0\.0002\s+\$0\.0006\s.*\$18\.4\/h\s+default/);

  await quarry('set', 'amazon.titan-text-express-v1', '--unit-input-tpm', '50000', '--unit-output-tpm', '10000', '--source', 'our quote');
  const shown = JSON.parse((await quarry('show', 'amazon.titan-text-express-v1', '--json')).stdout) as { entry: Record<string, unknown> };
  assert.equal(shown.entry.origin, 'custom');
  assert.equal(shown.entry.inputPer1k, 0.0002, 'kept from the built-in entry');
  assert.deepEqual(shown.entry.provisioned, { noCommitmentPerHour: 20.5, oneMonthPerHour: 18.4, sixMonthPerHour: 14.8, unitInputTokensPerMinute: 50000, unitOutputTokensPerMinute: 10000 });

  const be = await quarry('break-even', '--model', 'amazon.titan-text-express-v1', '--tpm', '400000', '--output-tpm', '80000');
  assert.match(be.stdout, /on demand: \$/);
  assert.match(be.stdout, /provisioned: 16 model unit/);
  assert.match(be.stdout, /6-month/);
  assert.match(be.stdout, /cheapest: /);

  await quarry('rm', 'amazon.titan-text-express-v1');
  const back = JSON.parse((await quarry('show', 'amazon.titan-text-express-v1', '--json')).stdout) as { entry: { origin: string } };
  assert.equal(back.entry.origin, 'default');
  await assert.rejects(quarry('set', 'x', '--input', 'lots'), /not a non-negative number/);
  await assert.rejects(quarry('break-even', '--model', 'gpt-4o', '--tpm', '10'), /no provisioned-throughput prices/);
});

test("quarry pricing show prints what a model is billed at: quarry.yaml's prices for it, not a missing catalog entry", async () => {
  // scripted.echo-v1:0 is priced on the model itself (as `pricing:` under models in quarry.yaml), in no catalog entry.
  const shown = JSON.parse((await quarry('show', 'scripted.echo-v1:0', '--json')).stdout) as { entry: Record<string, unknown> };
  assert.equal(shown.entry.origin, 'configuration');
  assert.equal(shown.entry.inputPer1k, 0.001);
  assert.equal(shown.entry.outputPer1k, 0.002);
  await assert.rejects(quarry('show', 'nope.model-v1'), /no entry for nope\.model-v1/);
});
