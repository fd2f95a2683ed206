import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { groupLabel, groupTotals, OTHER, periodLabel, periodsBetween, rangeBounds, seriesOf, type UsageRow, zeroAmounts } from '../../web/src/lib/usage-series.js';

/** The usage dashboard's shaping of cost-explorer rows (web/src/lib/usage-series.ts), run in Node. */

const row = (period: string, model: string | null, costUsd: number, inputTokens = 0, outputTokens = 0): UsageRow => ({
  ...zeroAmounts(),
  period,
  keys: { model },
  requests: 1,
  costUsd,
  inputTokens,
  outputTokens,
});

describe('usage ranges and periods', () => {
  const now = new Date('2026-11-23T14:35:10Z');

  test('each range starts on a whole UTC bucket and ends now', () => {
    assert.deepEqual(rangeBounds('24h', now), { start: new Date('2026-11-22T15:00:00Z'), end: now, granularity: 'hour' });
    assert.deepEqual(rangeBounds('7d', now), { start: new Date('2026-11-17T00:00:00Z'), end: now, granularity: 'day' });
    assert.deepEqual(rangeBounds('30d', now), { start: new Date('2026-10-25T00:00:00Z'), end: now, granularity: 'day' });
    assert.deepEqual(rangeBounds('month', now), { start: new Date('2026-11-01T00:00:00Z'), end: now, granularity: 'day' });
  });

  test('periods are labelled as the explorer labels its buckets, the current one included', () => {
    const h = rangeBounds('24h', now);
    const hours = periodsBetween(h.start, h.end, 'hour');
    assert.equal(hours.length, 24);
    assert.equal(hours[0], '2026-11-22T15:00:00Z');
    assert.equal(hours.at(-1), '2026-11-23T14:00:00Z');
    const d = rangeBounds('7d', now);
    assert.deepEqual(periodsBetween(d.start, d.end, 'day'), ['2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23']);
    // Across a month end.
    assert.deepEqual(periodsBetween(new Date('2026-10-30T00:00:00Z'), new Date('2026-11-02T00:00:00Z'), 'day'), ['2026-10-30', '2026-10-31', '2026-11-01']);
  });

  test('axis labels read in UTC', () => {
    assert.equal(periodLabel('2026-11-23', 'day'), 'Nov 23');
    assert.equal(periodLabel('2026-11-23T04:00:00Z', 'hour'), 'Nov 23 04:00 UTC');
  });
});

describe('usage groups and series', () => {
  test('a missing value is named for its dimension, not shown as blank', () => {
    assert.equal(groupLabel({ model: 'a' }, 'model'), 'a');
    assert.equal(groupLabel({ 'tag:team': null }, 'tag:team'), '(no team tag)');
    assert.equal(groupLabel({ key: null }, 'key'), '(no key)');
    assert.equal(groupLabel({}, undefined), 'All usage');
  });

  test('group totals sum every period and sort by spend, then tokens', () => {
    const rows = [row('2026-11-22', 'a', 0.5, 10), row('2026-11-23', 'a', 0.25, 5), row('2026-11-23', 'b', 1, 1), row('2026-11-23', 'free', 0, 100), row('2026-11-23', 'idle', 0, 0)];
    const totals = groupTotals(rows, 'model');
    assert.deepEqual(
      totals.map((t) => [t.label, t.costUsd, t.requests, t.inputTokens]),
      [
        ['b', 1, 1, 1],
        ['a', 0.75, 2, 15],
        ['free', 0, 1, 100],
        ['idle', 0, 1, 0],
      ],
    );
  });

  test('series fill every period, keep the largest groups and fold the rest into Other', () => {
    const periods = ['2026-11-21', '2026-11-22', '2026-11-23'];
    const rows = [
      row('2026-11-22', 'm1', 6),
      row('2026-11-23', 'm2', 5),
      row('2026-11-23', 'm3', 4),
      row('2026-11-22', 'm4', 1),
      row('2026-11-23', 'm5', 0.5),
      row('2026-11-23', 'free', 0),
      // A bucket outside the range (the clock moved on between query and drawing) is dropped, not misplaced.
      row('2026-11-24', 'm1', 100),
    ];
    const s = seriesOf(rows, periods, 'model', 'cost', 2);
    assert.deepEqual(s.names, ['m1', 'm2', OTHER]);
    assert.deepEqual(
      s.points.map((p) => [p.period, p.values]),
      [
        ['2026-11-21', [0, 0, 0]],
        ['2026-11-22', [6, 0, 1]],
        ['2026-11-23', [0, 5, 4.5]],
      ],
    );
    // One group past the limit is shown by name: an "Other" of one says less than its name.
    assert.deepEqual(seriesOf(rows.slice(0, 3), periods, 'model', 'cost', 2).names, ['m1', 'm2', 'm3']);
  });

  test('the token series adds input and output, in the same order as the spend series', () => {
    const rows = [row('2026-11-23', 'a', 0, 3, 4), row('2026-11-23', 'b', 1, 0, 0), row('2026-11-23', 'idle', 0, 0, 0)];
    const tokens = seriesOf(rows, ['2026-11-23'], 'model', 'tokens');
    assert.deepEqual(tokens.names, ['b', 'a'], 'ranked by spend, so each group keeps its colour; a group with nothing is left out');
    assert.deepEqual(tokens.points[0]!.values, [0, 7]);
    assert.deepEqual(seriesOf(rows, ['2026-11-23'], 'model', 'cost').names, ['b', 'a']);
  });
});
