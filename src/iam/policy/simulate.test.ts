// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written ${…} in plain strings
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuarryError } from '../../core/errors.js';
import type { Action } from './actions.js';
import type { RequestContext } from './context-keys.js';
import { evaluate } from './evaluate-policy.js';
import type { ConditionBlock, PolicyStatement } from './policy-document.js';
import { ACCOUNT, alice, doc, fm, kb, policies, user } from './policy-test-kit.js';
import { simulate } from './simulate.js';

const P = policies(
  doc(
    { Sid: 'Invoke', Effect: 'Allow', Action: 'bedrock:Invoke*', Resource: 'arn:aws:bedrock:*::foundation-model/*' },
    { Sid: 'OwnKb', Effect: 'Allow', Action: 'bedrock:Retrieve', Resource: 'arn:aws:bedrock:*:*:knowledge-base/${aws:PrincipalTag/kb}' },
    { Sid: 'Tagged', Effect: 'Allow', Action: 'bedrock:CreateKnowledgeBase', Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/team': 'search' } } },
  ),
  doc({ Sid: 'Office', Effect: 'Deny', Action: '*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }),
);
const office: RequestContext = { 'aws:SourceIp': '10.0.0.1' };

test('simulate: the decision, the deciding statement, and why each other statement did not apply', () => {
  const r = simulate({ principal: alice, action: 'bedrock:InvokeModel', resource: fm('m'), context: office }, P);
  assert.deepEqual(r.decision, { allowed: true, reason: 'allowed', statement: { policyId: 'p1', sid: 'Invoke', index: 0 } });
  assert.equal(r.statements.length, 4);
  const [invoke, ownKb, tagged, officeRule] = r.statements;
  assert.equal(invoke!.applies && invoke!.decisive, true);
  assert.deepEqual(invoke!.reasons, []);
  assert.deepEqual(ownKb!.action, { element: 'Action', entries: ['bedrock:Retrieve'], matched: false });
  assert.deepEqual(ownKb!.missingVariables, ['aws:principaltag/kb']);
  assert.equal(ownKb!.resource.matched, undefined, 'a missing variable stops the statement before resources are compared');
  assert.match(ownKb!.reasons.join('\n'), /Action does not match bedrock:InvokeModel[\s\S]*\$\{aws:principaltag\/kb\} has no single value/);
  assert.equal(tagged!.conditions[0]!.result, 'missingKey');
  assert.match(tagged!.reasons.join('\n'), /StringEquals on aws:RequestTag\/team: the request has no value for the key/);
  assert.deepEqual(officeRule!.conditions, [{ operator: 'NotIpAddress', key: 'aws:SourceIp', values: ['10.0.0.0/8'], result: 'valueMismatch', requestValue: '10.0.0.1' }]);
  assert.equal(officeRule!.decisive, false);
  assert.match(officeRule!.reasons[0]!, /NotIpAddress on aws:SourceIp: request value "10.0.0.1" fails against \["10.0.0.0\/8"\]/);
});

test('simulate: an explicit deny is decisive and reported as such', () => {
  const r = simulate({ principal: alice, action: 'bedrock:InvokeModel', resource: fm('m'), context: { 'aws:SourceIp': '192.0.2.1' } }, P);
  assert.equal(r.decision.reason, 'explicitDeny');
  const decisive = r.statements.filter((s) => s.decisive);
  assert.deepEqual(decisive.map((s) => s.sid), ['Office']);
  assert.equal(r.statements[0]!.applies, true, 'the allow applied too, and lost');
});

test('simulate: NotAction and NotResource reasons, and tag variables resolved from the context', () => {
  const p = policies(doc({ Effect: 'Allow', NotAction: 'bedrock:Delete*', NotResource: kb('SECRET') }));
  const del = simulate({ principal: alice, action: 'bedrock:DeleteKnowledgeBase', resource: kb('SECRET') }, p);
  assert.deepEqual(del.statements[0]!.reasons, ['NotAction excludes bedrock:DeleteKnowledgeBase', `NotResource excludes ${kb('SECRET')}`]);
  const ok = simulate({ principal: alice, action: 'bedrock:Retrieve', resource: kb('KB1'), context: { ...office, 'aws:PrincipalTag/kb': 'KB1' } }, P);
  assert.equal(ok.decision.statement?.sid, 'OwnKb');
});

test('simulate reads what a person types: any-case action, non-canonical prefix; and says so', () => {
  const r = simulate({ principal: alice, action: 'BEDROCK:invokemodel', resource: 'ARN:AWS:BEDROCK:US-EAST-1::foundation-model/m', context: office }, P);
  assert.equal(r.action, 'bedrock:InvokeModel');
  assert.equal(r.resource, fm('m'));
  assert.equal(r.decision.allowed, true);
  assert.ok(r.warnings.some((w) => w.includes(`read as ${fm('m')}`)));
  assert.throws(() => simulate({ principal: alice, action: 'bedrock:InvokeModel', resource: `${fm('m')}/../x` }, P), (e: unknown) => QuarryError.isInstance(e) && e.code === 'ValidationException');
  assert.throws(() => simulate({ principal: alice, action: 'invoke', resource: '*' }, P), /expected service:Name/);
});

test('simulate warnings: unknown actions, wrong resource types, condition keys nothing sets, Action entries matching nothing', () => {
  const p = policies(doc({ Effect: 'Allow', Action: ['bedrock:InvokeModle', 'bedrock:Invoke*'], Resource: '*', Condition: { StringEquals: { 'acme:Project': 'x' } } }));
  const unknown = simulate({ principal: alice, action: 'bedrock:Converse', resource: fm('m') }, p);
  assert.ok(unknown.warnings.some((w) => /bedrock:Converse is not an action Quarry authorizes/.test(w)));
  assert.ok(unknown.warnings.some((w) => /Action bedrock:InvokeModle matches no action Quarry knows/.test(w)));
  assert.ok(!unknown.warnings.some((w) => /acme:Project/.test(w)), 'keys only matter where the action applies');
  const unset = simulate({ principal: alice, action: 'bedrock:InvokeModel', resource: fm('m') }, p);
  assert.ok(unset.warnings.some((w) => /condition key acme:Project is neither in the context nor one Quarry sets/.test(w)));
  const wrongType = simulate({ principal: alice, action: 'bedrock:Retrieve', resource: fm('m') }, p);
  assert.ok(wrongType.warnings.some((w) => /bedrock:Retrieve acts on a knowledge-base, not a foundation-model/.test(w)));
  const noResource = simulate({ principal: alice, action: 'bedrock:ListKnowledgeBases', resource: kb('K') }, p);
  assert.ok(noResource.warnings.some((w) => /takes no resource/.test(w)));
  const needsOne = simulate({ principal: alice, action: 'bedrock:GetKnowledgeBase', resource: '*' }, p);
  assert.ok(needsOne.warnings.some((w) => /acts on a knowledge-base; routes authorize it on that resource's ARN/.test(w)));
  const clean = simulate({ principal: alice, action: 'bedrock:InvokeModel', resource: fm('m'), context: office }, P);
  assert.deepEqual(clean.warnings, []);
});

/** A small seeded generator, so a failure names a case that can be replayed. */
function rng(seed: number) {
  return (n: number) => {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) | 0;
    return ((seed >>> 0) % 1_000_003) % n;
  };
}

test('simulate and evaluate agree on 3,000 random policy sets and requests', () => {
  const pick = <T>(r: (n: number) => number, xs: readonly T[]): T => xs[r(xs.length)]!;
  const actionPatterns = ['*', 'bedrock:*', 'quarry:*', 'bedrock:Invoke*', 'bedrock:Retrieve', 'bedrock:*KnowledgeBase*', 'quarry:*ApiKey*', 'bedrock:Get?nowledgeBase'];
  const resources = ['*', 'arn:aws:bedrock:*:*:knowledge-base/*', kb('KB1'), 'arn:aws:bedrock:*::foundation-model/*', 'arn:aws:bedrock:*', 'arn:aws:bedrock:*:*:user/${aws:username}', `arn:aws:bedrock:us-east-1:${ACCOUNT}:knowledge-base/KB?`];
  const conditions: (ConditionBlock | undefined)[] = [
    undefined,
    { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
    { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] } },
    { StringEquals: { 'aws:RequestTag/team': ['a', 'b'] } },
    { StringNotLikeIfExists: { 'aws:RequestTag/team': 'x*' } },
    { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'env'] } },
    { 'ForAnyValue:StringLike': { 'aws:TagKeys': 'sec*' } },
    { NumericLessThanEquals: { 'quarry:MaxTokens': 100 } },
    { Bool: { 'aws:SecureTransport': true } },
    { Null: { 'aws:RequestTag/team': 'true' } },
    { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } },
  ];
  const requests: [Action, string][] = [
    ['bedrock:InvokeModel', fm('m')],
    ['bedrock:Retrieve', kb('KB1')],
    ['bedrock:Retrieve', kb('KB22')],
    ['bedrock:GetKnowledgeBase', kb('KB1')],
    ['bedrock:ListKnowledgeBases', '*'],
    ['quarry:CreateApiKey', user('alice')],
    ['quarry:CreateApiKey', user('bob')],
  ];
  const contexts: RequestContext[] = [
    {},
    { 'aws:SourceIp': '10.1.1.1', 'aws:SecureTransport': true },
    { 'aws:SourceIp': '2001:db8::1', 'aws:RequestTag/team': 'a', 'aws:TagKeys': ['team'] },
    { 'aws:SourceIp': '192.0.2.1', 'aws:RequestTag/team': 'xyz', 'aws:TagKeys': ['team', 'secret'], 'quarry:MaxTokens': 50 },
  ];
  const r = rng(7);
  const statement = (): PolicyStatement => {
    const s: PolicyStatement = { Effect: r(3) === 0 ? 'Deny' : 'Allow' };
    if (r(4) === 0) s.NotAction = pick(r, actionPatterns);
    else s.Action = [pick(r, actionPatterns), pick(r, actionPatterns)];
    if (r(4) === 0) s.NotResource = pick(r, resources);
    else s.Resource = pick(r, resources);
    const c = pick(r, conditions);
    if (c) s.Condition = c;
    return s;
  };
  // A pool of documents, so that each is compiled once and the loop measures decisions, not parsing.
  const pool = Array.from({ length: 200 }, () => doc(...Array.from({ length: 1 + r(4) }, statement)));
  let allowedCount = 0;
  let denied = 0;
  for (let i = 0; i < 3000; i++) {
    const docs = Array.from({ length: 1 + r(3) }, () => pick(r, pool));
    const attached = policies(...docs);
    const [action, resource] = pick(r, requests);
    const principal = r(5) === 0 ? { id: 'nameless' } : alice;
    const context = pick(r, contexts);
    const fast = evaluate({ principal, action, resource, context }, attached);
    const slow = simulate({ principal, action, resource, context }, attached);
    assert.deepEqual(slow.decision, fast, `case ${i}: ${JSON.stringify({ docs, action, resource, context })}`);
    if (fast.allowed) allowedCount++;
    if (fast.reason === 'explicitDeny') denied++;
    assert.equal(slow.statements.filter((s) => s.decisive).length, fast.statement ? 1 : 0);
  }
  // The generator reaches all three outcomes often enough to mean something.
  assert.ok(allowedCount > 300 && denied > 300 && 3000 - allowedCount - denied > 300, `${allowedCount} allowed, ${denied} denied`);
});
