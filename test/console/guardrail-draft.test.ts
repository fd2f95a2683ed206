import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createGuardrailSchema } from '../../src/guardrails/index.js';
import { PII_ENTITY_TYPES } from '../../src/guardrails/pii/pii-entity-type.js';
import { emptyDraft, guardrailInputOf } from '../../web/src/lib/guardrail-draft.js';
import { findingsOf } from '../../web/src/lib/guardrail-findings.js';
import { PII_ENTITY_TYPES as CONSOLE_PII_TYPES } from '../../web/src/lib/pii-entity-types.js';

/** The guardrail form's draft and the test panel's findings (web/src/lib), run in Node against the server's schema. */

test('an empty draft sends only the name and messages; filled policies become the shapes the server accepts', () => {
  const bare = guardrailInputOf({ ...emptyDraft(), name: 'bare' });
  assert.deepEqual(Object.keys(bare).sort(), ['blockedInputMessaging', 'blockedOutputsMessaging', 'name']);
  assert.ok(createGuardrailSchema.safeParse(bare).success);

  const d = emptyDraft();
  d.name = ' full ';
  d.description = 'all policies';
  d.filters.HATE = { input: 'HIGH', output: 'MEDIUM' };
  d.filters.PROMPT_ATTACK = { input: 'LOW', output: 'NONE' };
  d.topics = [
    { name: 'Investment advice', definition: 'Recommending stocks or funds.', examples: 'Which stock should I buy?\n\n  Is gold a good bet? ' },
    { name: '', definition: '', examples: '' },
  ];
  d.words = 'project falcon\n\n  codename  \n';
  d.profanity = true;
  d.pii = [
    { type: 'EMAIL', action: 'ANONYMIZE' },
    { type: 'US_SOCIAL_SECURITY_NUMBER', action: 'BLOCK' },
  ];
  d.grounding = '0.7';
  const input = guardrailInputOf(d);
  assert.equal(input.name, 'full');
  assert.deepEqual(input.contentPolicyConfig?.filtersConfig, [
    { type: 'HATE', inputStrength: 'HIGH', outputStrength: 'MEDIUM' },
    { type: 'PROMPT_ATTACK', inputStrength: 'LOW', outputStrength: 'NONE' },
  ]);
  assert.deepEqual(input.topicPolicyConfig?.topicsConfig, [
    { name: 'Investment advice', definition: 'Recommending stocks or funds.', examples: ['Which stock should I buy?', 'Is gold a good bet?'], type: 'DENY' },
  ]);
  assert.deepEqual(input.wordPolicyConfig, { wordsConfig: [{ text: 'project falcon' }, { text: 'codename' }], managedWordListsConfig: [{ type: 'PROFANITY' }] });
  assert.equal(input.sensitiveInformationPolicyConfig?.piiEntitiesConfig.length, 2);
  assert.deepEqual(input.contextualGroundingPolicyConfig, { filtersConfig: [{ type: 'GROUNDING', threshold: 0.7 }] });
  const parsed = createGuardrailSchema.safeParse(input);
  assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
});

test('a threshold that is not a number is sent as typed and the server refuses it', () => {
  const input = guardrailInputOf({ ...emptyDraft(), name: 'bad', relevance: 'high' });
  assert.ok(!createGuardrailSchema.safeParse(JSON.parse(JSON.stringify(input))).success);
});

test('assessments become one finding per policy match, invocation metrics skipped', () => {
  const findings = findingsOf([
    {
      wordPolicy: { customWords: [{ match: 'project falcon', action: 'BLOCKED' }], managedWordLists: [{ match: 'damn', type: 'PROFANITY', action: 'BLOCKED' }] },
      sensitiveInformationPolicy: { piiEntities: [{ match: 'a@b.example', type: 'EMAIL', action: 'ANONYMIZED' }], regexes: [] },
      contentPolicy: { filters: [{ type: 'HATE', confidence: 'HIGH', action: 'BLOCKED' }] },
      topicPolicy: { topics: [{ name: 'Investment advice', type: 'DENY', action: 'BLOCKED' }] },
      contextualGroundingPolicy: { filters: [{ type: 'GROUNDING', threshold: 0.7, score: 0.2, action: 'BLOCKED' }] },
      invocationMetrics: { guardrailProcessingLatency: 3 },
    },
  ]);
  assert.deepEqual(
    findings.map((f) => [f.policy, f.what, f.detail ?? '', f.action]),
    [
      ['Denied topic', 'Investment advice', '', 'BLOCKED'],
      ['Content filter', 'HATE', 'confidence HIGH', 'BLOCKED'],
      ['Word filter', 'project falcon', '', 'BLOCKED'],
      ['Word filter', 'damn', 'PROFANITY', 'BLOCKED'],
      ['Sensitive information', 'a@b.example', 'EMAIL', 'ANONYMIZED'],
      ['Contextual grounding', 'GROUNDING', 'score 0.2 against threshold 0.7', 'BLOCKED'],
    ],
  );
});

test("the console's PII entity types are the server's", () => {
  assert.deepEqual([...CONSOLE_PII_TYPES], [...PII_ENTITY_TYPES]);
});
