import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DIALECTS } from '../../test/iam/dialects.js';
import { openTestKeyring } from '../../test/iam/test-keyring.js';
import { secretMigrations } from '../secrets/index.js';
import { migrate, type Store } from '../store/index.js';
import { IamStore } from './iam-store.js';
import { KeyStore } from './key-store.js';
import { evaluate } from './policy/index.js';
import { iamMigrations } from './tables.js';

const DEFAULT = '000000000000';
const OTHER = '111111111111';

const allow = (action: string, resource = '*') => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] });
const deny = (action: string) => ({ Version: '2012-10-17', Statement: [{ Sid: 'NoWay', Effect: 'Deny', Action: action, Resource: '*' }] });
const principal = (id: string) => ({ id, name: 'x', keyId: 'k', isAdmin: false, authMethod: 'bearer' as const });

for (const d of DIALECTS) {
  describe(`IAM store on ${d.name}`, { skip: d.skip }, () => {
    const dir = mkdtempSync(join(tmpdir(), `quarry-iam-store-${d.name}-`));
    let store: Store;
    let cleanup: () => Promise<void>;
    let keys: KeyStore;
    let iam: IamStore;
    const clock = Date.now();

    before(async () => {
      ({ store, cleanup } = await d.open(dir));
      // A store from before accounts existed: the first migration alone, with a principal and a key.
      await migrate(store.db, { '2026-11-23-01-iam': iamMigrations['2026-11-23-01-iam']! });
      await store.db
        .withTables<{ principals: { id: string; name: string; is_admin: number; created_at: string } }>()
        .insertInto('principals')
        .values({ id: 'p-legacy', name: 'legacy', is_admin: 1, created_at: '2026-01-01T00:00:00.000Z' })
        .execute();
      await migrate(store.db, iamMigrations, secretMigrations);
      keys = new KeyStore(store.db, await openTestKeyring(store.db, dir), { defaultAccountId: DEFAULT, now: () => clock });
      iam = new IamStore(store.db, keys, { defaultAccountId: DEFAULT });
      await iam.ensureAccount(DEFAULT, 'default');
      await iam.ensureAccount(DEFAULT, 'default');
      await iam.ensureAccount(OTHER, 'other');
    });
    after(async () => {
      await keys.flush();
      await cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    test('principals from before accounts belong to the default account, at read time', async () => {
      assert.deepEqual(
        (await iam.listUsers(DEFAULT)).map((u) => [u.userName, u.accountId, u.isAdmin]),
        [['legacy', DEFAULT, true]],
      );
      assert.deepEqual(await iam.listUsers(OTHER), []);
      const { apiKey } = await keys.addBearerKey('p-legacy');
      const p = await keys.findBearer(apiKey);
      assert.equal(p?.accountId, DEFAULT);
      assert.equal(p?.isAdmin, true);
      // ensurePrincipal (bootstrap) finds the legacy row instead of creating a second admin.
      assert.equal(await keys.ensurePrincipal('legacy', true, DEFAULT), 'p-legacy');
    });

    test('users: per-account names, duplicates and near-duplicates refused, bad names refused', async () => {
      await iam.createUser(DEFAULT, 'alice');
      await iam.createUser(OTHER, 'alice');
      await assert.rejects(iam.createUser(DEFAULT, 'alice'), { code: 'ConflictException' });
      await assert.rejects(iam.createUser(DEFAULT, 'ALICE'), /differ only in case/);
      await assert.rejects(iam.createUser(DEFAULT, 'Legacy'), { code: 'ConflictException' });
      for (const bad of ['', 'a/b', 'a b', '../x', 'x'.repeat(65), 'ünï', '${aws:username}', 'a*']) {
        await assert.rejects(iam.createUser(DEFAULT, bad), { code: 'ValidationException' }, bad);
      }
      assert.equal((await iam.user(OTHER, 'alice')).account_id, OTHER);
      assert.notEqual((await iam.user(OTHER, 'alice')).id, (await iam.user(DEFAULT, 'alice')).id);
      await assert.rejects(iam.user(OTHER, 'legacy'), { code: 'ResourceNotFoundException' });
    });

    test('accounts: 12-digit ids, unique names', async () => {
      const a = await iam.createAccount('team-a');
      assert.match(a.accountId, /^\d{12}$/);
      await assert.rejects(iam.createAccount('team-a'), { code: 'ConflictException' });
      await assert.rejects(iam.createAccount('no spaces'), { code: 'ValidationException' });
      assert.ok((await iam.listAccounts()).some((x) => x.accountId === a.accountId));
      await assert.rejects(iam.account('999999999999'), { code: 'ResourceNotFoundException' });
    });

    test('policies: validated, unique per account, hostile documents refused with a clear message', async () => {
      await iam.createPolicy(DEFAULT, 'invoke', allow('bedrock:InvokeModel'), 'models');
      await iam.createPolicy(OTHER, 'invoke', JSON.stringify(allow('bedrock:Retrieve')));
      await assert.rejects(iam.createPolicy(DEFAULT, 'invoke', allow('bedrock:InvokeModel')), { code: 'ConflictException' });
      await assert.rejects(iam.createPolicy(DEFAULT, 'Invoke', allow('bedrock:InvokeModel')), { code: 'ConflictException' });
      await assert.rejects(iam.createPolicy(DEFAULT, 'broken', '{"Version": "2012-10-17", '), /not valid JSON/);
      await assert.rejects(iam.createPolicy(DEFAULT, 'huge', ' '.repeat(70_000)), /longer than/);
      const many = { Version: '2012-10-17', Statement: Array.from({ length: 101 }, () => ({ Effect: 'Allow', Action: '*', Resource: '*' })) };
      await assert.rejects(iam.createPolicy(DEFAULT, 'many', many), /at most 100 statements/);
      await assert.rejects(iam.createPolicy(DEFAULT, 'typo', { Version: '2012-10-17', Statement: { Effect: 'Alow', Action: '*', Resource: '*' } }), /Effect/);
      await assert.rejects(iam.createPolicy(DEFAULT, 'proto', '{"__proto__": {"x": 1}, "Version": "2012-10-17"}'), { code: 'ValidationException' });
      await assert.rejects(iam.createPolicy(DEFAULT, 'bad name!', allow('*')), { code: 'ValidationException' });
      assert.deepEqual((await iam.listPolicies(DEFAULT)).map((p) => p.policyName), ['invoke']);
      const details = await iam.policyDetails(DEFAULT, 'invoke');
      assert.equal(details.policy.description, 'models');
      assert.deepEqual(details.document, allow('bedrock:InvokeModel'));
    });

    test('policiesFor: direct and role policies, the same frozen objects each time, refreshed on every change', async () => {
      const bob = await iam.createUser(DEFAULT, 'bob');
      const p = principal(bob.userId);
      assert.deepEqual(await iam.policiesFor(p), []);
      await iam.attachPolicy(DEFAULT, 'invoke', { userName: 'bob' });
      const first = await iam.policiesFor(p);
      assert.deepEqual(first.map((x) => x.id), ['invoke']);
      assert.ok(Object.isFrozen(first) && Object.isFrozen(first[0]) && Object.isFrozen(first[0]!.document));
      assert.equal(await iam.policiesFor(p), first, 'a cache hit hands back the same array');

      await iam.createRole(DEFAULT, 'readers', 'can read');
      await iam.createPolicy(DEFAULT, 'no-retrieve', deny('bedrock:Retrieve'));
      await iam.attachPolicy(DEFAULT, 'no-retrieve', { roleName: 'readers' });
      await iam.attachPolicy(DEFAULT, 'invoke', { roleName: 'readers' });
      assert.deepEqual((await iam.policiesFor(p)).map((x) => x.id), ['invoke']);
      await iam.addRoleMember(DEFAULT, 'readers', 'bob');
      await iam.addRoleMember(DEFAULT, 'readers', 'bob');
      const withRole = await iam.policiesFor(p);
      assert.deepEqual(withRole.map((x) => x.id), ['invoke', 'no-retrieve'], 'each policy once, direct ones first');
      assert.equal(withRole[0], first[0], 'an unchanged policy keeps its object after a reload');

      const req = { principal: { id: bob.userId }, resource: '*' } as const;
      assert.equal(evaluate({ ...req, action: 'bedrock:Retrieve' }, withRole).reason, 'explicitDeny');

      await iam.updatePolicy(DEFAULT, 'invoke', allow('bedrock:InvokeModelWithResponseStream'));
      const updated = await iam.policiesFor(p);
      assert.notEqual(updated[0], first[0], 'a changed policy is a new object');
      assert.deepEqual(updated[0]!.document, allow('bedrock:InvokeModelWithResponseStream'));

      await iam.removeRoleMember(DEFAULT, 'readers', 'bob');
      assert.deepEqual((await iam.policiesFor(p)).map((x) => x.id), ['invoke']);
      await assert.rejects(iam.removeRoleMember(DEFAULT, 'readers', 'bob'), { code: 'ResourceNotFoundException' });
      await iam.detachPolicy(DEFAULT, 'invoke', { userName: 'bob' });
      assert.deepEqual(await iam.policiesFor(p), []);
      await assert.rejects(iam.detachPolicy(DEFAULT, 'invoke', { userName: 'bob' }), { code: 'ResourceNotFoundException' });

      await assert.rejects(iam.deletePolicy(DEFAULT, 'no-retrieve'), /still attached/);
      await iam.deleteRole(DEFAULT, 'readers');
      await iam.deletePolicy(DEFAULT, 'no-retrieve');
      await assert.rejects(iam.policy(DEFAULT, 'no-retrieve'), { code: 'ResourceNotFoundException' });
    });

    test('another account sees none of it: users, roles, policies and attachments are not found', async () => {
      await assert.rejects(iam.attachPolicy(OTHER, 'invoke', { userName: 'bob' }), { code: 'ResourceNotFoundException' });
      await assert.rejects(iam.deleteUser(OTHER, 'bob'), { code: 'ResourceNotFoundException' });
      await assert.rejects(iam.addRoleMember(OTHER, 'readers', 'bob'), { code: 'ResourceNotFoundException' });
      await assert.rejects(iam.updatePolicy(OTHER, 'no-such', allow('*')), { code: 'ResourceNotFoundException' });
      // OTHER's own 'invoke' is a different policy.
      assert.deepEqual((await iam.policyDetails(OTHER, 'invoke')).document, allow('bedrock:Retrieve'));
      const bobKey = await iam.keys.create(DEFAULT, 'bob', { type: 'bearer' });
      await assert.rejects(iam.keys.owned(OTHER, bobKey.keyId), { code: 'ResourceNotFoundException' });
      await assert.rejects(iam.keys.update(OTHER, bobKey.keyId, { enabled: false }), { code: 'ResourceNotFoundException' });
      await assert.rejects(iam.keys.delete(OTHER, bobKey.keyId), { code: 'ResourceNotFoundException' });
      assert.equal((await keys.lookupBearer(bobKey.apiKey!))?.state, 'active');
    });

    test('deleting a user removes its keys, memberships and attachments; its key stops at once', async () => {
      await iam.createUser(DEFAULT, 'dave');
      await iam.createRole(DEFAULT, 'ops');
      await iam.addRoleMember(DEFAULT, 'ops', 'dave');
      await iam.attachPolicy(DEFAULT, 'invoke', { userName: 'dave' });
      const k = await iam.keys.create(DEFAULT, 'dave', { type: 'sigv4' });
      assert.ok(k.secretAccessKey && k.accessKeyId);
      assert.equal((await keys.findAccessKey(k.accessKeyId))?.secret, k.secretAccessKey);
      await iam.deleteUser(DEFAULT, 'dave');
      assert.equal(await keys.lookupAccessKey(k.accessKeyId), undefined, 'no cached authentication outlives the user');
      assert.deepEqual((await iam.roleDetails(DEFAULT, 'ops')).members, []);
      assert.deepEqual((await iam.policyDetails(DEFAULT, 'invoke')).users, []);
      await iam.deleteRole(DEFAULT, 'ops');
    });
  });
}
