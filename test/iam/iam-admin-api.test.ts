import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';

/** The IAM admin API over a real server: authorization on every route, account isolation, key lifecycle, bad input. */

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

interface Reply {
  status: number;
  body: Record<string, unknown> & { message?: string };
  errorType?: string;
}

async function call(key: string, method: string, path: string, body?: unknown, raw?: string): Promise<Reply> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {}, errorType: res.headers.get('x-amzn-errortype')?.split(':')[0] };
}

const admin = (method: string, path: string, body?: unknown) => call(TEST_API_KEY, method, path, body);

function expectError(r: Reply, status: number, type: string, message?: RegExp) {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.equal(r.errorType, type);
  if (message) assert.match(r.body.message ?? '', message);
}

const policy = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });

let aliceKey: string;

test('an administrator creates a user, a policy and a key; the user may do what the policy allows and nothing else', async () => {
  const u = await admin('POST', '/quarry/iam/users', { userName: 'alice' });
  assert.equal(u.status, 201);
  assert.equal((u.body.user as { arn: string }).arn, 'arn:aws:bedrock:us-east-1:000000000000:user/alice');
  const p = await admin('POST', '/quarry/iam/policies', {
    policyName: 'self-service',
    description: 'own keys, list users',
    policyDocument: JSON.stringify(
      policy(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a JavaScript template
        { Effect: 'Allow', Action: ['quarry:ListApiKeys', 'quarry:CreateApiKey', 'quarry:UpdateApiKey'], Resource: 'arn:aws:bedrock:*:*:user/${aws:username}' },
        { Effect: 'Allow', Action: ['quarry:ListUsers', 'quarry:SimulatePolicy'], Resource: '*' },
      ),
    ),
  });
  assert.equal(p.status, 201, JSON.stringify(p.body));
  assert.equal((await admin('PUT', '/quarry/iam/users/alice/policies/self-service')).status, 204);
  const k = await admin('POST', '/quarry/iam/users/alice/keys', { name: 'laptop' });
  assert.equal(k.status, 201);
  const key = k.body.key as { apiKey: string; keyId: string; status: string };
  assert.equal(key.status, 'Active');
  aliceKey = key.apiKey;

  const me = await call(aliceKey, 'GET', '/quarry/iam/whoami');
  assert.equal((me.body.user as { userName: string }).userName, 'alice');
  assert.equal(me.body.keyId, key.keyId);

  assert.equal((await call(aliceKey, 'GET', '/quarry/iam/users')).status, 200);
  const own = await call(aliceKey, 'GET', '/quarry/iam/users/alice/keys');
  assert.deepEqual((own.body.keys as { name: string }[]).map((x) => x.name), ['laptop']);
  assert.ok(!JSON.stringify(own.body).includes(aliceKey), 'listing never shows a secret');
  assert.equal((await call(aliceKey, 'POST', '/quarry/iam/users/alice/keys', {})).status, 201);

  await admin('POST', '/quarry/iam/users', { userName: 'bob' });
  expectError(await call(aliceKey, 'GET', '/quarry/iam/users/bob/keys'), 403, 'AccessDeniedException', /alice is not authorized to perform: quarry:ListApiKeys on resource: arn:aws:bedrock:us-east-1:000000000000:user\/bob/);
  expectError(await call(aliceKey, 'POST', '/quarry/iam/users', { userName: 'mallory' }), 403, 'AccessDeniedException');
  expectError(await call(aliceKey, 'POST', '/quarry/iam/policies', { policyName: 'mine', policyDocument: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) }), 403, 'AccessDeniedException');
  expectError(await call(aliceKey, 'PUT', '/quarry/iam/users/alice/policies/self-service'), 403, 'AccessDeniedException');
  expectError(await call(aliceKey, 'GET', '/quarry/iam/accounts'), 403, 'AccessDeniedException');
});

test('detaching a policy takes effect on the very next request', async () => {
  assert.equal((await call(aliceKey, 'GET', '/quarry/iam/users')).status, 200);
  assert.equal((await admin('DELETE', '/quarry/iam/users/alice/policies/self-service')).status, 204);
  expectError(await call(aliceKey, 'GET', '/quarry/iam/users'), 403, 'AccessDeniedException', /no identity-based policy allows/);
  // Through a role instead.
  assert.equal((await admin('POST', '/quarry/iam/roles', { roleName: 'staff' })).status, 201);
  assert.equal((await admin('PUT', '/quarry/iam/roles/staff/policies/self-service')).status, 204);
  assert.equal((await admin('PUT', '/quarry/iam/roles/staff/members/alice')).status, 204);
  assert.equal((await call(aliceKey, 'GET', '/quarry/iam/users')).status, 200);
  const role = await admin('GET', '/quarry/iam/roles/staff');
  assert.deepEqual([role.body.members, role.body.policies], [['alice'], ['self-service']]);
  expectError(await admin('DELETE', '/quarry/iam/policies/self-service'), 409, 'ConflictException', /still attached/);
});

test('a deny beats an allow, and the simulator says which statement decided', async () => {
  await admin('POST', '/quarry/iam/policies', { policyName: 'no-keys', policyDocument: policy({ Sid: 'NoNewKeys', Effect: 'Deny', Action: 'quarry:CreateApiKey', Resource: '*' }) });
  await admin('PUT', '/quarry/iam/users/alice/policies/no-keys');
  expectError(await call(aliceKey, 'POST', '/quarry/iam/users/alice/keys', {}), 403, 'AccessDeniedException', /explicit deny/);

  const sim = await call(aliceKey, 'POST', '/quarry/iam/simulate', { action: 'quarry:createapikey', resource: 'arn:aws:bedrock:us-east-1:000000000000:user/alice' });
  assert.equal(sim.status, 200, JSON.stringify(sim.body));
  assert.equal(sim.body.action, 'quarry:CreateApiKey');
  assert.deepEqual(sim.body.decision, { allowed: false, reason: 'explicitDeny', statement: { policyId: 'no-keys', sid: 'NoNewKeys', index: 0 } });
  const allowed = await admin('POST', '/quarry/iam/simulate', { userName: 'alice', action: 'quarry:ListUsers', resource: '*' });
  assert.equal((allowed.body.decision as { allowed: boolean }).allowed, true);
  const asAdmin = await admin('POST', '/quarry/iam/simulate', { action: 'bedrock:InvokeModel', resource: 'arn:aws:bedrock:us-east-1::foundation-model/x' });
  assert.equal(asAdmin.body.isAdmin, true);
  assert.match(String(asAdmin.body.warnings), /administrator/);
  expectError(await admin('POST', '/quarry/iam/simulate', { action: 'not an action', resource: '*' }), 400, 'ValidationException', /Invalid action/);
  expectError(await admin('POST', '/quarry/iam/simulate', { action: 'bedrock:InvokeModel', resource: 'arn:aws:bedrock:us-east-1:000000000000:knowledge-base/%2e%2e' }), 400, 'ValidationException');
  // alice may simulate (quarry:SimulatePolicy on *) but only inside her account: an unknown user is not found.
  expectError(await call(aliceKey, 'POST', '/quarry/iam/simulate', { userName: 'nobody', action: 'quarry:ListUsers', resource: '*' }), 404, 'ResourceNotFoundException');
  await admin('DELETE', '/quarry/iam/users/alice/policies/no-keys');
});

test('administrators can only be made, keyed or deleted by administrators', async () => {
  await admin('POST', '/quarry/iam/policies', { policyName: 'user-admin', policyDocument: policy({ Effect: 'Allow', Action: 'quarry:*', Resource: '*' }) });
  await admin('POST', '/quarry/iam/users', { userName: 'carol' });
  await admin('PUT', '/quarry/iam/users/carol/policies/user-admin');
  const carolKey = ((await admin('POST', '/quarry/iam/users/carol/keys', {})).body.key as { apiKey: string }).apiKey;
  expectError(await call(carolKey, 'POST', '/quarry/iam/users', { userName: 'root2', isAdmin: true }), 403, 'AccessDeniedException', /administrator/);
  expectError(await call(carolKey, 'POST', '/quarry/iam/users/admin/keys', {}), 403, 'AccessDeniedException', /administrator/);
  expectError(await call(carolKey, 'DELETE', '/quarry/iam/users/admin'), 403, 'AccessDeniedException', /administrator/);
  const adminKeys = await call(carolKey, 'GET', '/quarry/iam/users/admin/keys');
  const adminKeyId = (adminKeys.body.keys as { keyId: string }[])[0]!.keyId;
  expectError(await call(carolKey, 'PATCH', `/quarry/iam/keys/${adminKeyId}`, { enabled: false }), 403, 'AccessDeniedException');
  // Within her powers: an ordinary user, made and removed.
  assert.equal((await call(carolKey, 'POST', '/quarry/iam/users', { userName: 'temp' })).status, 201);
  assert.equal((await call(carolKey, 'DELETE', '/quarry/iam/users/temp')).status, 204);
  expectError(await call(carolKey, 'DELETE', '/quarry/iam/users/carol'), 409, 'ConflictException', /signed in as/);
});

test('key lifecycle over HTTP: disable, enable, rotate with grace, expire, delete', async () => {
  const created = await admin('POST', '/quarry/iam/users/bob/keys', { name: 'svc', expiresInSeconds: 3600 });
  const k = created.body.key as { apiKey: string; keyId: string; expiresAt: string };
  assert.ok(Date.parse(k.expiresAt) > Date.now());
  assert.equal((await call(k.apiKey, 'GET', '/quarry/iam/whoami')).status, 200);

  assert.equal((await admin('PATCH', `/quarry/iam/keys/${k.keyId}`, { enabled: false })).status, 200);
  expectError(await call(k.apiKey, 'GET', '/quarry/iam/whoami'), 403, 'UnrecognizedClientException', /disabled/);
  const enabled = await admin('PATCH', `/quarry/iam/keys/${k.keyId}`, { enabled: true });
  assert.equal((enabled.body.key as { status: string }).status, 'Active');

  const rotated = await admin('POST', `/quarry/iam/keys/${k.keyId}/rotate`, { graceSeconds: 600 });
  assert.equal(rotated.status, 201);
  const next = rotated.body.key as { apiKey: string; keyId: string };
  assert.equal((rotated.body.previous as { replacedBy: string }).replacedBy, next.keyId);
  assert.equal((await call(k.apiKey, 'GET', '/quarry/iam/whoami')).status, 200, 'the old key works during the grace period');
  assert.equal((await call(next.apiKey, 'GET', '/quarry/iam/whoami')).status, 200);
  expectError(await admin('POST', `/quarry/iam/keys/${k.keyId}/rotate`, {}), 409, 'ConflictException');

  // Expire now: an expiry in the past through UpdateApiKey.
  await admin('PATCH', `/quarry/iam/keys/${k.keyId}`, { expiresAt: new Date(Date.now() - 1000).toISOString() });
  expectError(await call(k.apiKey, 'GET', '/quarry/iam/whoami'), 403, 'UnrecognizedClientException', /expired at/);

  assert.equal((await admin('DELETE', `/quarry/iam/keys/${next.keyId}`)).status, 204);
  expectError(await call(next.apiKey, 'GET', '/quarry/iam/whoami'), 403, 'UnrecognizedClientException', /not valid/);
  expectError(await admin('DELETE', `/quarry/iam/keys/${next.keyId}`), 404, 'ResourceNotFoundException');
});

test('accounts are isolated: another account gets "not found", never "denied", for everything here', async () => {
  const acct = await admin('POST', '/quarry/iam/accounts', { name: 'team-b', adminUserName: 'root' });
  assert.equal(acct.status, 201, JSON.stringify(acct.body));
  const b = acct.body as { account: { accountId: string }; key: { apiKey: string } };
  assert.match(b.account.accountId, /^\d{12}$/);
  const bKey = b.key.apiKey;
  expectError(await admin('POST', '/quarry/iam/accounts', { name: 'team-b' }), 409, 'ConflictException');

  assert.deepEqual(((await call(bKey, 'GET', '/quarry/iam/users')).body.users as { userName: string }[]).map((u) => u.userName), ['root']);
  assert.deepEqual((await call(bKey, 'GET', '/quarry/iam/policies')).body.policies, []);
  assert.deepEqual((await call(bKey, 'GET', '/quarry/iam/roles')).body.roles, []);
  const bobKeys = (await admin('GET', '/quarry/iam/users/bob/keys')).body.keys as { keyId: string }[];
  const aliceKeyId = ((await admin('GET', '/quarry/iam/users/alice/keys')).body.keys as { keyId: string }[])[0]!.keyId;
  for (const [method, path, body] of [
    ['GET', '/quarry/iam/users/alice'],
    ['DELETE', '/quarry/iam/users/alice'],
    ['GET', '/quarry/iam/users/alice/keys'],
    ['POST', '/quarry/iam/users/alice/keys', {}],
    ['GET', `/quarry/iam/keys/${aliceKeyId}`],
    ['PATCH', `/quarry/iam/keys/${aliceKeyId}`, { enabled: false }],
    ['POST', `/quarry/iam/keys/${aliceKeyId}/rotate`, {}],
    ['DELETE', `/quarry/iam/keys/${bobKeys[0]?.keyId ?? 'none'}`],
    ['GET', '/quarry/iam/policies/self-service'],
    ['PUT', '/quarry/iam/policies/self-service', { policyDocument: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) }],
    ['DELETE', '/quarry/iam/policies/user-admin'],
    ['PUT', '/quarry/iam/users/root/policies/self-service'],
    ['GET', '/quarry/iam/roles/staff'],
    ['PUT', '/quarry/iam/roles/staff/members/root'],
    ['POST', '/quarry/iam/simulate', { userName: 'alice', action: 'quarry:ListUsers', resource: '*' }],
  ] as [string, string, unknown?][]) {
    expectError(await call(bKey, method, path, body), 404, 'ResourceNotFoundException', undefined);
  }
  // Account B's administrator runs B, not the server.
  expectError(await call(bKey, 'GET', '/quarry/iam/accounts'), 403, 'AccessDeniedException');
  // Names are per account: B may have its own alice.
  assert.equal((await call(bKey, 'POST', '/quarry/iam/users', { userName: 'alice' })).status, 201);
  assert.equal((await admin('GET', '/quarry/iam/users/alice/keys')).status, 200);
  assert.equal((await call(aliceKey, 'GET', '/quarry/iam/whoami')).status, 200, "A's alice still works");
});

test('bad input: malformed, oversized, hostile and duplicate requests get clear 4xx errors', async () => {
  expectError(await call(TEST_API_KEY, 'POST', '/quarry/iam/users', undefined, '{"userName": '), 400, 'ValidationException', /not valid JSON/);
  expectError(await admin('POST', '/quarry/iam/users', { userName: 'x', extra: 1 }), 400, 'ValidationException', /extraneous key \[extra\]/);
  expectError(await admin('POST', '/quarry/iam/users', { userName: 'bad/name' }), 400, 'ValidationException');
  expectError(await admin('POST', '/quarry/iam/users', { userName: 'alice' }), 409, 'ConflictException');
  expectError(await admin('POST', '/quarry/iam/users', { userName: 'Alice' }), 409, 'ConflictException', /differ only in case/);
  expectError(await admin('GET', '/quarry/iam/users/a%2F..%2Fb'), 400, 'ValidationException');
  expectError(await admin('GET', '/quarry/iam/users/nobody'), 404, 'ResourceNotFoundException');
  expectError(await admin('POST', '/quarry/iam/policies', { policyName: 'huge', policyDocument: ' '.repeat(100_000) }), 400, 'ValidationException', /longer than/);
  expectError(await call(TEST_API_KEY, 'POST', '/quarry/iam/policies', undefined, JSON.stringify({ policyName: 'big', policyDocument: 'x'.repeat(400_000) })), 413, 'RequestEntityTooLargeException');
  expectError(await admin('POST', '/quarry/iam/policies', { policyName: 'broken', policyDocument: '{"Version":' }), 400, 'ValidationException', /not valid JSON/);
  expectError(
    await admin('POST', '/quarry/iam/policies', { policyName: 'weird', policyDocument: policy({ Effect: 'Allow', Action: 'bedrock:Invoke*', Resource: 'arn:aws:*:us-east-1:*:*' }) }),
    400,
    'ValidationException',
    /service/,
  );
  expectError(await admin('POST', '/quarry/iam/policies', { policyName: 'self-service', policyDocument: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) }), 409, 'ConflictException');
  expectError(await admin('POST', '/quarry/iam/users/bob/keys', { expiresAt: 'tomorrow' }), 400, 'ValidationException', /ISO 8601/);
  expectError(await admin('POST', '/quarry/iam/users/bob/keys', { expiresAt: '2001-01-01T00:00:00Z' }), 400, 'ValidationException', /in the past/);
  expectError(await admin('POST', '/quarry/iam/users/bob/keys', { expiresAt: '2099-01-01T00:00:00Z', expiresInSeconds: 60 }), 400, 'ValidationException', /not both/);
  expectError(await admin('POST', '/quarry/iam/users/bob/keys', { type: 'password' }), 400, 'ValidationException');
  expectError(await admin('PATCH', '/quarry/iam/keys/k-nope', { enabled: 'yes' }), 400, 'ValidationException');
  expectError(await admin('PATCH', `/quarry/iam/keys/${'k'.repeat(5000)}`, { enabled: false }), 404, 'ResourceNotFoundException');
  expectError(await admin('POST', '/quarry/iam/simulate', { action: 'bedrock:InvokeModel', resource: '*', context: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, 'v'])) }), 400, 'ValidationException');
});

test("listing every user's keys: needs ListApiKeys on *, shows each key's owner, never another account's key or a secret", async () => {
  type Listed = { keyId: string; userName: string; apiKey?: string };
  const listed = (r: Reply) => r.body.keys as Listed[];
  const all = await admin('GET', '/quarry/iam/keys');
  assert.equal(all.status, 200, JSON.stringify(all.body));
  const owners = [...new Set(listed(all).map((k) => k.userName))];
  assert.deepEqual(owners, [...owners].sort(), 'grouped by owner, in name order');
  for (const u of ['admin', 'alice', 'bob', 'carol']) assert.ok(owners.includes(u), `${u}'s keys are listed: ${owners.join(', ')}`);
  assert.ok(!listed(all).some((k) => 'apiKey' in k || 'secretAccessKey' in k), 'never a secret');
  // The same keys, owner by owner, as the per-user listing gives them.
  const aliceOwn = listed(await admin('GET', '/quarry/iam/users/alice/keys')).map((k) => k.keyId);
  assert.deepEqual(
    listed(all)
      .filter((k) => k.userName === 'alice')
      .map((k) => k.keyId),
    aliceOwn,
  );
  assert.deepEqual(listed(await admin('GET', '/quarry/iam/keys?userName=alice')).map((k) => k.keyId), aliceOwn);

  // Self-service (ListApiKeys on user/${aws:username}) lists only its own, and is refused the whole account.
  expectError(await call(aliceKey, 'GET', '/quarry/iam/keys'), 403, 'AccessDeniedException', /alice is not authorized to perform: quarry:ListApiKeys on resource: \*/);
  assert.deepEqual(listed(await call(aliceKey, 'GET', '/quarry/iam/keys?userName=alice')).map((k) => k.keyId), aliceOwn);
  expectError(await call(aliceKey, 'GET', '/quarry/iam/keys?userName=bob'), 403, 'AccessDeniedException');
  // A non-administrator whose policy allows it on * (carol: quarry:* on *) lists them all.
  const carolKey = ((await admin('POST', '/quarry/iam/users/carol/keys', { name: 'audit' })).body.key as { apiKey: string }).apiKey;
  assert.deepEqual(listed(await call(carolKey, 'GET', '/quarry/iam/keys')).map((k) => k.keyId), listed(await admin('GET', '/quarry/iam/keys')).map((k) => k.keyId));

  // Another account sees its own users' keys only, and A none of its.
  const b = await admin('POST', '/quarry/iam/accounts', { name: 'team-c', adminUserName: 'root' });
  assert.equal(b.status, 201, JSON.stringify(b.body));
  const cKey = (b.body as { key: { apiKey: string; keyId: string } }).key;
  const cAll = listed(await call(cKey.apiKey, 'GET', '/quarry/iam/keys'));
  assert.deepEqual(
    cAll.map((k) => [k.keyId, k.userName]),
    [[cKey.keyId, 'root']],
  );
  const aIds = new Set(listed(await admin('GET', '/quarry/iam/keys')).map((k) => k.keyId));
  assert.ok(!aIds.has(cKey.keyId), "account A's list holds none of C's keys");
  expectError(await call(cKey.apiKey, 'GET', '/quarry/iam/keys?userName=bob'), 404, 'ResourceNotFoundException');

  expectError(await admin('GET', '/quarry/iam/keys?userName=bad%2Fname'), 400, 'ValidationException');
  expectError(await admin('GET', '/quarry/iam/keys?owner=alice'), 400, 'ValidationException', /owner/);
  expectError(await admin('GET', '/quarry/iam/keys?userName=nobody'), 404, 'ResourceNotFoundException');
});
