import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { iamMigrations, type IamTables } from '../../iam/index.js';
import { migrate, type Store } from '../../store/index.js';
import { type BillingTables, billingMigrations, type UsageRecordsTable } from '../tables.js';
import { BILLING_TEST_DIALECTS, type BillingTestStore } from './billing-test-stores.js';
import { UsageExplorer } from './usage-explorer.js';
import { resolveUsageQuery, usageQuerySchema } from './usage-query.js';

const DEFAULT = '000000000000';
const OTHER = '111111111111';
const NOW = new Date('2026-11-20T12:00:00Z');

let n = 0;
function rec(p: Partial<UsageRecordsTable> & { time: string; cost_usd: number }): UsageRecordsTable {
  n++;
  return {
    id: `r${n}`,
    request_id: `q${n}`,
    principal: 'p-alice',
    key_id: 'k-alice',
    model_id: 'm.big',
    api: 'bedrock.converse',
    input_tokens: 10,
    output_tokens: 5,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    latency_ms: 3,
    outcome: 'ok',
    account_id: '',
    deployment_id: '',
    provider_id: 'scripted',
    region: 'us-east-1',
    images: 0,
    tags: '{}',
    cache_hit: 0,
    saved_usd: 0,
    ...p,
  };
}

async function seed(store: Store) {
  await migrate(store.db, iamMigrations, billingMigrations);
  const iam = store.db.withTables<IamTables>();
  await iam
    .insertInto('principals')
    .values([
      // A user from before accounts existed: the default account.
      { id: 'p-alice', name: 'alice', is_admin: 0, created_at: '2026-01-01T00:00:00Z', account_id: null },
      { id: 'p-bob', name: 'bob', is_admin: 0, created_at: '2026-01-01T00:00:00Z', account_id: DEFAULT },
      { id: 'p-carol', name: 'carol', is_admin: 0, created_at: '2026-01-01T00:00:00Z', account_id: OTHER },
    ])
    .execute();
  const rows = [
    rec({ time: '2026-11-01T01:00:00.000Z', cost_usd: 1 }),
    rec({ time: '2026-11-01T01:30:00.000Z', cost_usd: 2, model_id: 'm.small' }),
    rec({ id: 'tagged', time: '2026-11-02T10:00:00.000Z', cost_usd: 4, principal: 'p-bob', key_id: 'k-bob', account_id: DEFAULT, region: 'eu-west-1' }),
    // Written after records carried their account (the others are older and attributed through their user).
    rec({ time: '2026-11-02T10:59:59.999Z', cost_usd: 8, principal: 'p-carol', key_id: 'k-carol', outcome: 'ThrottlingException', account_id: OTHER }),
    rec({ time: '2026-11-19T23:00:00.000Z', cost_usd: 16, principal: 'p-gone', key_id: 'k-gone' }),
    // Outside the default period (October) and after `end`.
    rec({ time: '2026-10-31T23:59:59.999Z', cost_usd: 100 }),
    rec({ time: '2026-11-20T12:00:00.000Z', cost_usd: 1000 }),
  ];
  const billing = store.db.withTables<BillingTables>();
  await billing.insertInto('usage_records').values(rows).execute();
  await billing
    .insertInto('usage_tags')
    .values([
      { record_id: 'tagged', key: 'team', value: 'search' },
      { record_id: 'tagged', key: 'cost center', value: 'r&d' },
    ])
    .execute();
}

function q(input: unknown) {
  const r = resolveUsageQuery(usageQuerySchema.parse(input), NOW);
  if (typeof r === 'string') throw new Error(r);
  return r;
}

for (const d of BILLING_TEST_DIALECTS) {
  describe(`usage explorer on ${d.name}`, { skip: d.skip }, () => {
    let t: BillingTestStore;
    let explorer: UsageExplorer;
    before(async () => {
      t = await d.open();
      await seed(t.store);
      explorer = new UsageExplorer(t.store.db, { dialect: t.store.dialect, defaultAccountId: DEFAULT });
    });
    after(() => t?.cleanup());

    test('groups by model and day in the database, the period defaulting to this month so far', async () => {
      const r = await explorer.query(q({ groupBy: ['model'] }), {}, NOW);
      assert.equal(r.start, '2026-11-01T00:00:00.000Z');
      assert.deepEqual(
        r.groups.map((g) => [g.period, g.keys.model, g.costUsd, g.requests]),
        [
          ['2026-11-01', 'm.small', 2, 1],
          ['2026-11-01', 'm.big', 1, 1],
          ['2026-11-02', 'm.big', 12, 2],
          ['2026-11-19', 'm.big', 16, 1],
        ],
      );
      assert.equal(r.total.costUsd, 31);
      assert.equal(r.total.inputTokens, 50);
      assert.equal(r.truncated, false);
    });

    test('users by name, accounts through the user (null: the default account), hours', async () => {
      const r = await explorer.query(q({ groupBy: ['account', 'user'], granularity: 'none' }), {}, NOW);
      assert.deepEqual(
        r.groups.map((g) => [g.keys.account, g.keys.user, g.costUsd]),
        [
          [DEFAULT, 'p-gone', 16],
          [OTHER, 'carol', 8],
          [DEFAULT, 'bob', 4],
          [DEFAULT, 'alice', 3],
        ],
      );
      const h = await explorer.query(q({ granularity: 'hour', start: '2026-11-02', end: '2026-11-03' }), {}, NOW);
      assert.deepEqual(
        h.groups.map((g) => [g.period, g.costUsd]),
        [['2026-11-02T10:00:00Z', 12]],
      );
    });

    test('an account scope sees only that account; filters narrow on any dimension', async () => {
      const mine = await explorer.query(q({ groupBy: ['key'], granularity: 'none' }), { accountId: OTHER }, NOW);
      assert.deepEqual(
        mine.groups.map((g) => [g.keys.key, g.costUsd]),
        [['k-carol', 8]],
      );
      const filtered = await explorer.query(q({ granularity: 'none', filter: { model: ['m.small'], outcome: ['ok'] } }), { accountId: DEFAULT }, NOW);
      assert.equal(filtered.total.costUsd, 2);
      const byUser = await explorer.query(q({ granularity: 'none', filter: { user: ['bob'] } }), {}, NOW);
      assert.equal(byUser.total.costUsd, 4);
      // A value crafted as SQL is only ever a bound parameter.
      const hostile = await explorer.query(q({ granularity: 'none', filter: { model: ["x' OR '1'='1"] } }), {}, NOW);
      assert.equal(hostile.total.requests, 0);
    });

    test('forecast of the month: spent so far plus the recent run-rate', async () => {
      const r = await explorer.query(q({ granularity: 'none', forecast: true }), {}, NOW);
      assert.ok(r.forecast);
      assert.equal(r.forecast.actualUsd, 31);
      assert.equal(r.forecast.periodEnd, '2026-12-01T00:00:00.000Z');
      assert.ok(r.forecast.forecastUsd > 31);
      assert.ok(r.forecast.lowUsd >= 31 && r.forecast.highUsd >= r.forecast.forecastUsd);
    });

    test('region and cost-allocation tags group and filter like any dimension', async () => {
      const r = await explorer.query(q({ groupBy: ['region', 'tag:team'], granularity: 'none', filter: { 'tag:cost center': ['r&d'] } }), {}, NOW);
      assert.deepEqual(
        r.groups.map((g) => [g.keys.region, g.keys['tag:team'], g.costUsd]),
        [['eu-west-1', 'search', 4]],
      );
      const untagged = await explorer.query(q({ groupBy: ['tag:team'], granularity: 'none' }), { accountId: DEFAULT }, NOW);
      assert.deepEqual(
        untagged.groups.map((g) => [g.keys['tag:team'], g.costUsd]),
        [
          [null, 19],
          ['search', 4],
        ],
      );
    });
  });
}

test('queries are validated: dimensions, dates, range bounds', () => {
  assert.equal(usageQuerySchema.safeParse({ groupBy: ['nope'] }).success, false);
  assert.equal(usageQuerySchema.safeParse({ groupBy: ['tag:a\u202eb'] }).success, false);
  assert.equal(usageQuerySchema.safeParse({ groupBy: ['model', 'model'] }).success, false);
  assert.equal(usageQuerySchema.safeParse({ start: 'yesterday' }).success, false);
  assert.equal(usageQuerySchema.safeParse({ filter: { 'drop table': ['x'] } }).success, false);
  assert.equal(usageQuerySchema.safeParse({ extra: 1 }).success, false);
  const many = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`tag:t${i}`, ['x']]));
  assert.equal(usageQuerySchema.safeParse({ filter: many }).success, false);
  assert.match(String(resolveUsageQuery(usageQuerySchema.parse({ granularity: 'hour', start: '2026-01-01', end: '2026-03-01' }), NOW)), /at most 31 days/);
  assert.match(String(resolveUsageQuery(usageQuerySchema.parse({ start: '2026-03-01', end: '2026-01-01' }), NOW)), /must be after/);
});
