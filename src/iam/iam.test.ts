import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { openTestKeyring } from '../../test/iam/test-keyring.js';
import { secretMigrations } from '../secrets/index.js';
import { migrate, openStore, type Store } from '../store/index.js';
import { authenticate } from './authenticate.js';
import { bootstrapCredentials } from './bootstrap.js';
import { hashKey, KeyStore } from './key-store.js';
import { iamMigrations } from './tables.js';

let dir: string;
let store: Store;
let keys: KeyStore;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'quarry-iam-'));
  store = await openStore({ dataDir: dir });
  await migrate(store.db, iamMigrations, secretMigrations);
  keys = new KeyStore(store.db, await openTestKeyring(store.db, dir));
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('first start generates credentials into a 0600 file; keys are stored hashed or sealed', async () => {
  const r = await bootstrapCredentials(keys, dir, {});
  assert.ok(r.generated);
  const file = r.generated.file;
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, 'master.key')).mode & 0o777, 0o600);
  assert.equal(JSON.parse(readFileSync(file, 'utf8')).apiKey, r.generated.apiKey);
  const rows = await store.db.withTables<{ api_keys: { lookup: string; secret_sealed: string | null } }>().selectFrom('api_keys').selectAll().execute();
  assert.ok(rows.some((k) => k.lookup === hashKey(r.generated!.apiKey)));
  assert.ok(!JSON.stringify(rows).includes(r.generated.apiKey), 'the bearer key itself is not stored');
  assert.ok(!JSON.stringify(rows).includes(r.generated.secretAccessKey), 'the SigV4 secret is not stored in the clear');
  assert.ok(rows.some((k) => k.secret_sealed?.startsWith('qse1.')), 'the SigV4 secret is sealed as a keyring envelope');
  // A second start does not generate again.
  assert.equal((await bootstrapCredentials(keys, dir, {})).generated, undefined);
});

async function signed(secret: string, akid: string, date = new Date(), region = 'us-east-1') {
  const signer = new SignatureV4({ credentials: { accessKeyId: akid, secretAccessKey: secret }, region, service: 'bedrock', sha256: Hash.bind(null, 'sha256') });
  const body = '{"messages":[]}';
  const req = new HttpRequest({ method: 'POST', hostname: 'localhost', port: 4100, path: '/model/a%3Ab/converse', headers: { host: 'localhost:4100', 'content-type': 'application/json' }, body });
  const s = await signer.sign(req, { signingDate: date });
  const view = { method: 'POST', path: '/model/a%3Ab/converse', query: new URLSearchParams(), headers: s.headers as Record<string, string>, body: new TextEncoder().encode(body) };
  return { view, header: (n: string) => view.headers[n], signedView: async () => view };
}

test('SigV4: a valid signature passes; a wrong secret, a tampered body and a skewed clock fail', async () => {
  const admin = await keys.ensurePrincipal('admin', true);
  const k = await keys.addAccessKey(admin);
  const ok = await authenticate(keys, await signed(k.secretAccessKey, k.accessKeyId));
  assert.equal(ok.authMethod, 'sigv4');
  await assert.rejects(authenticate(keys, await signed('nope', k.accessKeyId)), /signature/);
  const tampered = await signed(k.secretAccessKey, k.accessKeyId);
  tampered.view.body = new TextEncoder().encode('{"messages":[1]}');
  await assert.rejects(authenticate(keys, tampered), /signature/);
  await assert.rejects(authenticate(keys, await signed(k.secretAccessKey, k.accessKeyId, new Date(Date.now() - 20 * 60_000))), /15 minutes/);
  await assert.rejects(authenticate(keys, await signed(k.secretAccessKey, 'QKUNKNOWN')), /invalid/);
});

test('SigV4: a wrong secret is InvalidSignatureException, an unknown access key UnrecognizedClientException', async () => {
  const admin = await keys.ensurePrincipal('admin', true);
  const k = await keys.addAccessKey(admin);
  await assert.rejects(authenticate(keys, await signed('nope', k.accessKeyId)), { code: 'InvalidSignatureException', status: 403 });
  await assert.rejects(authenticate(keys, await signed(k.secretAccessKey, 'QKUNKNOWN')), {
    code: 'UnrecognizedClientException',
    status: 403,
    message: 'The security token included in the request is invalid.',
  });
});

test("SigV4: the credential scope must name the server's region (the KeyStore's, us-east-1 unless configured)", async () => {
  const admin = await keys.ensurePrincipal('admin', true);
  const k = await keys.addAccessKey(admin);
  assert.equal(keys.region, 'us-east-1');
  await assert.rejects(authenticate(keys, await signed(k.secretAccessKey, k.accessKeyId, new Date(), 'eu-west-1')), {
    code: 'InvalidSignatureException',
    message: 'Credential should be scoped to a valid region. ',
  });
  const eu = new KeyStore(store.db, await openTestKeyring(store.db, dir), { region: 'eu-west-1' });
  assert.equal((await authenticate(eu, await signed(k.secretAccessKey, k.accessKeyId, new Date(), 'eu-west-1'))).keyId, k.keyId);
  await assert.rejects(authenticate(eu, await signed(k.secretAccessKey, k.accessKeyId)), { code: 'InvalidSignatureException', message: /valid region/ });
});

test('bearer and x-api-key; missing and unknown keys are refused', async () => {
  const admin = await keys.ensurePrincipal('admin', true);
  const { apiKey } = await keys.addBearerKey(admin);
  const req = (headers: Record<string, string>) => ({
    header: (n: string) => headers[n],
    signedView: async () => assert.fail('bearer authentication must not read the whole request'),
  });
  assert.equal((await authenticate(keys, req({ authorization: `Bearer ${apiKey}` }))).authMethod, 'bearer');
  assert.equal((await authenticate(keys, req({ 'x-api-key': apiKey }))).authMethod, 'bearer');
  await assert.rejects(authenticate(keys, req({})), /Missing credentials/);
  await assert.rejects(authenticate(keys, req({ authorization: 'Bearer qk-wrong' })), /not valid/);
});
