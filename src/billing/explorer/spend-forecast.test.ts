import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forecastSpend, monthOf } from './spend-forecast.js';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} ≈ ${b}`);

function days(from: string, costs: number[]): Map<string, number> {
  const m = new Map<string, number>();
  const start = Date.parse(`${from}T00:00:00Z`);
  for (const [i, c] of costs.entries()) m.set(new Date(start + i * 86_400_000).toISOString().slice(0, 10), c);
  return m;
}

test('a steady spend extends linearly to the end of the month, with no spread', () => {
  const now = new Date('2026-11-15T00:00:00Z');
  const { start, end } = monthOf(now);
  // $10 a day from Nov 1 to 14, nothing yet today.
  const f = forecastSpend({ periodStart: start, periodEnd: end, now, daily: days('2026-11-01', Array(14).fill(10)) });
  close(f.actualUsd, 140);
  close(f.dailyRateUsd, 10);
  close(f.forecastUsd, 300);
  close(f.lowUsd, 300);
  close(f.highUsd, 300);
  assert.equal(f.basisDays, 14);
});

test('on the 1st, last month\'s tail gives the rate (month-to-date alone would be a few hours)', () => {
  const now = new Date('2026-12-01T06:00:00Z');
  const { start, end } = monthOf(now);
  const daily = days('2026-11-17', Array(14).fill(20));
  daily.set('2026-12-01', 5);
  const f = forecastSpend({ periodStart: start, periodEnd: end, now, daily });
  close(f.actualUsd, 5);
  close(f.forecastUsd, 5 + 20 * (31 - 0.25));
});

test('recent days weigh more: a workload that doubled last week moves the rate toward the new level', () => {
  const now = new Date('2026-11-15T00:00:00Z');
  const { start, end } = monthOf(now);
  const f = forecastSpend({ periodStart: start, periodEnd: end, now, daily: days('2026-11-01', [...Array(7).fill(10), ...Array(7).fill(20)]) });
  assert.ok(f.dailyRateUsd > 15 && f.dailyRateUsd < 20, String(f.dailyRateUsd));
  assert.ok(f.highUsd > f.forecastUsd && f.lowUsd < f.forecastUsd && f.lowUsd >= f.actualUsd);
});

test('a new project: days before its first spend are not zeros; with no full day, today is extrapolated', () => {
  const now = new Date('2026-11-15T12:00:00Z');
  const { start, end } = monthOf(now);
  const f = forecastSpend({ periodStart: start, periodEnd: end, now, daily: days('2026-11-13', [8, 8, 4]) });
  close(f.dailyRateUsd, 8);
  assert.equal(f.basisDays, 2);
  const fresh = forecastSpend({ periodStart: start, periodEnd: end, now, daily: days('2026-11-15', [3]) });
  close(fresh.dailyRateUsd, 6);
  close(fresh.forecastUsd, 3 + 6 * 15.5);
  const none = forecastSpend({ periodStart: start, periodEnd: end, now, daily: new Map() });
  close(none.forecastUsd, 0);
});

test('under two complete days the spread is unknown: the band assumes a day varies by its whole rate, not by nothing', () => {
  const now = new Date('2026-11-15T12:00:00Z');
  const { start, end } = monthOf(now);
  const fresh = forecastSpend({ periodStart: start, periodEnd: end, now, daily: days('2026-11-15', [3]) });
  const band = 1.2816 * 6 * Math.sqrt(15.5);
  close(fresh.highUsd, fresh.forecastUsd + band, 1e-6);
  close(fresh.lowUsd, Math.max(3, fresh.forecastUsd - band), 1e-6);
  const oneDay = forecastSpend({ periodStart: start, periodEnd: end, now, daily: days('2026-11-14', [8, 1]) });
  assert.equal(oneDay.basisDays, 1);
  assert.ok(oneDay.highUsd - oneDay.lowUsd > 8, `${oneDay.lowUsd} .. ${oneDay.highUsd}`);
  // Two or more days measure the spread: identical days still give none.
  const steady = forecastSpend({ periodStart: start, periodEnd: end, now, daily: days('2026-11-13', [8, 8, 1]) });
  close(steady.highUsd, steady.forecastUsd);
});
