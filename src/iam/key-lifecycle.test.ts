import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { DIALECTS } from '../../test/iam/dialects.js';
import { openTestKeyring } from '../../test/iam/test-keyring.js';
import { secretMigrations } from '../secrets/index.js';
import { migrate, type Store } from '../store/index.js';
import { authenticate } from './authenticate.js';
import { IamStore } from './iam-store.js';
import { KeyStore } from './key-store.js';
import { iamMigrations } from './tables.js';

const ACCOUNT = '000000000000';
const DAY = 24 * 3600_000;

const bearer = (apiKey: string) => ({
  header: (n: string) => (n === 'authorization' ? `Bearer ${apiKey}` : undefined),
  signedView: async () => assert.fail('bearer authentication reads no body'),
});

async function sigv4(akid: string, secret: string) {
  const signer = new SignatureV4({ credentials: { accessKeyId: akid, secretAccessKey: secret }, region: 'us-east-1', service: 'bedrock', sha256: Hash.bind(null, 'sha256') });
  const body = '{}';
  const req = new HttpRequest({ method: 'POST', hostname: 'localhost', path: '/model/m/converse', headers: { host: 'localhost', 'content-type': 'application/json' }, body });
  const s = await signer.sign(req);
  const view = { method: 'POST', path: '/model/m/converse', query: new URLSearchParams(), headers: s.headers as Record<string, string>, body: new TextEncoder().encode(body) };
  return { header: (n: string) => view.headers[n], signedView: async () => view };
}

for (const d of DIALECTS) {
  describe(`API key lifecycle on ${d.name}`, { skip: d.skip }, () => {
    const dir = mkdtempSync(join(tmpdir(), `quarry-keys-${d.name}-`));
    let store: Store;
    let cleanup: () => Promise<void>;
    let keys: KeyStore;
    let iam: IamStore;
    let clock = Date.now();

    before(async () => {
      ({ store, cleanup } = await d.open(dir));
      await migrate(store.db, iamMigrations, secretMigrations);
      keys = new KeyStore(store.db, await openTestKeyring(store.db, dir), { defaultAccountId: ACCOUNT, now: () => clock });
      iam = new IamStore(store.db, keys, { defaultAccountId: ACCOUNT });
      await iam.createUser(ACCOUNT, 'erin');
    });
    after(async () => {
      await keys.flush();
      await cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    test('the secret is shown once: listings and single views never carry it', async () => {
      const b = await iam.keys.create(ACCOUNT, 'erin', { type: 'bearer', name: 'ci', description: 'for CI' });
      const s = await iam.keys.create(ACCOUNT, 'erin', { type: 'sigv4' });
      assert.match(b.apiKey!, /^qk-/);
      assert.ok(s.secretAccessKey && s.accessKeyId?.startsWith('QK'));
      const listed = await iam.keys.list(ACCOUNT, 'erin');
      const text = JSON.stringify(listed);
      assert.ok(!text.includes(b.apiKey!) && !text.includes(s.secretAccessKey!));
      const ci = listed.find((k) => k.keyId === b.keyId)!;
      assert.deepEqual([ci.name, ci.description, ci.status, ci.type, ci.hint], ['ci', 'for CI', 'Active', 'bearer', b.apiKey!.slice(0, 6)]);
      assert.equal(listed.find((k) => k.keyId === s.keyId)!.accessKeyId, s.accessKeyId);
      const principal = await authenticate(keys, bearer(b.apiKey!));
      assert.equal(principal.accountId, ACCOUNT);
      assert.equal(principal.name, 'erin');
    });

    test('an expired key is refused at its expiry instant even while its authentication is cached', async () => {
      const k = await iam.keys.create(ACCOUNT, 'erin', { type: 'bearer', expiresAt: new Date(clock + 60_000) });
      assert.equal((await authenticate(keys, bearer(k.apiKey!))).keyId, k.keyId);
      clock += 60_000;
      await assert.rejects(authenticate(keys, bearer(k.apiKey!)), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'UnrecognizedClientException');
        assert.match(e.message, /The API key expired at \d{4}-/);
        return true;
      });
      assert.equal(await keys.findBearer(k.apiKey!), undefined);
      assert.equal((await iam.keys.list(ACCOUNT, 'erin')).find((x) => x.keyId === k.keyId)?.status, 'Expired');
      await assert.rejects(iam.keys.rotate(ACCOUNT, k.keyId, {}), /expired/);
      // Extending the expiry (UpdateApiKey) revives it.
      await iam.keys.update(ACCOUNT, k.keyId, { expiresAt: new Date(clock + DAY) });
      assert.equal((await authenticate(keys, bearer(k.apiKey!))).keyId, k.keyId);
      await assert.rejects(iam.keys.create(ACCOUNT, 'erin', { type: 'bearer', expiresAt: new Date(clock - 1) }), /in the past/);
    });

    test('disable and delete take effect on the next request; enable restores', async () => {
      const k = await iam.keys.create(ACCOUNT, 'erin', { type: 'bearer' });
      await authenticate(keys, bearer(k.apiKey!));
      await iam.keys.update(ACCOUNT, k.keyId, { enabled: false });
      await assert.rejects(authenticate(keys, bearer(k.apiKey!)), /The API key has been disabled/);
      await assert.rejects(iam.keys.rotate(ACCOUNT, k.keyId, {}), /disabled/);
      await iam.keys.update(ACCOUNT, k.keyId, { enabled: true });
      await authenticate(keys, bearer(k.apiKey!));
      await iam.keys.delete(ACCOUNT, k.keyId);
      await assert.rejects(authenticate(keys, bearer(k.apiKey!)), /The API key is not valid/);
      await assert.rejects(iam.keys.delete(ACCOUNT, k.keyId), { code: 'ResourceNotFoundException' });
    });

    test('a change made by another replica is seen within the cache lifetime', async () => {
      const other = new KeyStore(store.db, await openTestKeyring(store.db, dir), { defaultAccountId: ACCOUNT, now: () => clock });
      const k = await iam.keys.create(ACCOUNT, 'erin', { type: 'bearer' });
      await authenticate(other, bearer(k.apiKey!));
      await iam.keys.update(ACCOUNT, k.keyId, { enabled: false });
      await authenticate(other, bearer(k.apiKey!));
      clock += 5_000;
      await assert.rejects(authenticate(other, bearer(k.apiKey!)), /disabled/);
      await other.flush();
    });

    test('SigV4: the secret is decrypted once per key, not per request nor per cache refresh', async () => {
      const keyring = await openTestKeyring(store.db, dir);
      let opens = 0;
      const open = keyring.open.bind(keyring);
      keyring.open = (sealed, context) => {
        opens++;
        return open(sealed, context);
      };
      const replica = new KeyStore(store.db, keyring, { defaultAccountId: ACCOUNT, now: () => clock });
      const k = await iam.keys.create(ACCOUNT, 'erin', { type: 'sigv4' });
      for (let i = 0; i < 3; i++) await authenticate(replica, await sigv4(k.accessKeyId!, k.secretAccessKey!));
      assert.equal(opens, 1);
      clock += 5_000;
      // The cache entry expired: the row is read again, but its sealed value is unchanged, so it is not opened again.
      await authenticate(replica, await sigv4(k.accessKeyId!, k.secretAccessKey!));
      assert.equal(opens, 1);
      replica.forgetKeys([k.keyId]);
      await authenticate(replica, await sigv4(k.accessKeyId!, k.secretAccessKey!));
      assert.equal(opens, 2, 'a forgotten key is opened again');
      await replica.flush();
    });

    test('rotation: a new secret, the old one valid through the grace period, then dead; one successor only', async () => {
      const k1 = await iam.keys.create(ACCOUNT, 'erin', { type: 'bearer', name: 'app', expiresAt: new Date(clock + 30 * DAY) });
      const r = await iam.keys.rotate(ACCOUNT, k1.keyId, { graceSeconds: 3600 });
      const k2 = r.key;
      assert.notEqual(k2.apiKey, k1.apiKey);
      assert.equal(k2.name, 'app');
      assert.equal(Date.parse(k2.expiresAt!), clock + 30 * DAY, 'the new key gets the lifetime the old one was created with');
      assert.equal(r.previous.replacedBy, k2.keyId);
      assert.equal(Date.parse(r.previous.expiresAt!), clock + 3600_000);
      assert.equal((await authenticate(keys, bearer(k1.apiKey!))).keyId, k1.keyId, 'the old key works during the grace period');
      assert.equal((await authenticate(keys, bearer(k2.apiKey!))).keyId, k2.keyId);
      await assert.rejects(iam.keys.rotate(ACCOUNT, k1.keyId, {}), /already rotated/);
      clock += 3600_000;
      await assert.rejects(authenticate(keys, bearer(k1.apiKey!)), /expired/);
      await authenticate(keys, bearer(k2.apiKey!));

      // No grace: the old key dies with the rotation, cached or not.
      const k3 = (await iam.keys.rotate(ACCOUNT, k2.keyId, { expiresAt: null })).key;
      assert.equal(k3.expiresAt, undefined);
      await assert.rejects(authenticate(keys, bearer(k2.apiKey!)), /expired/);
      await authenticate(keys, bearer(k3.apiKey!));
    });

    test('two concurrent rotations of one key: one wins, the other is refused', async () => {
      const k = await iam.keys.create(ACCOUNT, 'erin', { type: 'bearer' });
      const before = (await iam.keys.list(ACCOUNT, 'erin')).length;
      const results = await Promise.allSettled([iam.keys.rotate(ACCOUNT, k.keyId, { graceSeconds: 60 }), iam.keys.rotate(ACCOUNT, k.keyId, { graceSeconds: 60 })]);
      assert.deepEqual(results.map((x) => x.status).sort(), ['fulfilled', 'rejected']);
      const rejected = results.find((x) => x.status === 'rejected') as PromiseRejectedResult;
      const won = results.find((x) => x.status === 'fulfilled') as PromiseFulfilledResult<Awaited<ReturnType<typeof iam.keys.rotate>>>;
      assert.equal(rejected.reason.code, 'ConflictException');
      assert.equal((await iam.keys.list(ACCOUNT, 'erin')).length, before + 1, 'the losing rotation left no key behind');
      assert.equal((await iam.keys.owned(ACCOUNT, k.keyId)).key.replaced_by, won.value.key.keyId);
    });

    test('SigV4: rotation gives a new access key id; an expired key is refused only after its signature checks', async () => {
      const k = await iam.keys.create(ACCOUNT, 'erin', { type: 'sigv4', expiresAt: new Date(clock + DAY) });
      const { key: next } = await iam.keys.rotate(ACCOUNT, k.keyId, { graceSeconds: 60 });
      assert.notEqual(next.accessKeyId, k.accessKeyId);
      assert.equal((await authenticate(keys, await sigv4(k.accessKeyId!, k.secretAccessKey!))).keyId, k.keyId);
      assert.equal((await authenticate(keys, await sigv4(next.accessKeyId!, next.secretAccessKey!))).keyId, next.keyId);
      clock += 60_000;
      // A forger who knows only the (public) access key id learns nothing about the key's state.
      await assert.rejects(authenticate(keys, await sigv4(k.accessKeyId!, 'wrong-secret')), /signature we calculated does not match/);
      await assert.rejects(authenticate(keys, await sigv4(k.accessKeyId!, k.secretAccessKey!)), new RegExp(`access key ${k.accessKeyId} expired at`));
      await iam.keys.update(ACCOUNT, next.keyId, { enabled: false });
      await assert.rejects(authenticate(keys, await sigv4(next.accessKeyId!, next.secretAccessKey!)), /has been disabled/);
    });

    test('last-used times are recorded in batches', async () => {
      const k = await iam.keys.create(ACCOUNT, 'erin', { type: 'bearer' });
      assert.equal(k.lastUsedAt, undefined);
      await authenticate(keys, bearer(k.apiKey!));
      await keys.flush();
      assert.equal((await iam.keys.list(ACCOUNT, 'erin')).find((x) => x.keyId === k.keyId)?.lastUsedAt, new Date(clock).toISOString());
    });

    test('a last-used time that cannot be written stays queued for the next flush', async () => {
      const k = await iam.keys.create(ACCOUNT, 'erin', { type: 'bearer' });
      await authenticate(keys, bearer(k.apiKey!));
      // A store that refuses writes (as a closing server's does): the flush fails, and the time is not lost.
      const failing = new KeyStore({ ...store.db, withTables: () => ({ updateTable: () => ({ set: () => ({ where: () => ({ execute: () => Promise.reject(new Error('driver has already been destroyed')) }) }) }) }) } as never, undefined as never);
      (failing as unknown as { pendingLastUsed: Map<string, number> }).pendingLastUsed.set(k.keyId, clock);
      await assert.rejects(failing.flush(), /destroyed/);
      await assert.rejects(failing.flush(), /destroyed/, 'still queued: the second flush tries it again');
      await keys.flush();
      assert.equal((await iam.keys.list(ACCOUNT, 'erin')).find((x) => x.keyId === k.keyId)?.lastUsedAt, new Date(clock).toISOString());
    });
  });
}
