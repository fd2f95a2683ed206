import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { TEST_API_KEY, type TestServer, startTestServer } from '../support/start-test-server.js';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'quarry.js');
let server: TestServer;
let dir: string;

before(async () => {
  server = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), 'quarry-guardrail-cli-'));
});
after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const quarry = async (...args: string[]) => (await run(process.execPath, [BIN, 'guardrail', ...args], { env: { ...process.env, QUARRY_URL: server.url, QUARRY_API_KEY: TEST_API_KEY } })).stdout;

test('quarry guardrail: create from a JSON file, version, apply by name, update, list, get, rm', async () => {
  const body = {
    name: 'cli-guard',
    blockedInputMessaging: 'Blocked by policy.',
    blockedOutputsMessaging: 'Withheld.',
    sensitiveInformationPolicyConfig: { piiEntitiesConfig: [{ type: 'EMAIL', action: 'ANONYMIZE' }] },
  };
  writeFileSync(join(dir, 'g.json'), JSON.stringify(body));
  const created = await quarry('create', join(dir, 'g.json'));
  const id = created.split(/\s+/)[0]!;
  assert.match(id, /^[a-z0-9]{12}$/);
  assert.match(await quarry('version', 'cli-guard', '--description', 'first'), /version 1/);

  const masked = await quarry('apply', 'cli-guard', '--version', '1', 'mail', 'me@example.com');
  assert.match(masked, /^GUARDRAIL_INTERVENED/);
  assert.match(masked, /mail \{EMAIL\}/);

  writeFileSync(join(dir, 'g2.json'), JSON.stringify({ ...body, wordPolicyConfig: { wordsConfig: [{ text: 'pineapple' }] } }));
  await quarry('update', id, join(dir, 'g2.json'));
  const blocked = JSON.parse(await quarry('apply', id, '--json', 'I', 'want', 'pineapple')) as { action: string; outputs: { text: string }[] };
  assert.equal(blocked.action, 'GUARDRAIL_INTERVENED');
  assert.deepEqual(blocked.outputs, [{ text: 'Blocked by policy.' }]);

  const versions = await quarry('ls', 'cli-guard');
  assert.match(versions, /DRAFT[\s\S]*\b1\b.*first/);
  const v1 = JSON.parse(await quarry('get', id, '--version', '1')) as { wordPolicy?: unknown; version: string };
  assert.equal(v1.version, '1');
  assert.equal(v1.wordPolicy, undefined);

  await assert.rejects(quarry('create', join(dir, 'missing.json')), (e: { code: number; stderr: string }) => e.code === 1 && /cannot read/.test(e.stderr));
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...body, name: 'other', sensitiveInformationPolicyConfig: { piiEntitiesConfig: [{ type: 'SHOE_SIZE', action: 'BLOCK' }] } }));
  await assert.rejects(quarry('create', join(dir, 'bad.json')), (e: { code: number; stderr: string }) => e.code === 1 && /SHOE_SIZE/.test(e.stderr));

  assert.match(await quarry('rm', 'cli-guard'), new RegExp(`deleted ${id}`));
  assert.match(await quarry('ls'), /No guardrails yet/);
});
