// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written ${…} in plain strings
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArnPattern, parseArn, splitArn } from './arn.js';
import { parseTemplate } from './policy-variables.js';

test('parseArn: fields, a resource part that keeps its colons, and an empty foundation-model account', () => {
  assert.deepEqual(parseArn('arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1'), {
    partition: 'aws',
    service: 'bedrock',
    region: 'us-east-1',
    accountId: '',
    resource: 'foundation-model/anthropic.claude-v2:1',
    resourceType: 'foundation-model',
    resourceId: 'anthropic.claude-v2:1',
  });
  assert.equal(parseArn('arn:aws:bedrock:us-east-1:123456789012:agent-alias/AGENT1/ALIAS1')?.resourceId, 'AGENT1/ALIAS1');
  for (const bad of ['', 'arn', 'arn:aws:bedrock', 'arn:aws:bedrock:us-east-1:123', 'urn:aws:bedrock:r:a:x/y']) assert.equal(parseArn(bad), undefined, bad);
});

const arnLike = (pattern: string, value: string, vars: Record<string, string> = {}) =>
  ArnPattern.compile(parseTemplate(pattern), { resourceElement: false }).matches(splitArn(value)!, { variable: (k: string) => vars[k] });

test('ARN patterns match field by field: a * in one field never reaches into the next', () => {
  const cases: [string, string, boolean][] = [
    ['arn:aws:bedrock:*:*:knowledge-base/*', 'arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB1', true],
    ['arn:aws:bedrock:*:*:knowledge-base/*', 'arn:aws:bedrock:us-east-1::foundation-model/x', false],
    ['arn:aws:bedrock:*:*:*', 'arn:aws:bedrock:us-east-1::foundation-model/x', true],
    // The empty account of a foundation model is not any account id.
    ['arn:aws:bedrock:*:123456789012:*', 'arn:aws:bedrock:us-east-1::foundation-model/x', false],
    // IAM's own example: StringLike would match, an ARN operator must not.
    ['arn:aws:someservice:*:111122223333:finance/*', 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt', false],
    ['arn:aws:bedrock:us-east-?:*:*', 'arn:aws:bedrock:us-east-1:123456789012:guardrail/G', true],
    ['arn:aws:bedrock:us-east-?:*:*', 'arn:aws:bedrock:us-east-10:123456789012:guardrail/G', false],
    // Resource ids may hold colons and slashes; the resource field is matched whole.
    ['arn:aws:bedrock:*::foundation-model/anthropic.*', 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1', true],
    ['arn:aws:bedrock:*:*:agent-alias/A1/*', 'arn:aws:bedrock:us-east-1:123456789012:agent-alias/A1/ALIAS', true],
    // ARNs are case-sensitive.
    ['arn:aws:bedrock:*:*:knowledge-base/kb1', 'arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB1', false],
    ['arn:aws:bedrock:*:*:Knowledge-Base/*', 'arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB1', false],
    // A pattern cut short by a final * covers the remaining fields, colons included…
    ['arn:aws:bedrock:*', 'arn:aws:bedrock:us-east-1::foundation-model/x:1', true],
    ['arn:aws:bedrock:us-*', 'arn:aws:bedrock:us-east-1:123456789012:knowledge-base/K', true],
    ['arn:aws:bedrock:us-*', 'arn:aws:bedrock:eu-west-1:123456789012:knowledge-base/K', false],
    ['arn:aws:bedrock:*', 'arn:aws:bedrock-agent:us-east-1:123456789012:agent/A', false],
    // …but only from where it stands: the fields before it still line up.
    ['arn:aws:bedrock:*:knowledge-base/*', 'arn:aws:bedrock:us-east-1:123456789012:knowledge-base/K', false],
  ];
  for (const [p, v, expected] of cases) assert.equal(arnLike(p, v), expected, `${p} vs ${v}`);
});

test('ARN patterns: substituted variables are literal text and stay inside their field', () => {
  const p = 'arn:aws:bedrock:*:*:user/${aws:username}';
  assert.equal(arnLike(p, 'arn:aws:bedrock:us-east-1:123456789012:user/alice', { 'aws:username': 'alice' }), true);
  assert.equal(arnLike(p, 'arn:aws:bedrock:us-east-1:123456789012:user/alice', { 'aws:username': '*' }), false);
  assert.equal(arnLike(p, 'arn:aws:bedrock:us-east-1:123456789012:user/a:b', { 'aws:username': 'a:b' }), true);
  assert.equal(arnLike(p, 'arn:aws:bedrock:us-east-1:123456789012:user/alice', {}), undefined, 'unresolved');
  // In a condition a variable may stand anywhere; its colons never shift the fields.
  const q = 'arn:aws:bedrock:${aws:RequestedRegion}:*:*';
  assert.equal(arnLike(q, 'arn:aws:bedrock:eu-west-1:123456789012:guardrail/G', { 'aws:requestedregion': 'eu-west-1' }), true);
  assert.equal(arnLike(q, 'arn:aws:bedrock:eu-west-1:123456789012:guardrail/G', { 'aws:requestedregion': 'eu-west-1:123456789012' }), false);
});

test('Resource element rules: literal arn and service, variables only after the fifth colon, six fields or a final *', () => {
  const compile = (p: string) => ArnPattern.compile(parseTemplate(p), { resourceElement: true });
  for (const ok of ['arn:aws:bedrock:*:*:*', 'arn:aws:bedrock:*', 'arn:*:bedrock:*:*:user/${aws:username}', 'arn:aws:bedrock:us-east-1::foundation-model/*']) {
    assert.doesNotThrow(() => compile(ok), ok);
  }
  const bad: [string, RegExp][] = [
    ['arn:*', /name the service/],
    ['arn:aws:*', /name the service/],
    ['arn:aws:bedrock*:*:*:*', /name the service/],
    ['arn:aws:bed?ock:*:*:*', /name the service/],
    ['arn:aws::us-east-1:1:x', /name the service/],
    ['arn:aws:bedrock:us-east-1', /six colon-separated fields/],
    ['arn:aws:bedrock:${aws:RequestedRegion}:*:*', /only in the resource part/],
    ['arn:aws:bedrock:*:${aws:PrincipalAccount}:*', /only in the resource part/],
  ];
  for (const [p, re] of bad) assert.throws(() => compile(p), re, p);
});
