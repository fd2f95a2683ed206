// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written ${…} in plain strings
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Authorizer } from './authorizer.js';
import { type AttachedPolicy, decidedByActionAndResource, type PolicyStatement, parsePolicyDocument } from './policy/index.js';
import type { Principal } from './principal.js';

const MODEL = 'arn:aws:bedrock:us-east-1::foundation-model/acme.chat-v1:0';
const user: Principal = { id: 'u1', name: 'ann', keyId: 'k1', isAdmin: false, accountId: '000000000000', authMethod: 'bearer' };
const attached = (...statements: PolicyStatement[]): readonly AttachedPolicy[] =>
  Object.freeze([Object.freeze({ id: 'p', document: parsePolicyDocument(JSON.stringify({ Version: '2012-10-17', Statement: statements })) })]);
const allowInvoke: PolicyStatement = { Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: '*' };

/** An authorizer over a list that the test swaps, counting how often the request's conditions are built. */
function setUp(first: readonly AttachedPolicy[]) {
  let list = first;
  const authorizer = new Authorizer({ policiesFor: async () => list }, '000000000000');
  let built = 0;
  const check = (resource = MODEL, ip = '10.0.0.1') =>
    authorizer.check(user, 'bedrock:InvokeModel', resource, () => {
      built++;
      return { 'aws:SourceIp': ip };
    });
  return { check, built: () => built, swap: (l: readonly AttachedPolicy[]) => (list = l) };
}

test('policies without conditions or variables decide on the action and resource alone; any condition or ${…} in a resource says otherwise', () => {
  assert.equal(decidedByActionAndResource([]), true);
  assert.equal(decidedByActionAndResource(attached(allowInvoke, { Effect: 'Deny', Action: 'bedrock:*', Resource: 'arn:aws:bedrock:*::foundation-model/x.*' })), true);
  assert.equal(decidedByActionAndResource(attached({ ...allowInvoke, Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })), false);
  assert.equal(decidedByActionAndResource(attached({ ...allowInvoke, Resource: 'arn:aws:bedrock:us-east-1:000000000000:agent/${aws:username}' })), false);
});

test('an allow by such policies is remembered for the same list: the request conditions are not even built again', async () => {
  const s = setUp(attached(allowInvoke));
  await s.check();
  await s.check();
  assert.equal(s.built(), 1);
  await s.check('arn:aws:bedrock:us-east-1::foundation-model/other');
  assert.equal(s.built(), 2, 'another resource is evaluated');
});

test('a new list of policies (a change, or the cache refreshed) is evaluated afresh, so a Deny added takes effect', async () => {
  const s = setUp(attached(allowInvoke));
  await s.check();
  s.swap(attached(allowInvoke, { Effect: 'Deny', Action: 'bedrock:InvokeModel', Resource: MODEL }));
  await assert.rejects(s.check(), /explicit deny/);
  await assert.rejects(s.check(), /explicit deny/, 'a denial is never remembered as an allow');
});

test('policies with conditions are evaluated on every call, with that call’s conditions', async () => {
  const s = setUp(attached({ ...allowInvoke, Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }));
  await s.check(MODEL, '10.0.0.1');
  await s.check(MODEL, '10.0.0.1');
  assert.equal(s.built(), 2);
  await assert.rejects(s.check(MODEL, '192.168.0.1'), /AccessDenied|not authorized/);
});
