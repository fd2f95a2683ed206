import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { QuarryError } from '../../../core/errors.js';
import {
  compileContextualGroundingPolicy,
  contextualGroundingPolicyManifest,
  toContextualGroundingPolicyAssessment,
} from './contextual-grounding-policy.js';

const invalid = (pattern: RegExp) => (e: unknown) =>
  QuarryError.isInstance(e) && e.code === 'ValidationException' && pattern.test(e.message);

const source = 'The Eiffel Tower is 330 metres tall. It was completed in 1889 for the World Fair in Paris.';
const query = 'How tall is the Eiffel Tower?';

describe('contextual grounding policy', () => {
  const policy = compileContextualGroundingPolicy({
    filtersConfig: [
      { type: 'GROUNDING', threshold: 0.75 },
      { type: 'RELEVANCE', threshold: 0.5, action: 'NONE' },
    ],
  });

  test('a grounded, relevant answer passes both filters', async () => {
    const v = await policy.check({ source, query, response: 'The Eiffel Tower is 330 metres tall.' });
    assert.equal(v.detected, false);
    assert.equal(v.blocked, false);
    const assessment = toContextualGroundingPolicyAssessment(v);
    assert.equal(assessment.filters!.length, 2);
    assert.deepEqual(
      assessment.filters!.map((f) => [f.type, f.threshold, f.action, f.detected]),
      [
        ['GROUNDING', 0.75, 'NONE', false],
        ['RELEVANCE', 0.5, 'NONE', false],
      ],
    );
    assert.ok(assessment.filters!.every((f) => f.score >= 0 && f.score <= 1));
  });

  test('a hallucinated figure is blocked', async () => {
    const v = await policy.check({ source, query, response: 'The Eiffel Tower is 512 metres tall.' });
    assert.equal(v.blocked, true);
    const grounding = v.findings.find((f) => f.type === 'GROUNDING')!;
    assert.equal(grounding.detected, true);
    assert.equal(grounding.action, 'BLOCKED');
    assert.deepEqual(v.claims[0]!.unsupportedNumbers, ['512']);
  });

  test('an irrelevant answer is detected but, with action NONE, not blocked', async () => {
    const v = await policy.check({ source, query, response: 'Croissants are best eaten warm.' });
    const relevance = v.findings.find((f) => f.type === 'RELEVANCE')!;
    assert.equal(relevance.detected, true);
    assert.equal(relevance.action, 'NONE');
    assert.equal(v.blocked, true, 'the grounding filter still blocks it');
  });

  test('input is not checked; disabled filters are left out', async () => {
    const v = await policy.check({ source, query, response: 'nonsense 999' }, 'INPUT');
    assert.deepEqual(v.findings, []);
    const onlyRelevance = compileContextualGroundingPolicy({
      filtersConfig: [
        { type: 'GROUNDING', threshold: 0.9, enabled: false },
        { type: 'RELEVANCE', threshold: 0.2 },
      ],
    });
    const r = await onlyRelevance.check({ source: '', query, response: 'It is 330 metres tall.' });
    assert.deepEqual(r.findings.map((f) => f.type), ['RELEVANCE']);
  });

  test('missing qualifiers are refused, not scored against nothing', async () => {
    await assert.rejects(policy.check({ source: '', query, response: 'x' }), invalid(/GROUNDING check needs a grounding source/));
    await assert.rejects(policy.check({ source, query: '  ', response: 'x' }), invalid(/RELEVANCE check needs a query/));
    await assert.rejects(policy.check({ source, query } as never), invalid(/model response/));
  });

  test('the manifest carries the JSON Schema and says output only', () => {
    assert.deepEqual(contextualGroundingPolicyManifest.sources, ['OUTPUT']);
    assert.ok((contextualGroundingPolicyManifest.parameters as { properties: Record<string, unknown> }).properties.filtersConfig);
  });
});

describe('invalid configuration is refused with a clear message', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['no filters', { filtersConfig: [] }, /filtersConfig/],
    ['threshold above 0.99', { filtersConfig: [{ type: 'GROUNDING', threshold: 1 }] }, /threshold/],
    ['negative threshold', { filtersConfig: [{ type: 'GROUNDING', threshold: -0.1 }] }, /threshold/],
    ['a repeated type', { filtersConfig: [{ type: 'GROUNDING', threshold: 0.5 }, { type: 'GROUNDING', threshold: 0.6 }] }, /each filter type/],
    ['an unknown type', { filtersConfig: [{ type: 'FACTUALITY', threshold: 0.5 }] }, /type/],
    ['a string threshold', { filtersConfig: [{ type: 'RELEVANCE', threshold: '0.5' }] }, /threshold/],
  ];
  for (const [name, config, pattern] of cases) {
    test(name, () => assert.throws(() => compileContextualGroundingPolicy(config), invalid(pattern)));
  }
});
