import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { QuarryError } from '../../../core/errors.js';
import { wordOverlapEmbedder } from '../text/word-overlap-embedder.js';
import { EVAL_CASES, EVAL_TOPICS } from './topic-eval-set.js';
import { compileTopicPolicy, toTopicPolicyAssessment, topicPolicyManifest } from './topic-policy.js';

const invalid = (pattern: RegExp) => (e: unknown) =>
  QuarryError.isInstance(e) && e.code === 'ValidationException' && pattern.test(e.message);

/** Runs the evaluation set; returns the cases each way wrong, and prints a small table. */
async function evaluate(policy: ReturnType<typeof compileTopicPolicy>, label: string) {
  const missed: string[] = [];
  const wrong: string[] = [];
  let tp = 0;
  let fp = 0;
  for (const c of EVAL_CASES) {
    const verdict = await policy.check(c.text, 'INPUT');
    const detected = verdict.findings.filter((f) => f.detected).map((f) => f.name);
    if (c.topic && detected.includes(c.topic)) tp++;
    else if (c.topic) missed.push(c.text);
    const extra = detected.filter((d) => d !== c.topic);
    fp += extra.length;
    if (extra.length) wrong.push(`${c.text} → ${extra.join(', ')}`);
  }
  const positives = EVAL_CASES.filter((c) => c.topic).length;
  console.log(`${label}: recall ${tp}/${positives}, false detections ${fp}; missed: ${JSON.stringify(missed)}; wrong: ${JSON.stringify(wrong)}`);
  return { missed, wrong };
}

describe('denied topics, lexical only', () => {
  const policy = compileTopicPolicy({ topicsConfig: EVAL_TOPICS });
  test('catches requests that use the topic’s vocabulary, passes near misses', async () => {
    const { missed, wrong } = await evaluate(policy, 'lexical');
    // Vocabulary alone cannot catch a paraphrase; it must still catch most requests phrased with the topic's words.
    const paraphrases = EVAL_CASES.filter((c) => c.paraphraseOnly).map((c) => c.text);
    assert.ok(paraphrases.every((p) => missed.includes(p)) || missed.length < paraphrases.length);
    assert.ok(EVAL_CASES.filter((c) => c.topic).length - missed.length >= 4, `missed ${missed.length}`);
    assert.deepEqual(wrong, []);
  });
  test('a verdict reports every topic with its confidence, and the evidence window', async () => {
    const text = 'Hello there. I have spare cash. Which stocks should I buy, and should I sell my index funds?';
    const verdict = await policy.check(text, 'INPUT');
    assert.equal(verdict.policy, 'topicPolicy');
    assert.equal(verdict.detected, true);
    assert.equal(verdict.blocked, true);
    assert.equal(verdict.findings.length, 2);
    const [investment, medical] = verdict.findings;
    assert.equal(investment!.detected, true);
    assert.ok(investment!.confidence >= 0.5);
    assert.equal(investment!.semantic, undefined);
    assert.equal(text.slice(investment!.evidence!.start, investment!.evidence!.end), investment!.evidence!.text);
    assert.match(investment!.evidence!.text, /stocks/);
    assert.equal(medical!.detected, false);
    assert.equal(medical!.action, 'NONE');
    assert.deepEqual(toTopicPolicyAssessment(verdict), {
      topics: [{ name: 'Investment advice', type: 'DENY', action: 'BLOCKED', detected: true }],
    });
  });
  test('actions and enabled flags follow the source', async () => {
    const p = compileTopicPolicy({
      topicsConfig: [
        { ...EVAL_TOPICS[0]!, outputAction: 'NONE' },
        { ...EVAL_TOPICS[1]!, inputEnabled: false },
      ],
    });
    const out = await p.check('Which stocks should I buy? Do these symptoms mean I have diabetes?', 'OUTPUT');
    assert.deepEqual(toTopicPolicyAssessment(out).topics, [
      { name: 'Investment advice', type: 'DENY', action: 'NONE', detected: true },
      { name: 'Medical diagnosis', type: 'DENY', action: 'BLOCKED', detected: true },
    ]);
    assert.equal(out.blocked, true);
    const inp = await p.check('Do these symptoms mean I have diabetes?', 'INPUT');
    assert.deepEqual(inp.findings.map((f) => f.name), ['Investment advice']);
    assert.equal(inp.detected, false);
  });
  test('empty, blank and very long text', async () => {
    for (const text of ['', '   \n ', '?!']) {
      const v = await policy.check(text, 'INPUT');
      assert.equal(v.detected, false);
      assert.ok(v.findings.every((f) => f.confidence === 0 && f.evidence === undefined));
    }
    const filler = 'The weather was mild and the garden needed watering. '.repeat(4000);
    const long = `${filler}Which stocks should I buy before my retirement portfolio review? ${filler}`;
    const t0 = performance.now();
    const v = await policy.check(long, 'INPUT');
    const ms = performance.now() - t0;
    assert.equal(v.detected, true, 'a topic in the middle of 400 KB is found');
    assert.match(v.findings[0]!.evidence!.text, /stocks/);
    console.log(`lexical topic check of ${(long.length / 1024).toFixed(0)} KB: ${ms.toFixed(0)} ms`);
  });
  test('lexical latency per 1 KB', async () => {
    const texts = Array.from({ length: 600 }, (_, i) =>
      `Request ${i}: I would like some help planning a trip to the coast, with a few notes about trains, hotels and the weather. `.repeat(8).slice(0, 1024),
    );
    for (const t of texts.slice(0, 100)) await policy.check(t, 'INPUT');
    const cpu: number[] = [];
    for (const t of texts) {
      const c = process.cpuUsage();
      await policy.check(t, 'INPUT');
      const used = process.cpuUsage(c);
      cpu.push((used.user + used.system) / 1000);
    }
    cpu.sort((a, b) => a - b);
    const p99 = cpu[Math.floor(cpu.length * 0.99)]!;
    console.log(`lexical topic check, 2 topics, per 1 KB: cpu p50 ${cpu[cpu.length >> 1]!.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms`);
    assert.ok(p99 <= 5, `p99 ${p99.toFixed(2)} ms`);
  });
});

describe('denied topics with an embedder', () => {
  test('the word-overlap fake: windows and anchors are embedded, anchors once per policy', async () => {
    const embed = wordOverlapEmbedder();
    const policy = compileTopicPolicy({ topicsConfig: EVAL_TOPICS }, { embed, similarity: { floor: 0.1, ceiling: 0.6 } });
    const { missed, wrong } = await evaluate(policy, 'lexical + word-overlap embedder');
    assert.ok(missed.length <= 5, `missed ${missed.length}`);
    assert.deepEqual(wrong, []);
    // 1 call for the anchors, then one per check (all windows of a text in one batch).
    assert.equal(embed.calls, 1 + EVAL_CASES.length);
    const verdict = await policy.check('Can you diagnose my chest pain?', 'INPUT');
    assert.ok(verdict.findings[1]!.semantic! > 0.9, 'an example itself is a perfect semantic match');
  });
  test('a failing embedder fails the check, and a later check retries', async () => {
    let fail = true;
    const inner = wordOverlapEmbedder();
    const policy = compileTopicPolicy({ topicsConfig: EVAL_TOPICS }, {
      embed: async (texts) => {
        if (fail) throw new Error('embedder down');
        return inner(texts);
      },
    });
    await assert.rejects(policy.check('Which stocks should I buy?', 'INPUT'), /embedder down/);
    fail = false;
    assert.equal((await policy.check('Which stocks should I buy?', 'INPUT')).detected, true);
  });
  test('an embedder that returns the wrong number of vectors is reported', async () => {
    const policy = compileTopicPolicy({ topicsConfig: EVAL_TOPICS }, { embed: async () => [] });
    await assert.rejects(policy.check('Which stocks should I buy?', 'INPUT'), /returned 0 vectors for/);
  });
});

describe('invalid configuration is refused with a clear message', () => {
  const topic = EVAL_TOPICS[0]!;
  const cases: Array<[string, unknown, RegExp]> = [
    ['no topics', { topicsConfig: [] }, /topicsConfig/],
    ['31 topics', { topicsConfig: Array.from({ length: 31 }, (_, i) => ({ ...topic, name: `t${i}` })) }, /topicsConfig/],
    ['duplicate names', { topicsConfig: [topic, { ...topic, name: 'INVESTMENT ADVICE' }] }, /topicsConfig\.1\.name.*repeats topic 0/],
    ['a name with symbols', { topicsConfig: [{ ...topic, name: 'money/advice' }] }, /name.*only letters/],
    ['a long definition', { topicsConfig: [{ ...topic, definition: 'x '.repeat(101) }] }, /definition/],
    ['six examples', { topicsConfig: [{ ...topic, examples: ['a', 'b', 'c', 'd', 'e', 'f'] }] }, /examples/],
    ['a long example', { topicsConfig: [{ ...topic, examples: ['x'.repeat(101)] }] }, /examples\.0/],
    ['type ALLOW', { topicsConfig: [{ ...topic, type: 'ALLOW' }] }, /type/],
    ['a definition without words', { topicsConfig: [{ ...topic, definition: '???' }] }, /definition needs words/],
  ];
  for (const [name, config, pattern] of cases) {
    test(name, () => assert.throws(() => compileTopicPolicy(config), invalid(pattern)));
  }
  test('threshold and similarity options', () => {
    assert.throws(() => compileTopicPolicy({ topicsConfig: [topic] }, { threshold: 2 }), invalid(/threshold/));
    assert.throws(() => compileTopicPolicy({ topicsConfig: [topic] }, { similarity: { floor: 0.5, ceiling: 0.5 } }), invalid(/ceiling/));
  });
  test('the manifest carries the JSON Schema', () => {
    assert.equal(topicPolicyManifest.id, 'topicPolicy');
    assert.ok((topicPolicyManifest.parameters as { properties: Record<string, unknown> }).properties.topicsConfig);
  });
});
