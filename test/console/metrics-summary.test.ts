import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Metrics } from '../../src/metrics/index.js';
import { formatRate, formatSeconds, histogramQuantile, summarizeMetrics } from '../../web/src/lib/metrics-summary.js';
import { PrometheusParseError, parsePrometheusText } from '../../web/src/lib/prometheus-text.js';

/** The metrics page's reading of GET /metrics (web/src/lib/prometheus-text.ts, metrics-summary.ts), run in Node. */

describe('Prometheus text parser', () => {
  test('samples with and without labels, escapes in label values, special values and timestamps; comments skipped', () => {
    const text = [
      '# HELP quarry_up Whether it is up.',
      '# TYPE quarry_up gauge',
      'quarry_up 1',
      'odd{path="C:\\\\dir",quote="say \\"hi\\"",nl="a\\nb",other="back\\slash"} 2.5e3 1700000000000',
      'h_bucket{le="+Inf", model="m"} +Inf',
      'g{a="1",} -Inf',
      'n Nan',
      '',
      'neg -0.25',
    ].join('\n');
    const s = parsePrometheusText(text);
    assert.equal(s.length, 6);
    assert.deepEqual(s[0], { name: 'quarry_up', labels: {}, value: 1 });
    assert.deepEqual(s[1], { name: 'odd', labels: { path: 'C:\\dir', quote: 'say "hi"', nl: 'a\nb', other: 'back\\slash' }, value: 2500 });
    assert.deepEqual(s[2], { name: 'h_bucket', labels: { le: '+Inf', model: 'm' }, value: Number.POSITIVE_INFINITY });
    assert.deepEqual(s[3], { name: 'g', labels: { a: '1' }, value: Number.NEGATIVE_INFINITY });
    assert.ok(Number.isNaN(s[4]!.value));
    assert.equal(s[5]!.value, -0.25);
  });

  test('malformed lines are refused with their line number', () => {
    const bad = (text: string, message: RegExp) => assert.throws(() => parsePrometheusText(text), (e: unknown) => e instanceof PrometheusParseError && message.test(e.message));
    bad('ok 1\n{x="1"} 2', /^line 2: expected a metric name/);
    bad('m{x="1} 2', /label x's value is not closed/);
    bad('m{x=1} 2', /expected ="…" after label x/);
    bad('m{x="1" y="2"} 2', /expected , or \} after label x/);
    bad('m', /expected a value/);
    bad('m 0x1f', /"0x1f" is not a sample value/);
    bad('m 1 2 3', /expected a value \(and an optional timestamp\)/);
  });
});

describe('histogram quantiles', () => {
  const buckets = [
    { le: 0.1, count: 10 },
    { le: 0.5, count: 60 },
    { le: 1, count: 100 },
    { le: Number.POSITIVE_INFINITY, count: 100 },
  ];
  test('interpolated linearly inside the bucket the rank falls in, the lowest from 0', () => {
    assert.equal(histogramQuantile(0.5, buckets), 0.1 + (0.4 * 40) / 50);
    assert.equal(histogramQuantile(0.95, buckets), 0.5 + (0.5 * 35) / 40);
    assert.equal(histogramQuantile(0.05, buckets), 0.05);
  });
  test('a rank in the +Inf bucket answers the highest finite bound; no observations, no answer', () => {
    assert.equal(histogramQuantile(0.95, [{ le: 1, count: 1 }, { le: Number.POSITIVE_INFINITY, count: 10 }]), 1);
    assert.equal(histogramQuantile(0.5, [{ le: 1, count: 0 }, { le: Number.POSITIVE_INFINITY, count: 0 }]), undefined);
    assert.equal(histogramQuantile(0.5, []), undefined);
    assert.equal(histogramQuantile(0.5, [{ le: 1, count: 3 }]), undefined, 'a histogram without +Inf is incomplete');
  });
});

describe('the summary of what the server writes', () => {
  test('per model and API: invocations, errors by code, error rate, tokens, p50 and p95 from the real Metrics output', async () => {
    const m = new Metrics();
    for (let i = 0; i < 18; i++) m.observe({ model: 'acme.chat', api: 'openai.chat', outcome: 'ok', seconds: 0.2, inputTokens: 10, outputTokens: 5 });
    m.observe({ model: 'acme.chat', api: 'openai.chat', outcome: 'ThrottlingException', seconds: 0.004, inputTokens: 0, outputTokens: 0 });
    m.observe({ model: 'acme.chat', api: 'openai.chat', outcome: 'ModelTimeoutException', seconds: 40, inputTokens: 3, outputTokens: 0 });
    m.observe({ model: 'acme.chat', api: 'bedrock.converse', outcome: 'ok', seconds: 0.02, inputTokens: 7, outputTokens: 9 });
    m.observe({ model: 'model "quoted"', api: 'bedrock.converse', outcome: 'ok', seconds: 1.5, inputTokens: 1, outputTokens: 1 });
    const rows = summarizeMetrics(parsePrometheusText(await m.render()));
    assert.deepEqual(
      rows.map((r) => [r.model, r.api, r.invocations]),
      [
        ['acme.chat', 'openai.chat', 20],
        ['acme.chat', 'bedrock.converse', 1],
        ['model "quoted"', 'bedrock.converse', 1],
      ],
    );
    const chat = rows[0]!;
    assert.equal(chat.errors, 2);
    assert.equal(chat.errorRate, 0.1);
    assert.deepEqual(chat.errorCodes, [
      { code: 'ModelTimeoutException', count: 1 },
      { code: 'ThrottlingException', count: 1 },
    ]);
    assert.equal(chat.inputTokens, 183);
    assert.equal(chat.outputTokens, 90);
    // 20 observations: 1 ≤ 5 ms, 18 in (0.1, 0.25], 1 in (30, 60]. The median's rank 10 is the 9th of 18 in that bucket.
    assert.ok(Math.abs(chat.p50! - (0.1 + (0.15 * 9) / 18)) < 1e-12, String(chat.p50));
    // p95's rank 19 is the last of those 18: the bucket's upper bound.
    assert.ok(Math.abs(chat.p95! - 0.25) < 1e-12, String(chat.p95));
    const converse = rows[1]!;
    assert.deepEqual([converse.errors, converse.errorRate, converse.errorCodes], [0, 0, []]);
    assert.ok(converse.p50! > 0.01 && converse.p50! <= 0.025);
  });

  test('no invocations yet: no rows (the page shows its empty state)', async () => {
    assert.deepEqual(summarizeMetrics(parsePrometheusText(await new Metrics().render())), []);
  });

  test('latency reads in ms under a second, in s above', () => {
    assert.equal(formatSeconds(0.0042), '4.2 ms');
    assert.equal(formatSeconds(0.175), '175 ms');
    assert.equal(formatSeconds(2.5), '2.50 s');
    assert.equal(formatSeconds(42), '42.0 s');
    assert.equal(formatSeconds(undefined), '—');
  });

  test('error rates read as percentages, with a decimal while small', () => {
    assert.equal(formatRate(0), '0%');
    assert.equal(formatRate(0.002), '0.2%');
    assert.equal(formatRate(0.1), '10%');
    assert.equal(formatRate(1 / 3), '33%');
  });
});
