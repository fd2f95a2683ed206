// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written ${…} in plain strings
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuarryError } from '../../core/errors.js';
import { canonicalResource, foundationModelArn, resourceArn, resourceProblem } from './canonical-resource.js';
import { decide, doc, kb, policies } from './policy-test-kit.js';

test('canonicalResource: canonical ARNs and * come back unchanged', () => {
  for (const arn of [
    '*',
    'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0',
    'arn:aws:bedrock:us-east-1::foundation-model/local.llama-3.2-1b-instruct-q4-k-m',
    'arn:aws:bedrock:us-east-1::foundation-model/ollama:llama3.2:1b',
    'arn:aws:bedrock:eu-west-1:123456789012:knowledge-base/KB12345678',
    'arn:aws:bedrock:us-east-1:123456789012:agent-alias/AGENT12345/ALIAS12345',
    'arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:guardrail/abc123',
    'arn:aws:bedrock:us-east-1:123456789012:user/alice@example.com',
  ]) {
    assert.equal(canonicalResource(arn), arn);
    assert.equal(resourceProblem(arn), undefined, arn);
  }
});

test('canonicalResource: partition, service and region are lower-cased; ids keep their case', () => {
  assert.equal(
    canonicalResource('ARN:AWS:BEDROCK:US-EAST-1:123456789012:knowledge-base/KB12345678'),
    'arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB12345678',
  );
  assert.match(resourceProblem('arn:aws:BEDROCK:us-east-1:123456789012:knowledge-base/KB1') ?? '', /canonical spelling is arn:aws:bedrock:/);
});

// Each of these could be read by some other layer (a URL decoder, a path normalizer, a case-insensitive lookup, a
// Unicode normalizer) as a different resource than the evaluator compares; each is refused, never repaired.
const EVASIONS: [input: string, why: RegExp][] = [
  ['arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB1%2F..%2FSECRET', /percent-encoding/],
  ['arn:aws:bedrock:us-east-1:123456789012:knowledge-base/%53ECRET', /percent-encoding/],
  ['arn:aws:bedrock:us-east-1:123456789012:knowledge-base/PUBLIC/../SECRET', /"\.\." path segment/],
  ['arn:aws:bedrock:us-east-1:123456789012:knowledge-base/./SECRET', /path segment/],
  ['arn:aws:bedrock:us-east-1:123456789012:knowledge-base//SECRET', /empty/],
  ['arn:aws:bedrock:us-east-1:123456789012:knowledge-base/SECRET/', /empty/],
  ['arn:aws:bedrock:us-east-1:123456789012:knowledge-base/SECRET\u0000', /printable ASCII/],
  ['arn:aws:bedrock:us-east-1:123456789012:knowledge-base/SECRET ', /printable ASCII/],
  ['arn:aws:bedrock:us-east-1:123456789012:knowledge-base/\u0405ECRET', /printable ASCII/],
  ['arn:aws:bedrock:us-east-1:123456789012:knowledge-base/SE\\CRET', /may contain only/],
  ['arn:aws:bedrock:us-east-1:123456789012:knowledge-base/SECRET*', /may contain only/],
  ['arn:aws:bedrock:us-east-1:123456789012:knowledge-base/SECRE?', /may contain only/],
  ['arn:aws:bedrock:us-east-1:123456789012:knowledge-base/${aws:username}', /may contain only/],
  ['arn:aws:bedrock:us-east-1:123456789012:Knowledge-Base/SECRET', /unknown resource type "Knowledge-Base"/],
  ['arn:aws:bedrock:us-east-1:123456789012:knowledgebase/SECRET', /unknown resource type/],
  ['arn:aws:bedrock:us-east-1:12345678901:knowledge-base/SECRET', /not 12 digits/],
  ['arn:aws:bedrock:us-east-1:123456789012:foundation-model/x', /empty account/],
  ['arn:aws:bedrock:us-east-1::knowledge-base/SECRET', /not 12 digits/],
  ['arn:aws:bedrock::123456789012:knowledge-base/SECRET', /region/],
  ['arn:aws:bed_rock:us-east-1:123456789012:knowledge-base/SECRET', /service/],
  ['arn:amazon:bedrock:us-east-1:123456789012:knowledge-base/SECRET', /partition/],
  ['arn:aws:bedrock:us-east-1:123456789012:knowledge-base/', /empty/],
  ['arn:aws:bedrock:us-east-1:123456789012:knowledge-base', /empty/],
  ['knowledge-base/SECRET', /expected arn:/],
  ['', /expected arn:/],
  ['**', /expected arn:/],
  [`arn:aws:bedrock:us-east-1:123456789012:knowledge-base/${'A'.repeat(3000)}`, /longer than 2048/],
];

test('canonicalResource refuses every spelling that could mean something else', () => {
  for (const [input, why] of EVASIONS) {
    assert.throws(
      () => canonicalResource(input),
      (e: unknown) => QuarryError.isInstance(e) && e.code === 'ValidationException' && e.status === 400 && why.test(e.message),
      JSON.stringify(input.slice(0, 80)),
    );
  }
});

test('evasion: no alternative spelling of a denied knowledge base is ever allowed', () => {
  const p = policies(
    doc(
      { Effect: 'Allow', Action: 'bedrock:Retrieve', Resource: 'arn:aws:bedrock:*:*:knowledge-base/*' },
      { Effect: 'Deny', Action: 'bedrock:Retrieve', Resource: 'arn:aws:bedrock:*:*:knowledge-base/SECRET' },
    ),
  );
  assert.equal(decide(p, 'bedrock:Retrieve', kb('SECRET')).reason, 'explicitDeny');
  assert.equal(decide(p, 'bedrock:Retrieve', kb('PUBLIC')).allowed, true);
  for (const [input] of EVASIONS) {
    // The evaluator refuses what is not canonical: an error, never a decision.
    assert.throws(() => decide(p, 'bedrock:Retrieve', input), /Invalid resource/, input.slice(0, 80));
    // And what canonicalResource accepts is denied like the plain spelling.
    let canonical: string | undefined;
    try {
      canonical = canonicalResource(input);
    } catch {}
    if (canonical) assert.equal(decide(p, 'bedrock:Retrieve', canonical).allowed, false, canonical);
  }
  // The upper-cased prefix canonicalizes to the denied ARN.
  assert.equal(decide(p, 'bedrock:Retrieve', canonicalResource('arn:aws:BEDROCK:us-east-1:123456789012:knowledge-base/SECRET')).reason, 'explicitDeny');
  assert.throws(() => decide(p, 'bedrock:Retrieve', 'arn:aws:BEDROCK:us-east-1:123456789012:knowledge-base/SECRET'), /canonical spelling/);
});

test('resourceArn builds canonical ARNs and refuses ids that cannot be', () => {
  assert.equal(
    resourceArn({ type: 'knowledge-base', id: 'KB12345678', region: 'us-east-1', accountId: '123456789012' }),
    'arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB12345678',
  );
  assert.equal(resourceArn({ type: 'foundation-model', id: 'amazon.titan-embed-text-v2:0', region: 'eu-west-1', accountId: '123456789012' }), 'arn:aws:bedrock:eu-west-1::foundation-model/amazon.titan-embed-text-v2:0');
  assert.equal(foundationModelArn('us-west-2', 'meta.llama3-8b-instruct-v1:0'), 'arn:aws:bedrock:us-west-2::foundation-model/meta.llama3-8b-instruct-v1:0');
  assert.throws(() => resourceArn({ type: 'user', id: '../admin', region: 'us-east-1', accountId: '123456789012' }), /path segment/);
  assert.throws(() => resourceArn({ type: 'user', id: 'bob smith', region: 'us-east-1', accountId: '123456789012' }), /printable ASCII/);
});
