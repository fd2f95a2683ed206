import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuarryError } from '../../core/index.js';
import { breakEven, breakEvenBody } from './break-even.js';
import { DEFAULT_PRICES } from './default-prices.js';
import type { ModelPrice } from './model-price.js';

const price: ModelPrice = {
  modelId: 'acme.big-v1:0',
  region: '*',
  inputPer1k: 0.05,
  outputPer1k: 0.15,
  provisioned: { noCommitmentPerHour: 30, oneMonthPerHour: 20, sixMonthPerHour: 15, unitInputTokensPerMinute: 20_000, unitOutputTokensPerMinute: 4_000 },
  asOf: '2026-11-01',
  source: 'test',
};
const close = (a: number, b: number, eps = 1e-4) => assert.ok(Math.abs(a - b) < eps, `${a} != ${b}`);

test('a steady round-the-clock workload: units, monthly costs, the cheapest term and where each breaks even', () => {
  const r = breakEven(breakEvenBody.parse({ modelId: price.modelId, inputTokensPerMinute: 10_000, outputTokensPerMinute: 2_000 }), price, 'us-east-1');
  // Half a unit of input plus half a unit of output: one unit.
  assert.equal(r.modelUnits, 1);
  // (10K × 0.05 + 2K × 0.15) / 1K = $0.80 a minute, 720 hours.
  assert.equal(r.onDemand.monthlyUsd, 34_560);
  const [none, month, six] = r.terms;
  assert.deepEqual([none!.term, month!.term, six!.term], ['no-commitment', '1-month', '6-month']);
  assert.equal(none!.monthlyUsd, 30 * 720);
  assert.equal(month!.monthlyUsd, 20 * 730);
  assert.equal(six!.monthlyUsd, 15 * 730);
  assert.equal(six!.savingsUsd, 34_560 - 10_950);
  assert.ok(none!.cheaper && month!.cheaper && six!.cheaper);
  assert.equal(r.cheapest, '6-month');
  close(none!.utilisation, 1);
  close(month!.utilisation, 720 / 730);
  close(none!.breakEvenUtilisation, 21_600 / 34_560);
  close(month!.breakEvenUtilisation, (720 / 730) * (14_600 / 34_560));
  close(six!.breakEvenUtilisation, 0.3125);
  // At the break-even workload, on-demand costs exactly what the term does.
  const at = six!.breakEvenTokensPerMinute;
  close(((at.input * 0.05 + at.output * 0.15) / 1000) * 60 * 720, 10_950, 30);
});

test('office hours: no-commitment bills only the active hours; a light workload stays on demand', () => {
  const r = breakEven(
    breakEvenBody.parse({ modelId: price.modelId, inputTokensPerMinute: 1_000, outputTokensPerMinute: 100, hoursPerDay: 8, daysPerMonth: 22 }),
    price,
    'us-east-1',
  );
  assert.equal(r.workload.activeHoursPerMonth, 176);
  assert.equal(r.terms[0]!.billedHoursPerMonth, 176);
  assert.equal(r.terms[1]!.billedHoursPerMonth, 730);
  close(r.onDemand.monthlyUsd, ((1_000 * 0.05 + 100 * 0.15) / 1000) * 60 * 176, 0.01);
  assert.equal(r.cheapest, 'on-demand');
  assert.ok(r.terms.every((t) => !t.cheaper && t.breakEvenUtilisation > t.utilisation));
});

test('units round up, and a load of exactly N units needs N', () => {
  const exact = breakEven(breakEvenBody.parse({ modelId: 'x', inputTokensPerMinute: 60_000, outputTokensPerMinute: 0 }), price, 'us-east-1');
  assert.equal(exact.modelUnits, 3);
  const over = breakEven(breakEvenBody.parse({ modelId: 'x', inputTokensPerMinute: 60_001, outputTokensPerMinute: 0 }), price, 'us-east-1');
  assert.equal(over.modelUnits, 4);
  // The request may bring its own per-unit figure.
  const quoted = breakEven(breakEvenBody.parse({ modelId: 'x', inputTokensPerMinute: 60_000, unitInputTokensPerMinute: 120_000 }), price, 'us-east-1');
  assert.equal(quoted.modelUnits, 1);
});

test('what the catalog lacks is a clear validation error, and bad workloads are refused', () => {
  const express = DEFAULT_PRICES.find((p) => p.modelId === 'amazon.titan-text-express-v1')!;
  const body = breakEvenBody.parse({ modelId: express.modelId, inputTokensPerMinute: 1000 });
  assert.throws(() => breakEven(body, express, 'us-east-1'), (e) => QuarryError.isInstance(e) && /per-model-unit throughput/.test(e.message));
  const r = breakEven({ ...body, unitInputTokensPerMinute: 50_000, unitOutputTokensPerMinute: 10_000 }, express, 'us-east-1');
  assert.equal(r.terms.length, 3);
  const onDemandOnly = DEFAULT_PRICES.find((p) => p.modelId === 'gpt-4o')!;
  assert.throws(() => breakEven(breakEvenBody.parse({ modelId: 'gpt-4o', inputTokensPerMinute: 1 }), onDemandOnly, 'us-east-1'), /no provisioned-throughput prices/);
  for (const bad of [
    { modelId: 'x', inputTokensPerMinute: 0, outputTokensPerMinute: 0 },
    { modelId: 'x', inputTokensPerMinute: -5 },
    { modelId: 'x', inputTokensPerMinute: 5, hoursPerDay: 25 },
    { modelId: 'x', inputTokensPerMinute: 5, daysPerMonth: 0 },
    { modelId: 'x', inputTokensPerMinute: Number.POSITIVE_INFINITY },
    { modelId: 'x', inputTokensPerMinute: 5, surprise: 1 },
  ]) {
    assert.equal(breakEvenBody.safeParse(bad).success, false, JSON.stringify(bad));
  }
});
