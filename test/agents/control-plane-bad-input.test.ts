import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TEST_API_KEY, type TestServer, startTestServer } from '../support/start-test-server.js';

/**
 * Hostile and malformed requests to the agent control plane over HTTP: each is a clear Bedrock-shaped error
 * (`x-amzn-errortype` + `{message}`), and nothing is half-written.
 */
let server: TestServer;
let otherAdmin: string;
let otherUser: string;
const LIMIT = 512 * 1024;
const INSTRUCTION = 'You answer questions about the weather in the cities the user names.';

before(async () => {
  server = await startTestServer(`limits:\n  maxBodyBytes: ${LIMIT}\nagents:\n  functions:\n    weather: { url: "http://127.0.0.1:9/weather" }\n`);
  const other = await server.iam.createAccount('other-team');
  otherAdmin = (await server.keys.addBearerKey(await server.keys.createPrincipal('other-admin', true, other.accountId))).apiKey;
  otherUser = (await server.keys.addBearerKey(await server.keys.createPrincipal('other-user', false, other.accountId))).apiKey;
});
after(async () => {
  await server?.stop();
});

async function call(method: string, path: string, body?: unknown, key = TEST_API_KEY) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('x-amzn-errortype')?.split(':')[0], json: (text ? JSON.parse(text) : {}) as Record<string, any> };
}

async function expectError(r: Awaited<ReturnType<typeof call>>, status: number, type: string, message: RegExp) {
  assert.equal(r.status, status, JSON.stringify(r.json));
  assert.equal(r.type, type);
  assert.match(String(r.json.message), message);
}

async function newAgent(name: string, extra: Record<string, unknown> = {}) {
  const r = await call('PUT', '/agents/', { agentName: name, instruction: INSTRUCTION, foundationModel: 'scripted.echo-v1:0', ...extra });
  assert.equal(r.status, 202, JSON.stringify(r.json));
  return r.json.agent.agentId as string;
}

const group = (agentId: string, body: unknown, version = 'DRAFT') => call('PUT', `/agents/${agentId}/agentversions/${version}/actiongroups/`, body);

test('malformed bodies, unknown fields and Bedrock limits are ValidationExceptions that say what is wrong', async () => {
  const cases: Array<[unknown, RegExp]> = [
    ['{"agentName": ', /not valid JSON/],
    ['', /empty/],
    [{ agentName: 'x', colour: 'red' }, /colour/],
    [{ agentName: 'has spaces' }, /agentName/],
    [{ agentName: 'short', instruction: 'Too short.' }, /at least 40 characters/],
    [{ agentName: 'ttl', idleSessionTTLInSeconds: 5 }, /idleSessionTTLInSeconds/],
    [{ agentName: 'collab', agentCollaboration: 'ANARCHY' }, /agentCollaboration/],
    [{ agentName: 'custom', orchestrationType: 'CUSTOM_ORCHESTRATION' }, /CUSTOM_ORCHESTRATION .* is not supported/],
    [{ agentName: 'mem', memoryConfiguration: { enabledMemoryTypes: ['EVERYTHING'] } }, /SESSION_SUMMARY/],
    [{ agentName: 'parser', promptOverrideConfiguration: { promptConfigurations: [{ promptType: 'ORCHESTRATION', parserMode: 'OVERRIDDEN' }] } }, /parser overrides/],
    [{ agentName: 'g', guardrailConfiguration: { guardrailIdentifier: 'abc' } }, /go together/],
  ];
  for (const [body, message] of cases) await expectError(await call('PUT', '/agents/', body), 400, 'ValidationException', message);
  assert.equal((await call('POST', '/agents/', {})).json.agentSummaries.length, 0);
  await expectError(await call('PUT', '/agents/', { agentName: 'big', description: 'x'.repeat(LIMIT) }), 413, 'RequestEntityTooLargeException', /larger than/);
});

test('duplicate names are ConflictExceptions; a retried create with the same clientToken is the same agent', async () => {
  const token = 'a'.repeat(36);
  const first = await call('PUT', '/agents/', { agentName: 'dup', clientToken: token });
  const retry = await call('PUT', '/agents/', { agentName: 'dup', clientToken: token });
  assert.equal(retry.json.agent.agentId, first.json.agent.agentId);
  await expectError(await call('PUT', '/agents/', { agentName: 'dup' }), 409, 'ConflictException', /already exists/);
  const id = first.json.agent.agentId;
  const ag = { actionGroupName: 'same', actionGroupExecutor: { customControl: 'RETURN_CONTROL' }, functionSchema: { functions: [{ name: 'f' }] } };
  assert.equal((await group(id, ag)).status, 200);
  await expectError(await group(id, ag), 409, 'ConflictException', /already has an action group named same/);
  const ask = { actionGroupName: 'ask', parentActionGroupSignature: 'AMAZON.UserInput' };
  assert.equal((await group(id, ask)).status, 200);
  await expectError(await group(id, { ...ask, actionGroupName: 'second' }), 409, 'ConflictException', /already has the AMAZON\.UserInput/);
  const alias = { agentAliasName: 'one', routingConfiguration: [{ agentVersion: '7' }] };
  await expectError(await call('PUT', `/agents/${id}/agentaliases/`, alias), 400, 'ValidationException', /has no version 7/);
});

test('action groups: invalid OpenAPI, unsupported built-ins, S3, unregistered functions and wrong combinations', async () => {
  const id = await newAgent('tools');
  const rc = { customControl: 'RETURN_CONTROL' };
  const fn = { functions: [{ name: 'f' }] };
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ actionGroupExecutor: rc, apiSchema: { payload: 'openapi: 3.0.0\npaths:\n  /x:\n    get: {}\n' } }, /not a valid OpenAPI 3 document: "info" must be .*GET \/x needs "responses"/],
    [{ actionGroupExecutor: rc, apiSchema: { payload: '{"swagger": "2.0"' } }, /not valid JSON/],
    [{ actionGroupExecutor: rc, apiSchema: { s3: { s3BucketName: 'b', s3ObjectKey: 'k' } } }, /Quarry has no S3/],
    [{ parentActionGroupSignature: 'AMAZON.CodeInterpreter' }, /AMAZON\.CodeInterpreter is not supported/],
    [{ parentActionGroupSignature: 'AMAZON.UserInput', actionGroupExecutor: rc }, /built in/],
    [{ actionGroupExecutor: { lambda: 'arn:aws:lambda:us-east-1:000000000000:function:nope' }, functionSchema: fn }, /No function named nope .*registered: weather/],
    [{ actionGroupExecutor: { lambda: 'http://evil.example/' }, functionSchema: fn }, /must be a function ARN/],
    [{ actionGroupExecutor: rc }, /exactly one of functionSchema .* and apiSchema/],
    [{ actionGroupExecutor: rc, functionSchema: fn, apiSchema: { payload: '{}' } }, /exactly one of/],
    [{ functionSchema: fn }, /needs an actionGroupExecutor/],
    [{ actionGroupExecutor: { customControl: 'ASK_NICELY' }, functionSchema: fn }, /actionGroupExecutor\.customControl: .*RETURN_CONTROL/],
    [{ actionGroupExecutor: rc, functionSchema: { functions: [{ name: 'f' }, { name: 'f' }] } }, /function f is defined twice/],
    [{ actionGroupExecutor: rc, functionSchema: { functions: [{ name: 'f', parameters: { p: { type: 'date' } } }] } }, /type/],
  ];
  for (const [body, message] of cases) await expectError(await group(id, { actionGroupName: 'g', ...body }), 400, 'ValidationException', message);
  assert.equal((await call('POST', `/agents/${id}/agentversions/DRAFT/actiongroups/`, {})).json.actionGroupSummaries.length, 0);
  // Nothing was half-written: the draft was never touched.
  assert.equal((await call('GET', `/agents/${id}/`)).json.agent.agentStatus, 'NOT_PREPARED');
});

test('Prepare refuses an unknown model with the reason, and records it on the agent', async () => {
  const id = await newAgent('ghost-model', { foundationModel: 'acme.does-not-exist-v1:0' });
  await expectError(await call('POST', `/agents/${id}/`), 400, 'ValidationException', /foundationModel acme\.does-not-exist-v1:0 cannot be used/);
  const agent = (await call('GET', `/agents/${id}`)).json.agent;
  assert.equal(agent.agentStatus, 'NOT_PREPARED');
  assert.match(agent.failureReasons[0], /acme\.does-not-exist-v1:0/);
  await expectError(await call('PUT', `/agents/${id}/agentaliases/`, { agentAliasName: 'live' }), 409, 'ConflictException', /prepare it/);
});

test('versions are immutable, the DRAFT cannot be deleted alone, a routed version cannot be deleted, the test alias cannot change', async () => {
  const id = await newAgent('versions');
  assert.equal((await call('POST', `/agents/${id}/`)).status, 202);
  const alias = (await call('PUT', `/agents/${id}/agentaliases/`, { agentAliasName: 'live' })).json.agentAlias;
  await expectError(await group(id, { actionGroupName: 'late', parentActionGroupSignature: 'AMAZON.UserInput' }, '1'), 400, 'ValidationException', /immutable/);
  await expectError(await call('DELETE', `/agents/${id}/agentversions/DRAFT/`), 400, 'ValidationException', /delete the agent instead/);
  await expectError(await call('DELETE', `/agents/${id}/agentversions/1/`), 409, 'ConflictException', /in use by alias live/);
  await expectError(await call('GET', `/agents/${id}/agentversions/01/`), 404, 'ResourceNotFoundException', /not found/);
  await expectError(await call('PUT', `/agents/${id}/agentaliases/${alias.agentAliasId}/`, { agentAliasName: 'live', routingConfiguration: [{ agentVersion: 'DRAFT' }] }), 400, 'ValidationException', /Only the test alias/);
  await expectError(await call('PUT', `/agents/${id}/agentaliases/TSTALIASID/`, { agentAliasName: 'x' }), 400, 'ValidationException', /cannot be changed/);
  await expectError(await call('PUT', `/agents/${id}/agentaliases/`, { agentAliasName: 'pt', routingConfiguration: [{ agentVersion: '1', provisionedThroughput: 'arn:x' }] }), 400, 'ValidationException', /Provisioned throughput/);
  await expectError(await call('PUT', `/agents/${id}/agentaliases/`, { agentAliasName: 'two', routingConfiguration: [{ agentVersion: '1' }, { agentVersion: '1' }] }), 400, 'ValidationException', /exactly one version/);
});

test("another account's agents are not found, its knowledge bases cannot be associated, and a user without a policy is denied", async () => {
  const id = await newAgent('mine');
  await expectError(await call('GET', `/agents/${id}/`, undefined, otherAdmin), 404, 'ResourceNotFoundException', /not found/);
  await expectError(await call('POST', `/agents/${id}/`, undefined, otherAdmin), 404, 'ResourceNotFoundException', /not found/);
  await expectError(await call('DELETE', `/agents/${id}/?skipResourceInUseCheck=true`, undefined, otherAdmin), 404, 'ResourceNotFoundException', /not found/);
  await expectError(await group(id, { actionGroupName: 'x', parentActionGroupSignature: 'AMAZON.UserInput' }).then(() => call('POST', `/agents/${id}/agentversions/DRAFT/actiongroups/`, {}, otherAdmin)), 404, 'ResourceNotFoundException', /not found/);
  assert.equal((await call('POST', '/agents/', {}, otherAdmin)).json.agentSummaries.length, 0);

  const theirs = await call('PUT', '/knowledgebases/', { name: 'theirs', knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: 'scripted.embed-v1:0' } } }, otherAdmin);
  assert.equal(theirs.status, 202, JSON.stringify(theirs.json));
  const kb = { knowledgeBaseId: theirs.json.knowledgeBase.knowledgeBaseId, description: 'not yours' };
  await expectError(await call('PUT', `/agents/${id}/agentversions/DRAFT/knowledgebases/`, kb), 404, 'ResourceNotFoundException', /Knowledge base .* was not found/);
  await expectError(await call('PUT', `/agents/${id}/agentversions/DRAFT/knowledgebases/`, { ...kb, knowledgeBaseId: 'lowercase' }), 400, 'ValidationException', /knowledge-base id/);

  await expectError(await call('PUT', '/agents/', { agentName: 'denied' }, otherUser), 403, 'AccessDeniedException', /bedrock:CreateAgent/);
  await expectError(await call('GET', `/agents/${id}/`, undefined, otherUser), 403, 'AccessDeniedException', /bedrock:GetAgent/);
});

test('ids that cannot be ids are not found, never reach a query or a policy as written', async () => {
  for (const path of ['/agents/abc/', '/agents/..%2F..%2Fetc/', '/agents/AAAAAAAAAAA/', '/agents/AAAAAAAAAA/agentaliases/tstaliasid/']) {
    const r = await call('GET', path);
    assert.equal(r.status, 404, path);
    assert.equal(r.type, 'ResourceNotFoundException', path);
  }
  await expectError(await call('GET', '/agents/AAAAAAAAAA/agentversions/DRAFT/actiongroups/'), 404, 'ResourceNotFoundException', /not found|No API/);
});

test('collaborators: only for supervisors, never the agent itself, never the test alias, never another account', async () => {
  const worker = await newAgent('worker');
  assert.equal((await call('POST', `/agents/${worker}/`)).status, 202);
  const live = (await call('PUT', `/agents/${worker}/agentaliases/`, { agentAliasName: 'live' })).json.agentAlias;
  const plain = await newAgent('plain');
  const body = (arn: string) => ({ agentDescriptor: { aliasArn: arn }, collaboratorName: 'w', collaborationInstruction: 'Delegate the work.' });
  const path = (id: string) => `/agents/${id}/agentversions/DRAFT/agentcollaborators/`;
  await expectError(await call('PUT', path(plain), body(live.agentAliasArn)), 400, 'ValidationException', /agentCollaboration DISABLED/);
  const sup = await newAgent('boss', { agentCollaboration: 'SUPERVISOR' });
  await expectError(await call('PUT', path(sup), body(`arn:aws:bedrock:us-east-1:000000000000:agent-alias/${sup}/TSTALIASID`)), 400, 'ValidationException', /its own collaborator/);
  await expectError(await call('PUT', path(sup), body(`arn:aws:bedrock:us-east-1:000000000000:agent-alias/${worker}/TSTALIASID`)), 400, 'ValidationException', /released aliases/);
  await expectError(await call('PUT', path(sup), body(`arn:aws:bedrock:us-east-1:111122223333:agent-alias/${worker}/${live.agentAliasId}`)), 404, 'ResourceNotFoundException', /not found in this account/);
  await expectError(await call('PUT', path(sup), body('arn:aws:s3:::bucket')), 400, 'ValidationException', /agent alias ARN/);
  assert.equal((await call('PUT', path(sup), body(live.agentAliasArn))).status, 200);
  await expectError(await call('PUT', `/agents/${sup}/`, { agentName: 'boss', instruction: INSTRUCTION, foundationModel: 'scripted.echo-v1:0' }), 400, 'ValidationException', /disassociate them/);
});
