// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written ${…} in plain strings
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuarryError } from '../../core/errors.js';
import { ACTIONS, type Action, canonicalAction, OPERATION_ACTIONS } from './actions.js';
import { authorize } from './authorize.js';
import { evaluate } from './evaluate-policy.js';
import { ACCOUNT, alice, allowed, decide, doc, fm, guardrail, kb, policies, user } from './policy-test-kit.js';

const ALLOW_ALL = doc({ Effect: 'Allow', Action: '*', Resource: '*' });

test('no policies, or none that applies: implicit deny, with no statement', () => {
  assert.deepEqual(decide([], 'bedrock:InvokeModel', fm('m')), { allowed: false, reason: 'implicitDeny' });
  const p = policies(doc({ Effect: 'Allow', Action: 'bedrock:Retrieve', Resource: kb('KB1') }));
  assert.deepEqual(decide(p, 'bedrock:InvokeModel', fm('m')), { allowed: false, reason: 'implicitDeny' });
});

test('explicit deny beats allow, across policies and whatever the order; the deciding statement is named', () => {
  const allow = doc({ Sid: 'Everything', Effect: 'Allow', Action: 'bedrock:*', Resource: '*' });
  const deny = doc({ Effect: 'Allow', Action: 'quarry:GetUsage', Resource: '*' }, { Sid: 'NoSecret', Effect: 'Deny', Action: 'bedrock:Retrieve', Resource: kb('SECRET') });
  for (const [p, denyId] of [
    [policies(allow, deny), 'p2'],
    [policies(deny, allow), 'p1'],
  ] as const) {
    assert.deepEqual(decide(p, 'bedrock:Retrieve', kb('SECRET')), { allowed: false, reason: 'explicitDeny', statement: { policyId: denyId, sid: 'NoSecret', index: 1 } });
    assert.equal(decide(p, 'bedrock:Retrieve', kb('PUBLIC')).reason, 'allowed');
  }
  // The first applicable Allow is reported; a statement without a Sid is named by its index.
  const two = policies(doc({ Effect: 'Allow', Action: 'bedrock:Retrieve', Resource: '*' }), allow);
  assert.deepEqual(decide(two, 'bedrock:Retrieve', kb('X')).statement, { policyId: 'p1', index: 0 });
  // A deny later in the list still wins over an allow found first.
  const late = policies(allow, doc({ Effect: 'Deny', Action: '*', Resource: '*' }));
  assert.equal(decide(late, 'bedrock:Retrieve', kb('X')).reason, 'explicitDeny');
});

test('action wildcards: *, service:*, prefixes, ?, any case; never across a service prefix', () => {
  const cases: [pattern: string, action: string, expected: boolean][] = [
    ['*', 'bedrock:InvokeModel', true],
    ['*', 'quarry:CreateUser', true],
    ['bedrock:*', 'bedrock:InvokeModel', true],
    ['bedrock:*', 'quarry:CreateUser', false],
    ['quarry:*', 'bedrock:InvokeModel', false],
    ['bedrock:Invoke*', 'bedrock:InvokeModel', true],
    ['bedrock:Invoke*', 'bedrock:InvokeModelWithResponseStream', true],
    ['bedrock:Invoke*', 'bedrock:InvokeAgent', true],
    ['bedrock:Invoke*', 'bedrock:ApplyGuardrail', false],
    ['bedrock:*Model', 'bedrock:InvokeModel', true],
    ['bedrock:*Model', 'bedrock:InvokeModelWithResponseStream', false],
    ['bedrock:*KnowledgeBase*', 'bedrock:ListKnowledgeBases', true],
    ['bedrock:Get?nowledgeBase', 'bedrock:GetKnowledgeBase', true],
    ['bedrock:Get?nowledgeBase', 'bedrock:GetKnowledgeBases', false],
    ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', false],
    ['BEDROCK:invokemodel', 'bedrock:InvokeModel', true],
    ['bedrock:INVOKE*', 'bedrock:InvokeModel', true],
    ['quarry:*ApiKey*', 'quarry:CreateApiKey', true],
    ['quarry:*ApiKey*', 'quarry:CreateUser', false],
    // A service whose name starts like another's is a different service.
    ['bedrock:*', 'bedrock-agent:CreateAgent', false],
    ['bedrock-agent:*', 'bedrock:CreateAgent', false],
  ];
  for (const [pattern, action, expected] of cases) {
    const p = policies(doc({ Effect: 'Allow', Action: pattern, Resource: '*' }));
    assert.equal(allowed(p, action, '*'), expected, `${pattern} vs ${action}`);
  }
});

test('resource wildcards: ARNs compared case-sensitively, field by field', () => {
  const cases: [pattern: string, resource: string, expected: boolean][] = [
    ['*', kb('KB1'), true],
    ['arn:aws:bedrock:*:*:knowledge-base/*', kb('KB1'), true],
    ['arn:aws:bedrock:*:*:knowledge-base/*', guardrail('G1'), false],
    [`arn:aws:bedrock:us-east-1:${ACCOUNT}:knowledge-base/KB?`, kb('KB1'), true],
    [`arn:aws:bedrock:us-east-1:${ACCOUNT}:knowledge-base/KB?`, kb('KB12'), false],
    [`arn:aws:bedrock:us-east-1:${ACCOUNT}:knowledge-base/kb1`, kb('KB1'), false],
    ['arn:aws:bedrock:*:999999999999:knowledge-base/*', kb('KB1'), false],
    ['arn:aws:bedrock:eu-*:*:knowledge-base/*', kb('KB1'), false],
    ['arn:aws:bedrock:*::foundation-model/anthropic.*', fm('anthropic.claude-3-haiku-20240307-v1:0'), true],
    ['arn:aws:bedrock:*::foundation-model/anthropic.*', fm('meta.llama3-8b-instruct-v1:0'), false],
    ['arn:aws:bedrock:*:*:*', fm('x'), true],
    [`arn:aws:bedrock:*:${ACCOUNT}:*`, fm('x'), false],
    ['arn:aws:bedrock:*', fm('x'), true],
    ['arn:aws:bedrock:*', kb('KB1'), true],
    ['arn:aws:bedrock:*:knowledge-base/*', kb('KB1'), false],
  ];
  for (const [pattern, resource, expected] of cases) {
    const p = policies(doc({ Effect: 'Allow', Action: ['bedrock:Retrieve', 'bedrock:InvokeModel'], Resource: pattern }));
    const action = resource.includes('foundation-model') ? 'bedrock:InvokeModel' : 'bedrock:Retrieve';
    assert.equal(allowed(p, action, resource), expected, `${pattern} vs ${resource}`);
  }
});

test('actions without a resource are authorized on *: only a * entry matches them', () => {
  const byArn = policies(doc({ Effect: 'Allow', Action: 'bedrock:ListKnowledgeBases', Resource: 'arn:aws:bedrock:*:*:*' }));
  assert.equal(allowed(byArn, 'bedrock:ListKnowledgeBases', '*'), false);
  const byStar = policies(doc({ Effect: 'Allow', Action: 'bedrock:ListKnowledgeBases', Resource: '*' }));
  assert.equal(allowed(byStar, 'bedrock:ListKnowledgeBases', '*'), true);
});

test('NotAction: Allow with NotAction grants everything else; Deny with NotAction fences to a list', () => {
  const notQuarry = policies(doc({ Effect: 'Allow', NotAction: 'quarry:*', Resource: '*' }));
  assert.equal(allowed(notQuarry, 'bedrock:InvokeModel', fm('m')), true);
  assert.equal(allowed(notQuarry, 'quarry:CreateUser', user('bob')), false);
  assert.equal(allowed(notQuarry, 'quarry:CreateUser', user('bob')), false);

  const readOnly = policies(ALLOW_ALL, doc({ Sid: 'ReadOnly', Effect: 'Deny', NotAction: ['bedrock:Get*', 'bedrock:List*', 'bedrock:Retrieve'], Resource: '*' }));
  assert.equal(decide(readOnly, 'bedrock:GetKnowledgeBase', kb('K')).allowed, true);
  assert.equal(decide(readOnly, 'bedrock:ListKnowledgeBases', '*').allowed, true);
  assert.equal(decide(readOnly, 'bedrock:Retrieve', kb('K')).allowed, true);
  assert.deepEqual(decide(readOnly, 'bedrock:DeleteKnowledgeBase', kb('K')), { allowed: false, reason: 'explicitDeny', statement: { policyId: 'p2', sid: 'ReadOnly', index: 0 } });
  assert.equal(decide(readOnly, 'quarry:CreateApiKey', user('alice')).reason, 'explicitDeny');
  // NotAction is case-insensitive like Action.
  const ci = policies(ALLOW_ALL, doc({ Effect: 'Deny', NotAction: 'BEDROCK:RETRIEVE', Resource: '*' }));
  assert.equal(allowed(ci, 'bedrock:Retrieve', kb('K')), true);
});

test('NotResource: applies to every resource it does not list, * included', () => {
  const allBut = policies(doc({ Effect: 'Allow', Action: 'bedrock:*', NotResource: ['arn:aws:bedrock:*:*:knowledge-base/SECRET*'] }));
  assert.equal(allowed(allBut, 'bedrock:Retrieve', kb('PUBLIC')), true);
  assert.equal(allowed(allBut, 'bedrock:Retrieve', kb('SECRET1')), false);
  assert.equal(allowed(allBut, 'bedrock:ListKnowledgeBases', '*'), true);
  const onlyOne = policies(ALLOW_ALL, doc({ Effect: 'Deny', Action: 'bedrock:Retrieve', NotResource: kb('KB1') }));
  assert.equal(allowed(onlyOne, 'bedrock:Retrieve', kb('KB1')), true);
  assert.equal(allowed(onlyOne, 'bedrock:Retrieve', kb('KB2')), false);
  assert.equal(allowed(onlyOne, 'bedrock:InvokeModel', fm('m')), true);
});

test('policy variables in Resource: self-service on one\'s own user, and a missing variable never matches', () => {
  const self = policies(doc({ Effect: 'Allow', Action: ['quarry:*ApiKey*'], Resource: 'arn:aws:bedrock:*:*:user/${aws:username}' }));
  assert.equal(allowed(self, 'quarry:CreateApiKey', user('alice')), true);
  assert.equal(allowed(self, 'quarry:CreateApiKey', user('bob')), false);
  // Substituted text is literal: a user called * is not every user, a user called a?ice is not alice.
  assert.equal(allowed(self, 'quarry:CreateApiKey', user('alice'), {}, { id: 'x', name: '*' }), false);
  assert.equal(allowed(self, 'quarry:CreateApiKey', user('alice'), {}, { id: 'x', name: 'a?ice' }), false);
  // No name: the statement does not apply (IAM), so neither an Allow…
  assert.equal(decide(self, 'quarry:CreateApiKey', user('alice'), {}, { id: 'x' }).reason, 'implicitDeny');
  // …nor a Deny that depends on it. Write Deny statements that need no variable, or give the variable a default.
  const deny = policies(ALLOW_ALL, doc({ Effect: 'Deny', Action: 'quarry:DeleteUser', NotResource: 'arn:aws:bedrock:*:*:user/${aws:username}' }));
  assert.equal(decide(deny, 'quarry:DeleteUser', user('bob')).reason, 'explicitDeny');
  assert.equal(decide(deny, 'quarry:DeleteUser', user('alice')).reason, 'allowed');
  assert.equal(decide(deny, 'quarry:DeleteUser', user('bob'), {}, { id: 'x' }).reason, 'allowed');
  const withDefault = policies(ALLOW_ALL, doc({ Effect: 'Deny', Action: 'quarry:DeleteUser', NotResource: "arn:aws:bedrock:*:*:user/${aws:username, '-'}" }));
  assert.equal(decide(withDefault, 'quarry:DeleteUser', user('bob'), {}, { id: 'x' }).reason, 'explicitDeny');
  // Tag values as variables.
  const team = policies(doc({ Effect: 'Allow', Action: 'bedrock:Retrieve', Resource: 'arn:aws:bedrock:*:*:knowledge-base/${aws:PrincipalTag/kb}' }));
  assert.equal(allowed(team, 'bedrock:Retrieve', kb('KB7'), { 'aws:PrincipalTag/kb': 'KB7' }), true);
  assert.equal(allowed(team, 'bedrock:Retrieve', kb('KB7'), { 'aws:PrincipalTag/kb': 'KB8' }), false);
});

test('a realistic set: inference on some models from the office network, one KB, no key management', () => {
  const p = policies(
    doc(
      { Sid: 'Models', Effect: 'Allow', Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], Resource: ['arn:aws:bedrock:*::foundation-model/anthropic.*', 'arn:aws:bedrock:*::foundation-model/local.*'] },
      { Sid: 'Kb', Effect: 'Allow', Action: ['bedrock:Retrieve', 'bedrock:RetrieveAndGenerate'], Resource: kb('KB1') },
    ),
    doc(
      { Sid: 'Office', Effect: 'Deny', Action: '*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] } } },
      { Sid: 'Tls', Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      { Sid: 'Small', Effect: 'Deny', Action: 'bedrock:Invoke*', Resource: '*', Condition: { NumericGreaterThan: { 'quarry:MaxTokens': 4096 } } },
    ),
  );
  const office = { 'aws:SourceIp': '10.1.2.3', 'aws:SecureTransport': true, 'quarry:MaxTokens': 1024 };
  assert.equal(decide(p, 'bedrock:InvokeModel', fm('anthropic.claude-3-haiku-20240307-v1:0'), office).reason, 'allowed');
  assert.equal(decide(p, 'bedrock:InvokeModelWithResponseStream', fm('local.qwen'), office).reason, 'allowed');
  assert.equal(decide(p, 'bedrock:InvokeModel', fm('meta.llama3'), office).reason, 'implicitDeny');
  assert.equal(decide(p, 'bedrock:InvokeModel', fm('local.qwen'), { ...office, 'aws:SourceIp': '203.0.113.9' }).statement?.sid, 'Office');
  assert.equal(decide(p, 'bedrock:InvokeModel', fm('local.qwen'), { ...office, 'aws:SourceIp': '2001:db8::7' }).reason, 'allowed');
  assert.equal(decide(p, 'bedrock:InvokeModel', fm('local.qwen'), { ...office, 'aws:SecureTransport': false }).statement?.sid, 'Tls');
  assert.equal(decide(p, 'bedrock:InvokeModel', fm('local.qwen'), { ...office, 'quarry:MaxTokens': 8192 }).statement?.sid, 'Small');
  assert.equal(decide(p, 'bedrock:Retrieve', kb('KB1'), office).reason, 'allowed');
  assert.equal(decide(p, 'bedrock:Retrieve', kb('KB2'), office).reason, 'implicitDeny');
  assert.equal(decide(p, 'quarry:CreateApiKey', user('alice'), office).reason, 'implicitDeny');
  // Without a source address the office rule (a negated operator) denies: a missing key fails closed here.
  assert.equal(decide(p, 'bedrock:InvokeModel', fm('local.qwen'), { 'aws:SecureTransport': true }).statement?.sid, 'Office');
});

test('malformed requests are refused with a ValidationException, never decided', () => {
  const p = policies(ALLOW_ALL);
  for (const action of ['', 'InvokeModel', 'bedrock:*', 'bedrock:Invoke?', 'bedrock:', ':x', 'bedrock:Invoke Model']) {
    assert.throws(() => decide(p, action, '*'), (e: unknown) => QuarryError.isInstance(e) && e.code === 'ValidationException', action);
  }
  for (const resource of ['', 'arn', 'KB1', kb('KB1').toUpperCase(), `${kb('KB1')}/`]) {
    assert.throws(() => decide(p, 'bedrock:Retrieve', resource), /Invalid resource/, resource);
  }
});

test('authorize: returns the decision, or throws AccessDeniedException worded as Bedrock words it', () => {
  const p = policies(doc({ Effect: 'Allow', Action: 'bedrock:Retrieve', Resource: '*' }, { Effect: 'Deny', Action: 'bedrock:Retrieve', Resource: kb('SECRET') }));
  assert.equal(authorize({ principal: alice, action: 'bedrock:Retrieve', resource: kb('OPEN') }, p).reason, 'allowed');
  assert.throws(
    () => authorize({ principal: alice, action: 'bedrock:Retrieve', resource: kb('SECRET') }, p),
    (e: unknown) =>
      QuarryError.isInstance(e) &&
      e.code === 'AccessDeniedException' &&
      e.status === 403 &&
      e.message === `User: ${alice.arn} is not authorized to perform: bedrock:Retrieve on resource: ${kb('SECRET')} with an explicit deny in an identity-based policy`,
  );
  assert.throws(
    () => authorize({ principal: { id: 'AIDAX' }, action: 'bedrock:InvokeModel', resource: fm('m') }, p),
    /User: AIDAX is not authorized to perform: bedrock:InvokeModel on resource: .* because no identity-based policy allows the bedrock:InvokeModel action/,
  );
});

test('the action catalog: Bedrock spellings, resource types from the ARN list, and the shared Converse actions', () => {
  const names = Object.keys(ACTIONS) as Action[];
  for (const a of names) assert.match(a, /^(bedrock|quarry):[A-Z][A-Za-z]+$/);
  assert.equal(new Set(names.map((a) => a.toLowerCase())).size, names.length, 'no two actions differ only in case');
  assert.equal(canonicalAction('BEDROCK:invokemodel'), 'bedrock:InvokeModel');
  assert.equal(canonicalAction('bedrock:Converse'), undefined, 'Converse is authorized as InvokeModel, as on Bedrock');
  assert.equal(OPERATION_ACTIONS.Converse, 'bedrock:InvokeModel');
  assert.equal(OPERATION_ACTIONS.ConverseStream, 'bedrock:InvokeModelWithResponseStream');
  assert.deepEqual(ACTIONS['bedrock:Retrieve'].resources, ['knowledge-base']);
  assert.deepEqual(ACTIONS['bedrock:InvokeAgent'].resources, ['agent-alias']);
  assert.deepEqual(ACTIONS['bedrock:ListKnowledgeBases'].resources, []);
  assert.ok(ACTIONS['bedrock:InvokeModel'].resources.includes('inference-profile'));
  // Every action can be evaluated, on * or on an ARN of its first resource type.
  const p = policies(ALLOW_ALL);
  for (const a of names) {
    const type = ACTIONS[a].resources[0];
    const resource = type === undefined ? '*' : type === 'foundation-model' ? fm('m') : `arn:aws:bedrock:us-east-1:${ACCOUNT}:${type}/X1`;
    assert.equal(evaluate({ principal: alice, action: a, resource }, p).allowed, true, a);
  }
});
