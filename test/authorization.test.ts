import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AttachedPolicy, PolicySource, Principal } from '../src/iam/index.js';
import { parsePolicyDocument } from '../src/iam/index.js';
import { TEST_API_KEY, type TestServer, startTestServer } from './support/start-test-server.js';

/**
 * Policies are enforced on every route, in each wire format's own error shape: a principal with no policy can do
 * nothing, one allowed a model can call that model only, and an explicit deny wins over an allow. The policy source is
 * the test's own, so this checks the enforcement, not the IAM store.
 */
const policies = new Map<string, AttachedPolicy[]>();
const source: PolicySource = { policiesFor: async (p: Principal) => policies.get(p.name) ?? [] };
const doc = (statements: object[]): AttachedPolicy => ({ id: `p-${Math.random()}`, document: parsePolicyDocument({ Version: '2012-10-17', Statement: statements }) });

let server: TestServer;
const keys: Record<string, string> = {};

before(async () => {
  server = await startTestServer(`models:\n  - id: scripted.echo-v1:0\n    provider: scripted\n    upstreamModel: echo\n  - id: acme.other-v1:0\n    provider: scripted\n    upstreamModel: echo\n`, { policies: source });
  for (const name of ['nobody', 'reader', 'denied']) {
    const id = await server.keys.createPrincipal(name, false);
    keys[name] = (await server.keys.addBearerKey(id)).apiKey;
  }
  policies.set('reader', [
    doc([
      { Effect: 'Allow', Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], Resource: 'arn:aws:bedrock:us-east-1::foundation-model/scripted.echo-v1:0' },
      { Effect: 'Allow', Action: 'bedrock:List*', Resource: '*' },
    ]),
  ]);
  policies.set('denied', [
    doc([{ Effect: 'Allow', Action: 'bedrock:*', Resource: '*' }]),
    doc([{ Sid: 'NoEcho', Effect: 'Deny', Action: 'bedrock:Invoke*', Resource: 'arn:aws:bedrock:*::foundation-model/scripted.*' }]),
  ]);
});
after(() => server?.stop());

async function call(who: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${who === 'admin' ? TEST_API_KEY : keys[who]}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : undefined;
  return { status: res.status, errorType: res.headers.get('x-amzn-errortype'), json, text };
}

const converse = (model: string) => ({ path: `/model/${encodeURIComponent(model)}/converse`, body: { messages: [{ role: 'user', content: [{ text: 'hi' }] }] } });

describe('authorization on every route', () => {
  test('a principal with no policy is denied everywhere, in each wire format', async () => {
    const c = converse('scripted.echo-v1:0');
    const bedrock = await call('nobody', 'POST', c.path, c.body);
    assert.equal(bedrock.status, 403);
    assert.match(bedrock.errorType ?? '', /AccessDeniedException/);
    assert.match(bedrock.json.message, /not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model\/scripted\.echo-v1:0/);
    const openai = await call('nobody', 'POST', '/v1/chat/completions', { model: 'scripted.echo-v1:0', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(openai.status, 403);
    assert.match(openai.json.error.message, /not authorized/);
    const anthropic = await call('nobody', 'POST', '/v1/messages', { model: 'scripted.echo-v1:0', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, { 'anthropic-version': '2023-06-01' });
    assert.equal(anthropic.status, 403);
    assert.equal(anthropic.json.type, 'error');
    const kbs = await call('nobody', 'POST', '/knowledgebases/', {});
    assert.equal(kbs.status, 403);
    const models = await call('nobody', 'GET', '/foundation-models');
    assert.equal(models.status, 403);
  });

  test('an allow names one model: that model works, streaming too; another does not', async () => {
    const ok = converse('scripted.echo-v1:0');
    assert.equal((await call('reader', 'POST', ok.path, ok.body)).status, 200);
    const stream = await call('reader', 'POST', '/v1/chat/completions', { model: 'scripted.echo-v1:0', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(stream.status, 200);
    const other = converse('acme.other-v1:0');
    assert.equal((await call('reader', 'POST', other.path, other.body)).status, 403);
    assert.equal((await call('reader', 'GET', '/foundation-models')).status, 200);
    assert.equal((await call('reader', 'PUT', '/knowledgebases/', { name: 'x', knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: 'scripted.embed-v1:0' } } })).status, 403);
  });

  test('an explicit deny beats an allow, whatever spelling of the model id is sent', async () => {
    for (const spelling of ['scripted.echo-v1:0', 'arn:aws:bedrock:us-east-1::foundation-model/scripted.echo-v1:0', 'us.scripted.echo-v1:0']) {
      const c = converse(spelling);
      const r = await call('denied', 'POST', c.path, c.body);
      assert.equal(r.status, 403, spelling);
      assert.match(r.json.message, /explicit deny/);
    }
    const raw = await call('denied', 'POST', '/model/scripted%252Eecho-v1%253A0/converse', converse('x').body);
    assert.ok([403, 404].includes(raw.status), `double-encoded id: ${raw.status}`);
    const other = converse('acme.other-v1:0');
    assert.equal((await call('denied', 'POST', other.path, other.body)).status, 200);
  });

  test('administrators are not affected', async () => {
    const c = converse('acme.other-v1:0');
    assert.equal((await call('admin', 'POST', c.path, c.body)).status, 200);
  });
});
