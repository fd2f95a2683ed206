import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { type IamTables, iamMigrations } from '../../src/iam/index.js';
import type { SecretTables } from '../../src/secrets/index.js';
import { migrate, openStore } from '../../src/store/index.js';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'quarry.js');
const MODEL = 'scripted.echo-v1:0';
const LEGACY_AKID = 'QKLEGACYACCESSKEY001';
const LEGACY_SECRET = 'legacy-secret-0123456789abcdefghijklmnop';

const dir = mkdtempSync(join(tmpdir(), 'quarry-secrets-at-rest-'));
const servers: TestServer[] = [];
after(async () => {
  for (const s of servers) await s.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The format SecretBox wrote before the keyring existed: `v1.<iv>.<tag>.<ciphertext>`, AES-256-GCM under the master key, no AAD. */
function sealAsV1(masterKey: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', masterKey, iv);
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return ['v1', iv.toString('base64'), c.getAuthTag().toString('base64'), body.toString('base64')].join('.');
}

/** A data dir as an earlier Quarry left it: its generated master.key and a SigV4 key sealed in the v1 format. */
async function writeLegacyDataDir(): Promise<void> {
  const master = randomBytes(32);
  writeFileSync(join(dir, 'master.key'), master.toString('base64'), { mode: 0o600 });
  const store = await openStore({ dataDir: dir });
  try {
    await migrate(store.db, iamMigrations);
    const db = store.db.withTables<IamTables>();
    const at = '2026-01-01T00:00:00.000Z';
    await db.insertInto('principals').values({ id: 'p-legacy', name: 'legacy', is_admin: 1, created_at: at, account_id: null }).execute();
    await db
      .insertInto('api_keys')
      .values({ id: 'k-legacy', principal: 'p-legacy', kind: 'sigv4', lookup: LEGACY_AKID, secret_sealed: sealAsV1(master, LEGACY_SECRET), hint: 'QKLEGA', created_at: at, last_used_at: null, disabled: 0, name: null, description: null, expires_at: null, replaced_by: null })
      .execute();
  } finally {
    await store.close();
  }
}

// A rotation normally waits for other replicas to notice the new key; there are none here. `store: {}` keeps the
// embedded SQLite store in scale-out mode too: the upgrade under test is of a data dir's own database.
const start = async (env?: NodeJS.ProcessEnv) => {
  const s = await startTestServer('store: {}\n', { dataDir: dir, keyring: { refreshMs: 0, rotation: { settleMs: 0 } }, ...(env ? { env } : {}) });
  servers.push(s);
  return s;
};

async function converse(server: TestServer, accessKeyId: string, secretAccessKey: string): Promise<string> {
  const sdk = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: server.url, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
  try {
    const out = await sdk.send(new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'hello' }] }] }));
    return out.output?.message?.content?.[0]?.text ?? '';
  } finally {
    sdk.destroy();
  }
}

const quarry = (server: TestServer, ...args: string[]) =>
  run(process.execPath, [BIN, 'secrets', ...args], { env: { ...process.env, QUARRY_URL: server.url, QUARRY_API_KEY: TEST_API_KEY } });

const sealedSecrets = async (server: TestServer) =>
  server.store.db.withTables<IamTables>().selectFrom('api_keys').select(['id', 'secret_sealed']).where('kind', '=', 'sigv4').execute();

test('secrets at rest: an old data dir upgrades, keys still sign after a keyring rotation, a wrong master key refuses to start', async () => {
  await writeLegacyDataDir();

  // Upgrade: the v1 row is re-sealed as an envelope at start and the key it holds still signs.
  const first = await start();
  const legacyRow = (await sealedSecrets(first)).find((r) => r.id === 'k-legacy');
  assert.match(legacyRow?.secret_sealed ?? '', /^qse1\./);
  assert.ok(!legacyRow?.secret_sealed?.includes(LEGACY_SECRET));
  assert.ok(await converse(first, LEGACY_AKID, LEGACY_SECRET));

  const admin = await first.keys.ensurePrincipal('admin', true);
  const before = await first.keys.addAccessKey(admin);
  assert.ok(await converse(first, before.accessKeyId, before.secretAccessKey));

  const status = JSON.parse((await quarry(first, 'status', '--json')).stdout) as { activeKeyId: string; rotating: boolean; keys: { keyId: string; records: number }[] };
  const oldKeyId = status.activeKeyId;
  assert.equal(status.rotating, false);
  assert.equal(status.keys.find((k) => k.keyId === oldKeyId)?.records, 3, 'the legacy key, the bootstrap key and the new one');

  const report = JSON.parse((await quarry(first, 'rotate', '--json')).stdout) as { previousKeyId: string; activeKeyId: string; retired: boolean; rewrapped: Record<string, number> };
  assert.equal(report.previousKeyId, oldKeyId);
  assert.notEqual(report.activeKeyId, oldKeyId);
  assert.equal(report.retired, true);
  assert.equal(report.rewrapped['api_keys.secret_sealed'], 3);

  // The old key's material is gone and nothing is sealed under it any more.
  const retired = await first.store.db.withTables<SecretTables>().selectFrom('secret_keys').selectAll().where('id', '=', oldKeyId).executeTakeFirstOrThrow();
  assert.equal(retired.state, 'retired');
  assert.equal(retired.wrapped, '');
  for (const r of await sealedSecrets(first)) assert.ok(r.secret_sealed?.startsWith(`qse1.${report.activeKeyId}.`), `${r.id} is sealed under the new key`);
  const text = (await quarry(first, 'status')).stdout;
  assert.match(text, new RegExp(`${oldKeyId}\\s+retired\\s+0`));
  assert.match(text, new RegExp(`${report.activeKeyId}\\s+active\\s+3`));

  // Re-read from the store, not from the authentication cache: the re-wrapped rows open with the new key alone.
  first.keys.forgetPrincipal(admin);
  first.keys.forgetPrincipal('p-legacy');
  assert.ok(await converse(first, before.accessKeyId, before.secretAccessKey));
  assert.ok(await converse(first, LEGACY_AKID, LEGACY_SECRET));
  await servers.pop()!.stop();

  const second = await start();
  assert.ok(await converse(second, before.accessKeyId, before.secretAccessKey), 'a key created before rotation signs after a restart');
  await servers.pop()!.stop();

  await assert.rejects(start({ QUARRY_MASTER_KEY: randomBytes(32).toString('base64') }), (e: Error) => {
    assert.equal(e.name, 'KeyringStartupError');
    assert.match(e.message, /wrapped with master key mk-[0-9a-f]+, but QUARRY_MASTER_KEY holds mk-[0-9a-f]+\. Start with the master key this store was created with/);
    return true;
  });
});

test('the keyring routes: validated bodies and Bedrock-shaped errors', async () => {
  const server = await startTestServer();
  servers.push(server);
  const post = (body: string, key = TEST_API_KEY) =>
    fetch(`${server.url}/quarry/secrets/keyring/rotate`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
  const bad = await post('{"batchSize":0}');
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { message: string }).message, /batchSize/);
  const unknown = await post('{"settle":1}');
  assert.equal(unknown.status, 400);
  const anonymous = await fetch(`${server.url}/quarry/secrets/keyring`);
  assert.ok(anonymous.status === 401 || anonymous.status === 403, `anonymous: ${anonymous.status}`);
  assert.ok(((await anonymous.json()) as { message?: string }).message);

  // The keyring seals every account's secrets: even another account's administrator may not see or rotate it.
  await server.iam.ensureAccount('111111111111', 'other');
  const otherAdmin = await server.keys.ensurePrincipal('ops', true, '111111111111');
  const { apiKey } = await server.keys.addBearerKey(otherAdmin);
  const denied = await post('{}', apiKey);
  assert.equal(denied.status, 403);
  assert.equal(denied.headers.get('x-amzn-errortype')?.split(':')[0], 'AccessDeniedException');
  assert.match(((await denied.json()) as { message: string }).message, /only principals of the default account/);
});
