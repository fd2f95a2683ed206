// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written ${…} in plain strings
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuarryError } from '../../core/errors.js';
import { compiledPolicy } from './compile-policy.js';
import { CONDITION_OPERATORS } from './condition-operators.js';
import { evaluate } from './evaluate-policy.js';
import { MAX_POLICY_TEXT, parsePolicyDocument, policyDocumentInput, validatePolicyDocument } from './parse-policy-document.js';
import { InvalidPolicyError, POLICY_LIMITS, type PolicyDocument } from './policy-document.js';
import { alice } from './policy-test-kit.js';

const stmt = (extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: '*', ...extra });
const docWith = (extra: Record<string, unknown>) => ({ Version: '2012-10-17', Statement: [stmt(extra)] });

test('valid documents: one statement or many, strings or lists, both versions, Condition values of any JSON scalar', () => {
  const valid: unknown[] = [
    { Version: '2012-10-17', Statement: stmt() },
    { Version: '2008-10-17', Id: 'legacy', Statement: [stmt({ Sid: 'One' }), stmt({ Sid: 'Two', Effect: 'Deny' })] },
    docWith({ Action: ['bedrock:InvokeModel', 'bedrock:Invoke*', 'BEDROCK:converse*', '*'] }),
    docWith({ Action: undefined, NotAction: 'quarry:*' }),
    docWith({ Resource: undefined, NotResource: ['arn:aws:bedrock:*:*:knowledge-base/SECRET'] }),
    docWith({ Resource: 'arn:aws:bedrock:*:*:user/${aws:username}' }),
    docWith({
      Condition: {
        Bool: { 'aws:SecureTransport': false },
        NumericLessThanEquals: { 'quarry:MaxTokens': 4096 },
        'ForAllValues:StringLikeIfExists': { 'aws:TagKeys': ['team', 'cost-*'] },
        IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:DB8:1234:5678::/64', '198.51.100.7'] },
        DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' },
        DateGreaterThan: { 'aws:EpochTime': 1700000000 },
        Null: { 'aws:PrincipalTag/team': 'false' },
        ArnLike: { 'aws:PrincipalArn': 'arn:aws:bedrock:*:*:user/*' },
        StringEquals: { 'aws:RequestTag/owner': '${aws:username}', 'aws:RequestTag/lit': '${*}${$}' },
      },
    }),
  ];
  for (const d of valid) {
    const r = validatePolicyDocument(d);
    assert.ok(r.ok, JSON.stringify(r));
  }
  // JSON text is accepted too.
  assert.ok(validatePolicyDocument(JSON.stringify(valid[0])).ok);
});

const INVALID: [name: string, input: unknown, path: string, message: RegExp][] = [
  ['not an object', 42, '', /JSON object with Version and Statement/],
  ['array', [], '', /JSON object/],
  ['null', null, '', /JSON object/],
  ['missing Version', { Statement: stmt() }, '', /Version is required/],
  ['bad Version', { Version: '2012-10-18', Statement: stmt() }, 'Version', /must be "2012-10-17"/],
  ['missing Statement', { Version: '2012-10-17' }, '', /Statement is required/],
  ['empty Statement list', { Version: '2012-10-17', Statement: [] }, 'Statement', /empty list/],
  ['unknown top-level key', { Version: '2012-10-17', Statement: stmt(), Extra: 1 }, '', /unknown key "Extra"/],
  ['lower-case key', { version: '2012-10-17', Statement: stmt() }, '', /unknown key "version" \(keys are case-sensitive\)/],
  ['bad Effect', docWith({ Effect: 'allow' }), 'Statement[0].Effect', /Effect must be "Allow" or "Deny"/],
  ['missing Effect', docWith({ Effect: undefined }), 'Statement[0]', /Effect is required/],
  ['Principal', docWith({ Principal: '*' }), 'Statement[0]', /Principal is not allowed in an identity-based policy/],
  ['NotPrincipal', docWith({ NotPrincipal: { AWS: '*' } }), 'Statement[0]', /NotPrincipal is not allowed/],
  ['Action and NotAction', docWith({ NotAction: 'quarry:*' }), 'Statement[0]', /exactly one of Action and NotAction/],
  ['no Action', docWith({ Action: undefined }), 'Statement[0]', /exactly one of Action and NotAction/],
  ['no Resource', docWith({ Resource: undefined }), 'Statement[0]', /exactly one of Resource and NotResource/],
  ['empty Action list', docWith({ Action: [] }), 'Statement[0].Action', /empty list/],
  ['empty action', docWith({ Action: '' }), 'Statement[0].Action', /must not be empty/],
  ['action as number', docWith({ Action: 7 }), 'Statement[0].Action', /string/],
  ['action without service', docWith({ Action: 'InvokeModel' }), 'Statement[0].Action[0]', /service:name/],
  ['action with wildcard service', docWith({ Action: 'bed*:InvokeModel' }), 'Statement[0].Action[0]', /service prefix cannot contain wildcards/],
  ['action prefix without colon', docWith({ Action: 'bedrock*' }), 'Statement[0].Action[0]', /service:name/],
  ['action with odd characters', docWith({ Action: 'bedrock:Invoke Model' }), 'Statement[0].Action[0]', /letters, digits, \* and \?/],
  ['resource not an ARN', docWith({ Resource: 'knowledge-base/*' }), 'Statement[0].Resource[0]', /"\*" or an ARN/],
  ['resource with wildcard service', docWith({ Resource: 'arn:aws:*:*:*:*' }), 'Statement[0].Resource[0]', /name the service/],
  ['resource too short', docWith({ Resource: 'arn:aws:bedrock:us-east-1' }), 'Statement[0].Resource[0]', /six colon-separated fields/],
  ['variable before the resource part', docWith({ Resource: 'arn:aws:bedrock:${aws:RequestedRegion}:*:*' }), 'Statement[0].Resource[0]', /only in the resource part/],
  ['unclosed variable', docWith({ Resource: 'arn:aws:bedrock:*:*:user/${aws:username' }), 'Statement[0].Resource[0]', /not closed/],
  ['empty variable', docWith({ Resource: 'arn:aws:bedrock:*:*:user/${}' }), 'Statement[0].Resource[0]', /not a policy variable/],
  ['unquoted default', docWith({ Resource: 'arn:aws:bedrock:*:*:user/${aws:username, guest}' }), 'Statement[0].Resource[0]', /single quotes/],
  ['bad Sid', docWith({ Sid: 'no spaces please' }), 'Statement[0].Sid', /letters and digits/],
  ['duplicate Sid', { Version: '2012-10-17', Statement: [stmt({ Sid: 'A' }), stmt({ Sid: 'A' })] }, 'Statement[1].Sid', /unique/],
  ['unknown operator', docWith({ Condition: { StringEqualz: { 'aws:username': 'x' } } }), 'Statement[0].Condition.StringEqualz', /unsupported condition operator "StringEqualz"; supported operators: StringEquals, .*ArnLike.*Null/],
  ['operator in the wrong case', docWith({ Condition: { stringEquals: { 'aws:username': 'x' } } }), 'Statement[0].Condition.stringEquals', /did you mean StringEquals/],
  ['BinaryEquals is not supported', docWith({ Condition: { BinaryEquals: { 'aws:x': 'QQ==' } } }), 'Statement[0].Condition.BinaryEquals', /unsupported/],
  ['NullIfExists', docWith({ Condition: { NullIfExists: { 'aws:x': 'true' } } }), 'Statement[0].Condition.NullIfExists', /neither IfExists nor a set operator/],
  ['ForAnyValue:Null', docWith({ Condition: { 'ForAnyValue:Null': { 'aws:x': 'true' } } }), 'Statement[0].Condition.ForAnyValue:Null', /neither IfExists/],
  ['unknown set operator', docWith({ Condition: { 'ForSomeValues:StringEquals': { 'aws:x': 'y' } } }), 'Statement[0].Condition.ForSomeValues:StringEquals', /unsupported/],
  ['operator with no keys', docWith({ Condition: { StringEquals: {} } }), 'Statement[0].Condition.StringEquals', /at least one key/],
  ['condition key without prefix', docWith({ Condition: { StringEquals: { username: 'x' } } }), 'Statement[0].Condition.StringEquals.username', /not a condition key/],
  ['condition values empty list', docWith({ Condition: { StringEquals: { 'aws:username': [] } } }), 'Statement[0].Condition.StringEquals.aws:username', /at least one value/],
  ['condition value object', docWith({ Condition: { StringEquals: { 'aws:username': { a: 1 } } } }), 'Statement[0].Condition.StringEquals.aws:username', /./],
  ['condition not an object', docWith({ Condition: 'yes' }), 'Statement[0].Condition', /maps operators/],
  ['not a number', docWith({ Condition: { NumericLessThan: { 'quarry:MaxTokens': '10k' } } }), 'Statement[0].Condition.NumericLessThan.quarry:MaxTokens', /"10k" is not a number/],
  ['not a date', docWith({ Condition: { DateLessThan: { 'aws:CurrentTime': 'next tuesday' } } }), 'Statement[0].Condition.DateLessThan.aws:CurrentTime', /ISO 8601/],
  ['impossible date', docWith({ Condition: { DateLessThan: { 'aws:CurrentTime': '2025-02-30T00:00:00Z' } } }), 'Statement[0].Condition.DateLessThan.aws:CurrentTime', /ISO 8601/],
  ['not a CIDR', docWith({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/33' } } }), 'Statement[0].Condition.IpAddress.aws:SourceIp', /CIDR/],
  ['octal-looking IPv4', docWith({ Condition: { IpAddress: { 'aws:SourceIp': '010.0.0.1' } } }), 'Statement[0].Condition.IpAddress.aws:SourceIp', /CIDR/],
  ['IPv6 with a zone', docWith({ Condition: { IpAddress: { 'aws:SourceIp': 'fe80::1%eth0' } } }), 'Statement[0].Condition.IpAddress.aws:SourceIp', /CIDR/],
  ['not a boolean', docWith({ Condition: { Bool: { 'aws:SecureTransport': 'yes' } } }), 'Statement[0].Condition.Bool.aws:SecureTransport', /true or false/],
  ['Null takes booleans', docWith({ Condition: { Null: { 'aws:x': 'maybe' } } }), 'Statement[0].Condition.Null.aws:x', /true or false/],
  ['ArnLike needs an ARN shape', docWith({ Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:bedrock' } } }), 'Statement[0].Condition.ArnLike.aws:PrincipalArn', /six colon-separated/],
  ['bad variable in a condition', docWith({ Condition: { StringEquals: { 'aws:x': '${nope}' } } }), 'Statement[0].Condition.StringEquals.aws:x', /not a policy variable/],
  ['__proto__ operator', JSON.parse('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"__proto__":{"aws:x":"y"}}}}'), 'Statement.Condition.__proto__', /"__proto__" is not allowed/],
  ['__proto__ key', JSON.parse('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"__proto__":"y"}}}}'), 'Statement.Condition.StringEquals.__proto__', /not allowed/],
  ['bad JSON text', '{"Version": "2012-10-17",', '', /not valid JSON/],
];

test('invalid documents: every mistake is reported at its path with a clear message', () => {
  for (const [name, input, path, message] of INVALID) {
    const r = validatePolicyDocument(input);
    assert.equal(r.ok, false, name);
    if (r.ok) continue;
    const hit = r.issues.find((i) => i.path === path && message.test(i.message));
    assert.ok(hit, `${name}: expected ${path}: ${message}; got ${JSON.stringify(r.issues)}`);
  }
});

test('several issues are reported together; parsePolicyDocument throws one ValidationException listing them', () => {
  const bad = { Version: '2012-10-17', Statement: [stmt({ Action: 'nope' }), stmt({ Condition: { Foo: { 'aws:x': 'y' } }, Resource: 'x' })] };
  const r = validatePolicyDocument(bad);
  assert.ok(!r.ok && r.issues.length === 3, JSON.stringify(r));
  assert.throws(
    () => parsePolicyDocument(bad),
    (e: unknown) => e instanceof InvalidPolicyError && QuarryError.isInstance(e) && e.status === 400 && e.issues.length === 3 && /Statement\[0\]\.Action\[0\]/.test(e.message),
  );
});

test('size and count bounds: huge documents are refused before any work on their contents', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => `bedrock:Action${i}`);
  const cases: [string, unknown, RegExp][] = [
    ['over 10,240 characters', { Version: '2012-10-17', Statement: [stmt({ Action: many(20).map((a) => a.padEnd(120, 'x')) }), stmt({ Action: many(80).map((a) => a.padEnd(120, 'x')) })] }, /limit is 10240/],
    ['too many statements', { Version: '2012-10-17', Statement: Array.from({ length: POLICY_LIMITS.maxStatements + 1 }, () => ({ Effect: 'Allow', Action: '*', Resource: '*' })) }, /at most 100 statements/],
    ['too many actions', docWith({ Action: Array.from({ length: 101 }, () => '*') }), /more than 100 entries/],
    ['too many operators', docWith({ Condition: Object.fromEntries(Object.keys(CONDITION_OPERATORS).slice(0, 21).map((op) => [op, { 'a:b': '1' }])) }), /at most 20 condition operators/],
    ['too many keys', docWith({ Condition: { StringEquals: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`a:k${i}`, 'v'])) } }), /at most 20 keys/],
    ['too many values', docWith({ Condition: { StringEquals: { 'a:k': Array.from({ length: 101 }, (_, i) => `${i}`) } } }), /more than 100 values/],
    ['a long string', docWith({ Resource: `arn:aws:bedrock:*:*:${'x'.repeat(2049)}` }), /longer than 2048|limit is 10240/],
    ['text over the raw limit', `{"Version":"2012-10-17",${' '.repeat(MAX_POLICY_TEXT)}"Statement":[]}`, /longer than 65536/],
    ['deeply nested junk', { Version: '2012-10-17', Statement: stmt({ Condition: { StringEquals: { 'a:b': JSON.parse(`${'['.repeat(2000)}${']'.repeat(2000)}`) } } }) }, /./],
  ];
  for (const [name, input, message] of cases) {
    const t0 = performance.now();
    const r = validatePolicyDocument(input);
    // A bound on blow-ups (exponential parsing takes minutes), not a benchmark: a loaded machine takes far longer than usual.
    assert.ok(performance.now() - t0 < 3000, `${name} was slow`);
    assert.ok(!r.ok && r.issues.some((i) => message.test(i.message)), `${name}: ${JSON.stringify(r).slice(0, 400)}`);
  }
});

test('values that are not JSON are refused, not crashed on', () => {
  const cyclic: Record<string, unknown> = { Version: '2012-10-17' };
  cyclic.Statement = cyclic;
  for (const input of [cyclic, { Version: '2012-10-17', Statement: stmt({ Sid: 10n }) }, undefined, () => 1, Symbol('x')]) {
    const r = validatePolicyDocument(input);
    assert.equal(r.ok, false);
  }
});

test('a parsed document is frozen and compiled once; evaluate refuses an invalid one', () => {
  const d = parsePolicyDocument({ Version: '2012-10-17', Statement: stmt() });
  assert.ok(Object.isFrozen(d) && Object.isFrozen((d as { Statement: object }).Statement));
  assert.equal(compiledPolicy(d), compiledPolicy(d));
  const raw = { Version: '2012-10-17', Statement: { Effect: 'Alow', Action: '*', Resource: '*' } } as unknown as PolicyDocument;
  const ask = () => evaluate({ principal: alice, action: 'bedrock:InvokeModel', resource: '*' }, [{ id: 'bad', document: raw }]);
  assert.throws(ask, InvalidPolicyError);
  assert.throws(ask, /Effect must be/, 'the failure is remembered, not re-parsed into something else');
  // An object policy handed straight to evaluate is frozen when compiled, so the cached form cannot go stale.
  const live: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
  evaluate({ principal: alice, action: 'bedrock:InvokeModel', resource: '*' }, [{ id: 'live', document: live }]);
  assert.throws(() => {
    (live as { Statement: { Effect: string }[] }).Statement[0]!.Effect = 'Deny';
  }, TypeError);
});

test('Version 2008-10-17 reads ${…} literally, as IAM does', () => {
  const d = parsePolicyDocument({ Version: '2008-10-17', Statement: stmt({ Action: 'quarry:CreateApiKey', Resource: 'arn:aws:bedrock:*:*:user/${aws:username}' }) });
  const ask = (resource: string) => evaluate({ principal: alice, action: 'quarry:CreateApiKey', resource }, [{ id: 'old', document: d }]).allowed;
  assert.equal(ask('arn:aws:bedrock:us-east-1:123456789012:user/alice'), false);
});

test('policyDocumentInput: a zod schema for request bodies, JSON text or object in, frozen document out', () => {
  const ok = policyDocumentInput.safeParse(JSON.stringify({ Version: '2012-10-17', Statement: stmt() }));
  assert.ok(ok.success && Object.isFrozen(ok.data));
  const bad = policyDocumentInput.safeParse({ Version: '2012-10-17', Statement: stmt({ Effect: 'Maybe' }) });
  assert.ok(!bad.success);
  assert.match(bad.error.issues[0]!.message, /^Statement\.Effect: Effect must be "Allow" or "Deny"$/);
});

test('nesting as deep as 10,240 characters allow is refused without exhausting the stack', () => {
  const depth = 5000;
  const text = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"a:b":${'['.repeat(depth)}${']'.repeat(depth)}}}}}`;
  const r = validatePolicyDocument(text);
  assert.equal(r.ok, false);
});
