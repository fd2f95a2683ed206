// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written ${…} in plain strings
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RequestContext } from './context-keys.js';
import type { ConditionBlock } from './policy-document.js';
import { alice, allowed, doc, policies } from './policy-test-kit.js';
import type { PolicyPrincipal } from './request-scope.js';

/** Whether an Allow statement with only this Condition allows a request with this context. */
function holds(condition: ConditionBlock, context: RequestContext = {}, principal: PolicyPrincipal = alice): boolean {
  return allowed(policies(doc({ Effect: 'Allow', Action: '*', Resource: '*', Condition: condition })), 'bedrock:ListFoundationModels', '*', context, principal);
}

type Case = [name: string, condition: ConditionBlock, context: RequestContext, expected: boolean];

function run(cases: Case[]) {
  for (const [name, condition, context, expected] of cases) assert.equal(holds(condition, context), expected, name);
}

test('string operators: exact, case-folded and wildcard matching; several values are ORed', () => {
  run([
    ['StringEquals match', { StringEquals: { 'aws:RequestTag/team': 'search' } }, { 'aws:RequestTag/team': 'search' }, true],
    ['StringEquals is case-sensitive', { StringEquals: { 'aws:RequestTag/team': 'search' } }, { 'aws:RequestTag/team': 'Search' }, false],
    ['StringEquals any of several values', { StringEquals: { 'aws:RequestTag/team': ['a', 'search'] } }, { 'aws:RequestTag/team': 'search' }, true],
    ['StringEquals none of several values', { StringEquals: { 'aws:RequestTag/team': ['a', 'b'] } }, { 'aws:RequestTag/team': 'search' }, false],
    ['StringEquals missing key', { StringEquals: { 'aws:RequestTag/team': 'search' } }, {}, false],
    ['StringEquals has no wildcards', { StringEquals: { 'aws:RequestTag/team': 's*' } }, { 'aws:RequestTag/team': 'search' }, false],
    ['StringEquals numbers as text', { StringEquals: { 'quarry:MaxTokens': 100 } }, { 'quarry:MaxTokens': 100 }, true],
    ['StringEquals booleans as text', { StringEquals: { 'aws:SecureTransport': true } }, { 'aws:SecureTransport': true }, true],
    ['StringNotEquals differs', { StringNotEquals: { 'aws:RequestTag/team': 'search' } }, { 'aws:RequestTag/team': 'ads' }, true],
    ['StringNotEquals equal', { StringNotEquals: { 'aws:RequestTag/team': 'search' } }, { 'aws:RequestTag/team': 'search' }, false],
    ['StringNotEquals must differ from every value', { StringNotEquals: { 'aws:RequestTag/team': ['ads', 'search'] } }, { 'aws:RequestTag/team': 'search' }, false],
    ['StringNotEquals missing key holds', { StringNotEquals: { 'aws:RequestTag/team': 'search' } }, {}, true],
    ['StringEqualsIgnoreCase', { StringEqualsIgnoreCase: { 'aws:RequestTag/team': 'SEARCH' } }, { 'aws:RequestTag/team': 'Search' }, true],
    ['StringEqualsIgnoreCase differs', { StringEqualsIgnoreCase: { 'aws:RequestTag/team': 'SEARCH' } }, { 'aws:RequestTag/team': 'Searches' }, false],
    ['StringNotEqualsIgnoreCase', { StringNotEqualsIgnoreCase: { 'aws:RequestTag/team': 'SEARCH' } }, { 'aws:RequestTag/team': 'search' }, false],
    ['StringNotEqualsIgnoreCase differs', { StringNotEqualsIgnoreCase: { 'aws:RequestTag/team': 'SEARCH' } }, { 'aws:RequestTag/team': 'ads' }, true],
    ['StringLike *', { StringLike: { 'aws:UserAgent': 'aws-sdk-js/*' } }, { 'aws:UserAgent': 'aws-sdk-js/3.1 os/linux' }, true],
    ['StringLike ?', { StringLike: { 'aws:RequestTag/env': 'prod-?' } }, { 'aws:RequestTag/env': 'prod-1' }, true],
    ['StringLike ? is one character', { StringLike: { 'aws:RequestTag/env': 'prod-?' } }, { 'aws:RequestTag/env': 'prod-12' }, false],
    ['StringLike is case-sensitive', { StringLike: { 'aws:RequestTag/env': 'prod*' } }, { 'aws:RequestTag/env': 'PROD' }, false],
    ['StringLike without wildcards is exact', { StringLike: { 'aws:RequestTag/env': 'prod' } }, { 'aws:RequestTag/env': 'production' }, false],
    ['StringNotLike', { StringNotLike: { 'aws:RequestTag/env': ['prod*', 'stage*'] } }, { 'aws:RequestTag/env': 'dev' }, true],
    ['StringNotLike matching', { StringNotLike: { 'aws:RequestTag/env': ['prod*', 'stage*'] } }, { 'aws:RequestTag/env': 'stage-2' }, false],
    ['StringNotLike missing key holds', { StringNotLike: { 'aws:RequestTag/env': 'prod*' } }, {}, true],
    ['date context values read as ISO text', { StringLike: { 'aws:CurrentTime': '2025-*' } }, { 'aws:CurrentTime': new Date('2025-06-01T00:00:00Z') }, true],
  ]);
});

test('condition keys compare without regard to case; keys and operators are ANDed', () => {
  run([
    ['key case', { StringEquals: { 'AWS:REQUESTTAG/TEAM': 'x' } }, { 'aws:requesttag/team': 'x' }, true],
    ['two keys, both hold', { StringEquals: { 'aws:RequestTag/a': '1', 'aws:RequestTag/b': '2' } }, { 'aws:RequestTag/a': '1', 'aws:RequestTag/b': '2' }, true],
    ['two keys, one fails', { StringEquals: { 'aws:RequestTag/a': '1', 'aws:RequestTag/b': '2' } }, { 'aws:RequestTag/a': '1', 'aws:RequestTag/b': '3' }, false],
    ['two operators, both hold', { StringEquals: { 'aws:RequestTag/a': '1' }, Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:RequestTag/a': '1', 'aws:SecureTransport': true }, true],
    ['two operators, one fails', { StringEquals: { 'aws:RequestTag/a': '1' }, Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:RequestTag/a': '1', 'aws:SecureTransport': false }, false],
  ]);
});

test('numeric operators, with request values as numbers or numeric text', () => {
  const n = (op: string, policy: string | number, value: unknown, expected: boolean): Case => [
    `${op} ${policy} vs ${String(value)}`,
    { [op]: { 'quarry:MaxTokens': policy } },
    { 'quarry:MaxTokens': value as number },
    expected,
  ];
  run([
    n('NumericEquals', '10', 10, true),
    n('NumericEquals', 10, '10.0', true),
    n('NumericEquals', '10', 11, false),
    n('NumericEquals', '10', 'ten', false),
    n('NumericEquals', '0.5', 0.5, true),
    n('NumericEquals', '-3', -3, true),
    n('NumericNotEquals', '10', 11, true),
    n('NumericNotEquals', '10', 10, false),
    n('NumericNotEquals', '10', 'ten', true),
    n('NumericLessThan', '4096', 4095, true),
    n('NumericLessThan', '4096', 4096, false),
    n('NumericLessThanEquals', '4096', 4096, true),
    n('NumericLessThanEquals', '4096', 4097, false),
    n('NumericGreaterThan', '1', 2, true),
    n('NumericGreaterThan', '1', 1, false),
    n('NumericGreaterThanEquals', '1', 1, true),
    n('NumericGreaterThanEquals', '1', 0, false),
    n('NumericLessThan', '10', true, false),
    n('NumericLessThan', '10', '1e1', false),
    ['missing key', { NumericLessThan: { 'quarry:MaxTokens': '10' } }, {}, false],
    ['several values ORed', { NumericEquals: { 'quarry:MaxTokens': ['1', '2', '3'] } }, { 'quarry:MaxTokens': 2 }, true],
  ]);
});

test('date operators: ISO 8601 with zones, epoch seconds, Date objects, and the current time by default', () => {
  const at = new Date('2025-06-15T12:00:00Z');
  run([
    ['DateLessThan ISO', { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } }, { 'aws:CurrentTime': at }, true],
    ['DateLessThan past', { DateLessThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }, { 'aws:CurrentTime': at }, false],
    ['DateLessThan is strict', { DateLessThan: { 'aws:CurrentTime': '2025-06-15T12:00:00Z' } }, { 'aws:CurrentTime': at }, false],
    ['DateLessThanEquals boundary', { DateLessThanEquals: { 'aws:CurrentTime': '2025-06-15T12:00:00Z' } }, { 'aws:CurrentTime': at }, true],
    ['DateGreaterThan', { DateGreaterThan: { 'aws:CurrentTime': '2025-06-15' } }, { 'aws:CurrentTime': at }, true],
    ['DateGreaterThanEquals boundary', { DateGreaterThanEquals: { 'aws:CurrentTime': '2025-06-15T12:00:00Z' } }, { 'aws:CurrentTime': at }, true],
    ['DateGreaterThanEquals after', { DateGreaterThanEquals: { 'aws:CurrentTime': '2025-06-15T12:00:01Z' } }, { 'aws:CurrentTime': at }, false],
    ['DateEquals across zones', { DateEquals: { 'aws:CurrentTime': '2025-06-15T14:00:00+02:00' } }, { 'aws:CurrentTime': at }, true],
    ['DateEquals with milliseconds', { DateEquals: { 'aws:CurrentTime': '2025-06-15T12:00:00.000Z' } }, { 'aws:CurrentTime': at }, true],
    ['DateNotEquals', { DateNotEquals: { 'aws:CurrentTime': '2025-06-15T12:00:00Z' } }, { 'aws:CurrentTime': at }, false],
    ['DateNotEquals other', { DateNotEquals: { 'aws:CurrentTime': '2025-06-15T12:00:01Z' } }, { 'aws:CurrentTime': at }, true],
    ['a time without a zone is UTC', { DateEquals: { 'aws:CurrentTime': '2025-06-15T12:00' } }, { 'aws:CurrentTime': at }, true],
    ['epoch seconds in the policy', { DateEquals: { 'aws:CurrentTime': 1749988800 } }, { 'aws:CurrentTime': at }, true],
    ['epoch seconds as text', { DateLessThan: { 'aws:CurrentTime': '1749988801' } }, { 'aws:CurrentTime': at }, true],
    ['aws:EpochTime is seconds', { DateGreaterThan: { 'aws:EpochTime': '2025-06-15T11:59:59Z' } }, { 'aws:EpochTime': 1749988800 }, true],
    ['ISO text in the request', { DateLessThan: { 'aws:TokenIssueTime': '2025-07-01T00:00:00Z' } }, { 'aws:TokenIssueTime': '2025-06-30T23:59:59Z' }, true],
    ['garbage request date', { DateLessThan: { 'aws:TokenIssueTime': '2025-07-01T00:00:00Z' } }, { 'aws:TokenIssueTime': 'yesterday' }, false],
    ['invalid Date object', { DateLessThan: { 'aws:TokenIssueTime': '2025-07-01T00:00:00Z' } }, { 'aws:TokenIssueTime': new Date('nope') }, false],
    ['missing key', { DateLessThan: { 'aws:TokenIssueTime': '2030-01-01T00:00:00Z' } }, {}, false],
  ]);
  // Without aws:CurrentTime / aws:EpochTime in the context the evaluator reads the clock.
  assert.equal(holds({ DateGreaterThan: { 'aws:CurrentTime': '2001-01-01T00:00:00Z' } }), true);
  assert.equal(holds({ DateLessThan: { 'aws:CurrentTime': '2001-01-01T00:00:00Z' } }), false);
  assert.equal(holds({ NumericGreaterThan: { 'aws:EpochTime': 978307200 } }), true);
});

test('Bool: booleans or their text, in any case; anything else never matches', () => {
  run([
    ['true', { Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': true }, true],
    ['false', { Bool: { 'aws:SecureTransport': 'false' } }, { 'aws:SecureTransport': false }, true],
    ['JSON false', { Bool: { 'aws:SecureTransport': false } }, { 'aws:SecureTransport': false }, true],
    ['mismatch', { Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': false }, false],
    ['text in the request', { Bool: { 'aws:SecureTransport': 'TRUE' } }, { 'aws:SecureTransport': 'True' }, true],
    ['not a boolean', { Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': 'yes' }, false],
    ['missing key', { Bool: { 'aws:SecureTransport': 'false' } }, {}, false],
  ]);
});

test('IP address operators: IPv4 and IPv6 CIDR, single addresses, IPv4-mapped IPv6, and junk', () => {
  const ip = (op: string, ranges: string | string[], addr: string | undefined, expected: boolean): Case => [
    `${op} ${String(ranges)} vs ${addr}`,
    { [op]: { 'aws:SourceIp': ranges } },
    addr === undefined ? {} : { 'aws:SourceIp': addr },
    expected,
  ];
  run([
    ip('IpAddress', '203.0.113.0/24', '203.0.113.77', true),
    ip('IpAddress', '203.0.113.0/24', '203.0.114.1', false),
    ip('IpAddress', '203.0.113.7', '203.0.113.7', true),
    ip('IpAddress', '203.0.113.7', '203.0.113.8', false),
    ip('IpAddress', '0.0.0.0/0', '8.8.8.8', true),
    ip('IpAddress', '2001:DB8:1234:5678::/64', '2001:db8:1234:5678:abcd::1', true),
    ip('IpAddress', '2001:DB8:1234:5678::/64', '2001:db8:1234:5679::1', false),
    ip('IpAddress', '2001:db8::/32', '2001:0db8:0000:0000:0000:0000:0000:0001', true),
    ip('IpAddress', '::1', '::1', true),
    ip('IpAddress', '::/0', '2001:db8::1', true),
    // A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d; IPv4 ranges still apply to them.
    ip('IpAddress', '10.0.0.0/8', '::ffff:10.1.2.3', true),
    ip('IpAddress', '::ffff:10.0.0.0/104', '10.200.0.1', true),
    ip('IpAddress', '::ffff:10.0.0.0/104', '11.0.0.1', false),
    // IPv4 ranges never match IPv6 clients and the reverse.
    ip('IpAddress', '0.0.0.0/0', '2001:db8::1', false),
    ip('IpAddress', '::/0', '10.0.0.1', false),
    ip('IpAddress', ['203.0.113.0/24', '2001:db8::/32'], '2001:db8::5', true),
    ip('IpAddress', '10.0.0.0/8', 'not-an-ip', false),
    ip('IpAddress', '8.0.0.0/8', '010.0.0.1', false),
    ip('IpAddress', '10.0.0.0/8', undefined, false),
    ip('NotIpAddress', '10.0.0.0/8', '192.168.0.1', true),
    ip('NotIpAddress', '10.0.0.0/8', '10.9.9.9', false),
    ip('NotIpAddress', ['10.0.0.0/8', '2001:db8::/32'], '2001:db8::9', false),
    ip('NotIpAddress', '10.0.0.0/8', 'not-an-ip', true),
    ip('NotIpAddress', '10.0.0.0/8', undefined, true),
  ]);
});

test('ARN operators: field by field, case-sensitive; ArnEquals and ArnLike alike', () => {
  const a = 'arn:aws:bedrock:us-east-1:123456789012:user/alice';
  run([
    ['ArnLike', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:bedrock:*:123456789012:user/*' } }, {}, true],
    ['ArnEquals takes wildcards too', { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:bedrock:*:123456789012:user/*' } }, {}, true],
    ['ArnLike exact', { ArnLike: { 'aws:PrincipalArn': a } }, {}, true],
    ['ArnLike case', { ArnLike: { 'aws:PrincipalArn': a.toUpperCase() } }, {}, false],
    ['ArnLike other account', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:bedrock:*:999999999999:user/*' } }, {}, false],
    ['ArnNotLike', { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:bedrock:*:*:user/admin*' } }, {}, true],
    ['ArnNotEquals same', { ArnNotEquals: { 'aws:PrincipalArn': a } }, {}, false],
    ['not an ARN', { ArnLike: { 'bedrock:GuardrailIdentifier': 'arn:aws:bedrock:*:*:guardrail/*' } }, { 'bedrock:GuardrailIdentifier': 'gr-123' }, false],
    ['ArnNotLike missing key', { ArnNotLike: { 'bedrock:GuardrailIdentifier': 'arn:aws:bedrock:*:*:guardrail/*' } }, {}, true],
    ['ArnLike with a variable', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:bedrock:*:*:user/${aws:username}' } }, {}, true],
  ]);
});

test('Null: true when the key is absent, false when present; the principal keys are always present', () => {
  run([
    ['absent, true', { Null: { 'aws:TokenIssueTime': 'true' } }, {}, true],
    ['present, true', { Null: { 'aws:TokenIssueTime': 'true' } }, { 'aws:TokenIssueTime': '2025-01-01T00:00:00Z' }, false],
    ['present, false', { Null: { 'aws:RequestTag/team': 'false' } }, { 'aws:RequestTag/team': 'x' }, true],
    ['absent, false', { Null: { 'aws:RequestTag/team': 'false' } }, {}, false],
    ['empty list counts as absent', { Null: { 'aws:TagKeys': 'true' } }, { 'aws:TagKeys': [] }, true],
    ['JSON boolean', { Null: { 'aws:TagKeys': true } }, {}, true],
    ['username from the principal', { Null: { 'aws:username': 'false' } }, {}, true],
  ]);
  assert.equal(holds({ Null: { 'aws:username': 'true' } }, {}, { id: 'anonymous' }), true);
});

test('...IfExists: a missing key passes, a present one is checked', () => {
  run([
    ['StringEqualsIfExists missing', { StringEqualsIfExists: { 'aws:RequestTag/env': 'prod' } }, {}, true],
    ['StringEqualsIfExists present, equal', { StringEqualsIfExists: { 'aws:RequestTag/env': 'prod' } }, { 'aws:RequestTag/env': 'prod' }, true],
    ['StringEqualsIfExists present, different', { StringEqualsIfExists: { 'aws:RequestTag/env': 'prod' } }, { 'aws:RequestTag/env': 'dev' }, false],
    ['NumericLessThanEqualsIfExists missing', { NumericLessThanEqualsIfExists: { 'quarry:MaxTokens': 1000 } }, {}, true],
    ['NumericLessThanEqualsIfExists over', { NumericLessThanEqualsIfExists: { 'quarry:MaxTokens': 1000 } }, { 'quarry:MaxTokens': 1001 }, false],
    ['IpAddressIfExists missing', { IpAddressIfExists: { 'aws:SourceIp': '10.0.0.0/8' } }, {}, true],
    ['NotIpAddressIfExists inside', { NotIpAddressIfExists: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:SourceIp': '10.0.0.1' }, false],
    ['DateLessThanIfExists missing', { DateLessThanIfExists: { 'aws:TokenIssueTime': '2000-01-01T00:00:00Z' } }, {}, true],
    ['BoolIfExists present', { BoolIfExists: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': false }, false],
    ['ArnLikeIfExists missing', { ArnLikeIfExists: { 'bedrock:GuardrailIdentifier': 'arn:aws:bedrock:*:*:guardrail/*' } }, {}, true],
    ['StringNotLikeIfExists present', { StringNotLikeIfExists: { 'aws:RequestTag/env': 'prod*' } }, { 'aws:RequestTag/env': 'prod-1' }, false],
  ]);
});

test('set operators over multivalued keys: ForAnyValue and ForAllValues, positive and negated, empty and missing', () => {
  const tags = (policy: string[], op: string, value: string[] | undefined, expected: boolean): Case => [
    `${op} ${policy} vs ${value === undefined ? 'missing' : JSON.stringify(value)}`,
    { [op]: { 'aws:TagKeys': policy } },
    value === undefined ? {} : { 'aws:TagKeys': value },
    expected,
  ];
  run([
    tags(['a', 'b'], 'ForAnyValue:StringEquals', ['b', 'c'], true),
    tags(['a', 'b'], 'ForAnyValue:StringEquals', ['c'], false),
    tags(['a', 'b'], 'ForAnyValue:StringEquals', [], false),
    tags(['a', 'b'], 'ForAnyValue:StringEquals', undefined, false),
    tags(['a', 'b'], 'ForAnyValue:StringEqualsIfExists', undefined, true),
    tags(['a', 'b', 'c'], 'ForAllValues:StringEquals', ['a', 'b'], true),
    tags(['a', 'b', 'c'], 'ForAllValues:StringEquals', ['a', 'z'], false),
    // IAM's well-known trap: ForAllValues holds for an empty or missing set.
    tags(['a'], 'ForAllValues:StringEquals', [], true),
    tags(['a'], 'ForAllValues:StringEquals', undefined, true),
    tags(['cost-*', 'team'], 'ForAllValues:StringLike', ['cost-center', 'team'], true),
    tags(['cost-*', 'team'], 'ForAllValues:StringLike', ['cost-center', 'owner'], false),
    tags(['secret*'], 'ForAnyValue:StringLike', ['public', 'secret-x'], true),
    // Negated: ForAnyValue holds if some value matches none; ForAllValues if every value matches none.
    tags(['a'], 'ForAnyValue:StringNotEquals', ['a', 'b'], true),
    tags(['a'], 'ForAnyValue:StringNotEquals', ['a'], false),
    tags(['a'], 'ForAllValues:StringNotEquals', ['b', 'c'], true),
    tags(['a'], 'ForAllValues:StringNotEquals', ['b', 'a'], false),
    tags(['secret*'], 'ForAllValues:StringNotLike', ['public', 'team'], true),
    tags(['secret*'], 'ForAllValues:StringNotLike', ['public', 'secret'], false),
    tags(['A', 'B'], 'ForAllValues:StringEqualsIgnoreCase', ['a', 'b'], true),
    // Without a set operator: the positive operator holds if any value matches, a negated one if none does.
    tags(['a'], 'StringEquals', ['b', 'a'], true),
    tags(['a'], 'StringEquals', ['b'], false),
    tags(['a'], 'StringNotEquals', ['b', 'a'], false),
    tags(['a'], 'StringNotEquals', ['b', 'c'], true),
    // A single value is a set of one.
    ['ForAnyValue on a single value', { 'ForAnyValue:StringEquals': { 'aws:RequestTag/x': 'a' } }, { 'aws:RequestTag/x': 'a' }, true],
    ['ForAllValues:NumericLessThan', { 'ForAllValues:NumericLessThan': { 'quarry:Sizes': '10' } }, { 'quarry:Sizes': ['1', '9'] }, true],
    ['ForAllValues:NumericLessThan fails', { 'ForAllValues:NumericLessThan': { 'quarry:Sizes': '10' } }, { 'quarry:Sizes': ['1', '10'] }, false],
  ]);
});

test('policy variables in condition values: substituted from the request, literal, with defaults', () => {
  const bob: PolicyPrincipal = { id: 'AIDABOB', name: 'bob' };
  assert.equal(holds({ StringEquals: { 'aws:RequestTag/owner': '${aws:username}' } }, { 'aws:RequestTag/owner': 'bob' }, bob), true);
  assert.equal(holds({ StringEquals: { 'aws:RequestTag/owner': '${aws:username}' } }, { 'aws:RequestTag/owner': 'alice' }, bob), false);
  assert.equal(holds({ StringEquals: { 'aws:RequestTag/owner': '${AWS:UserName}' } }, { 'aws:RequestTag/owner': 'bob' }, bob), true, 'variable names fold case');
  assert.equal(holds({ StringLike: { 'aws:RequestTag/path': 'home/${aws:username}/*' } }, { 'aws:RequestTag/path': 'home/bob/notes' }, bob), true);
  // A value substituted into StringLike is literal: a user named * does not get every home directory.
  const star: PolicyPrincipal = { id: 'AIDASTAR', name: '*' };
  assert.equal(holds({ StringLike: { 'aws:RequestTag/path': 'home/${aws:username}/*' } }, { 'aws:RequestTag/path': 'home/bob/notes' }, star), false);
  assert.equal(holds({ StringLike: { 'aws:RequestTag/path': 'home/${aws:username}/*' } }, { 'aws:RequestTag/path': 'home/*/notes' }, star), true);
  // Escapes.
  assert.equal(holds({ StringEquals: { 'aws:RequestTag/x': 'a${*}b${?}${$}' } }, { 'aws:RequestTag/x': 'a*b?$' }), true);
  assert.equal(holds({ StringLike: { 'aws:RequestTag/x': 'a${*}' } }, { 'aws:RequestTag/x': 'abc' }), false);
  // Defaults, with '' for a quote.
  assert.equal(holds({ StringEquals: { 'aws:RequestTag/team': "${aws:PrincipalTag/team, 'none'}" } }, { 'aws:RequestTag/team': 'none' }), true);
  assert.equal(holds({ StringEquals: { 'aws:RequestTag/q': "${aws:PrincipalTag/q, 'it''s'}" } }, { 'aws:RequestTag/q': "it's" }), true);
  assert.equal(holds({ StringEquals: { 'aws:RequestTag/team': "${aws:PrincipalTag/team, 'none'}" } }, { 'aws:RequestTag/team': 'x', 'aws:PrincipalTag/team': 'x' }), true);
  // One pass only: a default that looks like a variable stays text.
  assert.equal(holds({ StringEquals: { 'aws:RequestTag/t': "${aws:PrincipalTag/t, '${aws:username}'}" } }, { 'aws:RequestTag/t': '${aws:username}' }), true);
  // Bool takes variables too.
  assert.equal(holds({ Bool: { 'aws:SecureTransport': '${aws:RequestTag/tls}' } }, { 'aws:SecureTransport': true, 'aws:RequestTag/tls': 'true' }), true);
  // A variable without a value makes the statement not apply, even under a negated operator.
  const nobody: PolicyPrincipal = { id: 'AIDANONAME' };
  assert.equal(holds({ StringNotEquals: { 'aws:RequestTag/owner': '${aws:username}' } }, { 'aws:RequestTag/owner': 'x' }, nobody), false);
  // And a multivalued key is never substituted.
  assert.equal(holds({ StringEquals: { 'aws:RequestTag/x': '${aws:TagKeys}' } }, { 'aws:RequestTag/x': 'a', 'aws:TagKeys': ['a'] }), false);
});

test('the principal, not the context, supplies aws:username, aws:userid, aws:PrincipalArn and aws:PrincipalAccount', () => {
  const forged = { 'aws:username': 'admin', 'AWS:USERID': 'AIDAADMIN', 'aws:PrincipalArn': 'arn:aws:bedrock:us-east-1:123456789012:user/admin' };
  assert.equal(holds({ StringEquals: { 'aws:username': 'admin' } }, forged), false);
  assert.equal(holds({ StringEquals: { 'aws:userid': 'AIDAADMIN' } }, forged), false);
  assert.equal(holds({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:bedrock:*:*:user/admin' } }, forged), false);
  assert.equal(holds({ StringEquals: { 'aws:PrincipalAccount': '123456789012' } }), true);
  // A principal without a name has no aws:username at all, whatever the context says.
  assert.equal(holds({ Null: { 'aws:username': 'true' } }, { 'aws:username': 'admin' }, { id: 'x' }), true);
});
