import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';

/** The audit trail end to end over a real socket: what is recorded, redaction, isolation, queries and verify. */

interface Reply {
  status: number;
  body: Record<string, unknown> & { message?: string };
  errorType?: string;
}

interface Event {
  eventId: string;
  eventName: string;
  action: string | null;
  category: string;
  accountId: string;
  principal: { id: string; name: string; type: string; authMethod: string };
  keyId: string | null;
  resources: string[];
  requestParameters: Record<string, unknown> | null;
  outcome: string;
  errorCode: string | null;
  httpStatus: number;
  requestId: string;
  wireApi: string;
  sourceIp: string | null;
  userAgent: string | null;
  readOnly: boolean;
}

function client(server: () => TestServer) {
  return async (key: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply & { requestId: string }> => {
    const res = await fetch(`${server().url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'user-agent': 'audit-test/1.0', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    const parsed = res.headers.get('content-type')?.startsWith('application/json') && text ? JSON.parse(text) : {};
    return { status: res.status, body: parsed, errorType: res.headers.get('x-amzn-errortype')?.split(':')[0], requestId: res.headers.get('x-amzn-requestid') ?? '' };
  };
}

const policy = (...Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });

describe('with data-plane auditing off (the default)', () => {
  let server: TestServer;
  const call = client(() => server);
  const admin = (method: string, path: string, body?: unknown) => call(TEST_API_KEY, method, path, body);
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.stop();
  });

  async function events(key: string, query = ''): Promise<{ events: Event[]; nextToken?: string }> {
    await server.audit.flush();
    const r = await call(key, 'GET', `/quarry/audit/events${query}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body as never;
  }
  const byRequest = async (requestId: string) => (await events(TEST_API_KEY, '?maxResults=1000')).events.find((e) => e.requestId === requestId);

  let aliceKey = '';

  test('a metrics scrape is not recorded while data-plane auditing is off: scrapes come every few seconds', async () => {
    const r = await admin('GET', '/metrics');
    assert.equal(r.status, 200);
    assert.equal(await byRequest(r.requestId), undefined);
  });

  test('a management call is recorded with its principal, action, resource, outcome and request', async () => {
    const r = await admin('POST', '/quarry/iam/users', { userName: 'alice' });
    assert.equal(r.status, 201);
    const e = await byRequest(r.requestId);
    assert.ok(e, 'the CreateUser call is in the trail');
    assert.equal(e.action, 'quarry:CreateUser');
    assert.equal(e.eventName, 'CreateUser');
    assert.equal(e.category, 'management');
    assert.deepEqual(e.resources, ['arn:aws:bedrock:us-east-1:000000000000:user/alice']);
    assert.equal(e.outcome, 'success');
    assert.equal(e.httpStatus, 201);
    assert.equal(e.errorCode, null);
    assert.equal(e.principal.type, 'Administrator');
    assert.equal(e.principal.authMethod, 'bearer');
    assert.ok(e.keyId);
    assert.equal(e.accountId, '000000000000');
    assert.equal(e.wireApi, 'quarry');
    assert.equal(e.userAgent, 'audit-test/1.0');
    assert.equal(e.sourceIp, '127.0.0.1');
    assert.equal(e.readOnly, false);
    assert.deepEqual(e.requestParameters, { userName: 'alice' });
  });

  test('secrets in a request never reach the trail', async () => {
    const k = await admin('POST', '/quarry/iam/users/alice/keys', { name: 'laptop' });
    assert.equal(k.status, 201);
    aliceKey = (k.body.key as { apiKey: string }).apiKey;
    // A body with secrets in it (refused by the API, and still recorded): none of them may be stored.
    const bad = await admin('POST', '/quarry/iam/users', { userName: 'carol', apiKey: 'sk-live-SECRET1', nested: { password: 'hunter2-SECRET2', sessionToken: 'SECRET3' } });
    assert.equal(bad.status, 400);
    const e = await byRequest(bad.requestId);
    assert.ok(e);
    assert.equal(e.outcome, 'error');
    assert.equal(e.errorCode, 'ValidationException');
    assert.equal(e.requestParameters?.apiKey, '[REDACTED]');
    assert.deepEqual(e.requestParameters?.nested, { password: '[REDACTED]', sessionToken: '[REDACTED]' });
    const stored = await sql<{ t: string }>`SELECT request_parameters || ' ' || coalesce(error_message, '') AS t FROM audit_events`.execute(server.store.db);
    const all = stored.rows.map((r) => r.t).join('\n');
    for (const secret of ['SECRET1', 'SECRET2', 'SECRET3', aliceKey]) assert.ok(!all.includes(secret), `${secret} is not stored`);
  });

  test('a denied call is recorded as AccessDeniedException under the action it asked for', async () => {
    const r = await call(aliceKey, 'DELETE', '/quarry/iam/users/bob');
    assert.equal(r.status, 403);
    const e = await byRequest(r.requestId);
    assert.ok(e);
    assert.equal(e.action, 'quarry:DeleteUser');
    assert.equal(e.outcome, 'error');
    assert.equal(e.errorCode, 'AccessDeniedException');
    assert.equal(e.httpStatus, 403);
    assert.equal(e.principal.name, 'alice');
    assert.equal(e.principal.type, 'User');
    assert.deepEqual(e.resources, ['arn:aws:bedrock:us-east-1:000000000000:user/bob']);
  });

  test('model invocations are not recorded unless configured; listing models (a management read) is', async () => {
    const conv = await admin('POST', '/model/scripted.echo-v1:0/converse', { messages: [{ role: 'user', content: [{ text: 'hello' }] }] });
    assert.equal(conv.status, 200);
    const chat = await admin('POST', '/v1/chat/completions', { model: 'scripted.echo-v1:0', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(chat.status, 200);
    const bad = await admin('POST', '/v1/chat/completions', { model: 'scripted.echo-v1:0' });
    assert.equal(bad.status, 400);
    const list = await admin('GET', '/foundation-models');
    assert.equal(list.status, 200);
    assert.equal(await byRequest(conv.requestId), undefined);
    assert.equal(await byRequest(chat.requestId), undefined);
    assert.equal(await byRequest(bad.requestId), undefined);
    const e = await byRequest(list.requestId);
    assert.equal(e?.action, 'bedrock:ListFoundationModels');
    assert.equal(e?.readOnly, true);
    assert.equal(e?.wireApi, 'bedrock');
     // A model that is not there: the same event name as a found one, with the error.
    const missing = await admin('GET', '/foundation-models/nope.model-v1:0');
    assert.equal(missing.status, 404);
    const m = await byRequest(missing.requestId);
    assert.equal(m?.action, 'bedrock:GetFoundationModel');
    assert.equal(m?.eventName, 'GetFoundationModel');
    assert.equal(m?.errorCode, 'ResourceNotFoundException');
    assert.deepEqual(m?.resources, ['arn:aws:bedrock:us-east-1::foundation-model/nope.model-v1:0']);
  });

  test('filters, pagination and a bad token', async () => {
    const denied = await events(TEST_API_KEY, '?outcome=error&principal=alice');
    assert.ok(denied.events.length >= 1);
    assert.ok(denied.events.every((e) => e.outcome === 'error' && e.principal.name === 'alice'));
    const creates = await events(TEST_API_KEY, '?action=quarry:CreateUser');
    assert.ok(creates.events.length >= 1 && creates.events.every((e) => e.action === 'quarry:CreateUser'));
    const res = await events(TEST_API_KEY, `?resource=${encodeURIComponent('arn:aws:bedrock:us-east-1:000000000000:user/b')}`);
    assert.ok(res.events.length >= 1 && res.events.every((e) => e.resources.some((r) => r.startsWith('arn:aws:bedrock:us-east-1:000000000000:user/b'))));
    const future = await events(TEST_API_KEY, '?startTime=2999-01-01T00:00:00Z');
    assert.deepEqual(future.events, []);

    const all = (await events(TEST_API_KEY, '?maxResults=1000')).events.map((e) => e.eventId);
    const paged: string[] = [];
    let token: string | undefined;
    do {
      const p = await call(TEST_API_KEY, 'GET', `/quarry/audit/events?maxResults=2&endTime=2999-01-01T00:00:00Z${token ? `&nextToken=${token}` : ''}`);
      assert.equal(p.status, 200);
      paged.push(...(p.body.events as Event[]).map((e) => e.eventId));
      token = p.body.nextToken as string | undefined;
    } while (token);
    // The listing calls themselves are recorded as they go; every event that existed before paging is seen exactly once.
    assert.equal(new Set(paged).size, paged.length);
    for (const id of all) assert.ok(paged.includes(id));

    for (const q of ['?nextToken=garbage', '?maxResults=0', '?maxResults=5000', '?outcome=maybe', '?startTime=yesterday', '?bogus=1', '?startTime=2026-01-02T00:00:00Z&endTime=2026-01-01T00:00:00Z']) {
      const r = await admin('GET', `/quarry/audit/events${q}`);
      assert.equal(r.status, 400, q);
      assert.equal(r.errorType, 'ValidationException', q);
    }
  });

  test('reading the trail needs quarry:LookupEvents, and another account’s events stay invisible', async () => {
    const denied = await call(aliceKey, 'GET', '/quarry/audit/events');
    assert.equal(denied.status, 403);
    assert.equal(denied.errorType, 'AccessDeniedException');

    const acct = await admin('POST', '/quarry/iam/accounts', { name: 'tenant', adminUserName: 'owner' });
    assert.equal(acct.status, 201, JSON.stringify(acct.body));
    const tenantId = (acct.body.account as { accountId: string }).accountId;
    const ownerKey = (acct.body.key as { apiKey: string }).apiKey;
    // CreateAccount names no IAM action, and is recorded anyway, under its route.
    const createAccount = await byRequest(acct.requestId);
    assert.equal(createAccount?.eventName, 'POST /quarry/iam/accounts');
    assert.equal(createAccount?.action, null);

    const made = await call(ownerKey, 'POST', '/quarry/iam/users', { userName: 'tenant-user' });
    assert.equal(made.status, 201);
    const tenantView = await events(ownerKey, '?maxResults=1000');
    assert.ok(tenantView.events.length >= 1);
    assert.ok(tenantView.events.every((e) => e.accountId === tenantId));
    assert.ok(tenantView.events.some((e) => e.requestId === made.requestId));
    const other = await call(ownerKey, 'GET', '/quarry/audit/events?accountId=000000000000');
    assert.equal(other.status, 403);

    // A user of the default account granted LookupEvents reads that account's trail, and no other.
    await admin('POST', '/quarry/iam/policies', { policyName: 'auditor', policyDocument: policy({ Effect: 'Allow', Action: 'quarry:LookupEvents', Resource: '*' }) });
    assert.equal((await admin('PUT', '/quarry/iam/users/alice/policies/auditor')).status, 204);
    const aliceView = await events(aliceKey, '?maxResults=1000');
    assert.ok(aliceView.events.length >= 1);
    assert.ok(aliceView.events.every((e) => e.accountId === '000000000000'));
    assert.equal((await call(aliceKey, 'GET', `/quarry/audit/events?accountId=${tenantId}`)).status, 403);

    // The operator sees every account, or one.
    const operator = await events(TEST_API_KEY, '?maxResults=1000');
    assert.ok(operator.events.some((e) => e.accountId === tenantId));
    assert.ok(operator.events.some((e) => e.accountId === '000000000000'));
    const one = await events(TEST_API_KEY, `?accountId=${tenantId}&maxResults=1000`);
    assert.ok(one.events.length >= 1 && one.events.every((e) => e.accountId === tenantId));

    const v = await call(ownerKey, 'POST', '/quarry/audit/verify');
    assert.equal(v.status, 200);
    assert.deepEqual(
      (v.body.chains as { accountId: string }[]).map((c) => c.accountId),
      [tenantId],
    );
    assert.equal((await call(ownerKey, 'POST', '/quarry/audit/verify', { accountId: '000000000000' })).status, 403);
  });

  test('verify over the API: valid, then tampering found at the right event', async () => {
    const ok = await admin('POST', '/quarry/audit/verify');
    assert.equal(ok.status, 200);
    assert.equal(ok.body.valid, true, JSON.stringify(ok.body));
    await server.audit.flush();
    await sql`UPDATE audit_events SET outcome = 'success', error_code = NULL WHERE account_id = '000000000000' AND error_code = 'AccessDeniedException'`.execute(server.store.db);
    const bad = await admin('POST', '/quarry/audit/verify', { accountId: '000000000000' });
    assert.equal(bad.body.valid, false);
    const chain = (bad.body.chains as { firstBreak: { reason: string; eventId: string } }[])[0]!;
    assert.equal(chain.firstBreak.reason, 'modified');
    const r = await admin('POST', '/quarry/audit/verify', { anchors: [{ accountId: '000000000000', sequence: 1, hash: 'nothex' }] });
    assert.equal(r.status, 400);
  });
});

describe('with data-plane auditing on', () => {
  let server: TestServer;
  const call = client(() => server);
  before(async () => {
    server = await startTestServer('audit:\n  dataPlane: true\n');
  });
  after(async () => {
    await server.stop();
  });

  test('Converse, InvokeModel and chat completions are recorded with the model, never the prompt', async () => {
    const conv = await call(TEST_API_KEY, 'POST', '/model/scripted.echo-v1:0/converse', { messages: [{ role: 'user', content: [{ text: 'PROMPT-TEXT-1' }] }] });
    assert.equal(conv.status, 200);
    const chat = await call(TEST_API_KEY, 'POST', '/v1/chat/completions', { model: 'scripted.echo-v1:0', messages: [{ role: 'user', content: 'PROMPT-TEXT-2' }], stream: true });
    assert.equal(chat.status, 200);
    const missing = await call(TEST_API_KEY, 'POST', '/model/no.such-model/converse', { messages: [{ role: 'user', content: [{ text: 'x' }] }] });
    assert.equal(missing.status >= 400, true);
    await server.audit.flush();
    const list = await call(TEST_API_KEY, 'GET', '/quarry/audit/events?category=data&maxResults=100');
    const evs = list.body.events as Event[];
    const c = evs.find((e) => e.requestId === conv.requestId);
    assert.ok(c);
    assert.equal(c.eventName, 'Converse');
    assert.equal(c.action, 'bedrock:InvokeModel');
    assert.equal(c.wireApi, 'bedrock-runtime');
    assert.deepEqual(c.resources, ['arn:aws:bedrock:us-east-1::foundation-model/scripted.echo-v1:0']);
    assert.deepEqual(c.requestParameters, { modelId: 'scripted.echo-v1:0' });
    const s = evs.find((e) => e.requestId === chat.requestId);
    assert.equal(s?.eventName, 'ChatCompletionsStream');
    assert.equal(s?.action, 'bedrock:InvokeModelWithResponseStream');
    assert.equal(s?.wireApi, 'openai');
    assert.deepEqual(s?.requestParameters, { modelId: 'scripted.echo-v1:0', stream: true });
    const m = evs.find((e) => e.requestId === missing.requestId);
    assert.equal(m?.outcome, 'error');
    assert.ok(m?.errorCode);
    const text = JSON.stringify(evs);
    assert.ok(!text.includes('PROMPT-TEXT'), 'prompts are not recorded');
    const v = await call(TEST_API_KEY, 'POST', '/quarry/audit/verify');
    assert.equal(v.body.valid, true);
  });

  test('Responses are recorded as Responses / ResponsesStream (a continuation too), reading one back as GetResponse', async () => {
    const model = 'scripted.echo-v1:0';
    const plain = await call(TEST_API_KEY, 'POST', '/v1/responses', { model, input: 'PROMPT-TEXT-3' });
    assert.equal(plain.status, 200);
    const id = plain.body.id as string;
    const streamed = await call(TEST_API_KEY, 'POST', '/v1/responses', { model, input: 'PROMPT-TEXT-4', previous_response_id: id, stream: true });
    assert.equal(streamed.status, 200);
    const read = await call(TEST_API_KEY, 'GET', `/v1/responses/${id}`);
    assert.equal(read.status, 200);
    await server.audit.flush();
    const list = await call(TEST_API_KEY, 'GET', '/quarry/audit/events?maxResults=100');
    const evs = list.body.events as Event[];
    const p = evs.find((e) => e.requestId === plain.requestId);
    assert.deepEqual([p?.eventName, p?.action, p?.category, p?.wireApi], ['Responses', 'bedrock:InvokeModel', 'data', 'openai']);
    assert.deepEqual(p?.resources, [`arn:aws:bedrock:us-east-1::foundation-model/${model}`]);
    const s = evs.find((e) => e.requestId === streamed.requestId);
    assert.deepEqual([s?.eventName, s?.action], ['ResponsesStream', 'bedrock:InvokeModelWithResponseStream']);
    const r = evs.find((e) => e.requestId === read.requestId);
    assert.deepEqual([r?.eventName, r?.action, r?.category, r?.readOnly], ['GetResponse', 'quarry:GetResponse', 'management', true]);
    assert.ok(!JSON.stringify(evs).includes('PROMPT-TEXT'), 'prompts are not recorded');
  });

  test('a metrics scrape is recorded as quarry:GetMetrics, a read with the data plane', async () => {
    const r = await call(TEST_API_KEY, 'GET', '/metrics');
    assert.equal(r.status, 200);
    await server.audit.flush();
    const list = await call(TEST_API_KEY, 'GET', '/quarry/audit/events?category=data&maxResults=100');
    const e = (list.body.events as Event[]).find((x) => x.requestId === r.requestId);
    assert.equal(e?.action, 'quarry:GetMetrics');
    assert.equal(e?.eventName, 'GetMetrics');
    assert.equal(e?.readOnly, true);
  });
});
