import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { QuarryError, silentLogger } from '../../core/index.js';
import { iamMigrations, type Principal } from '../../iam/index.js';
import { type SafeFetch, SafeResponse } from '../../net/index.js';
import { migrate } from '../../store/index.js';
import { costOf } from '../cost.js';
import { BILLING_TEST_DIALECTS, type BillingTestStore } from '../explorer/billing-test-stores.js';
import { UsageExplorer } from '../explorer/index.js';
import { type BillingTables, billingMigrations, type UsageRecordsTable } from '../tables.js';
import type { CreateBudgetBody } from './budget.js';
import { createBudgetBody } from './budget.js';
import { BudgetAdmission } from './budget-admission.js';
import type { BudgetAdmissionRequest, BudgetModelPrice } from './budget-admission-port.js';
import { BudgetNotifier } from './budget-notifier.js';
import { BudgetRepository } from './budget-repository.js';
import { BudgetService } from './budget-service.js';
import { storeSpendSource } from './budget-spend-source.js';
import { budgetMigrations } from './budget-tables.js';

const ACCOUNT = '000000000000';
const alice: Principal = { id: 'p-alice', name: 'alice', keyId: 'k-alice', isAdmin: false, accountId: ACCOUNT, authMethod: 'bearer' };
const bob: Principal = { id: 'p-bob', name: 'bob', keyId: 'k-bob', isAdmin: false, accountId: ACCOUNT, authMethod: 'bearer' };

// $1 per 1K tokens in and out: 100 input + 900 max_tokens is $1 worst case.
const MODELS: Record<string, BudgetModelPrice> = {
  'm.big': { modelId: 'm.big', cost: (u) => costOf(u, { inputPer1k: 1, outputPer1k: 1 }) },
  'm.cheap': { modelId: 'm.cheap', cost: (u) => costOf(u, { inputPer1k: 0.01, outputPer1k: 0.01 }) },
};

function request(principal: Principal, modelId = 'm.big', tags?: string): BudgetAdmissionRequest {
  return { ctx: { principal, tags }, modelId, maxTokens: 900, inputTokens: async () => 100 };
}

interface Hook {
  url: string;
  body: Record<string, unknown>;
}

function fakeFetch(hooks: Hook[], status = 204): SafeFetch {
  const f = async (input: string | URL, init?: { body?: string | Uint8Array }) => {
    hooks.push({ url: String(input), body: JSON.parse(String(init?.body)) });
    return new SafeResponse(String(input), status, '', new Headers(), new Uint8Array(), false);
  };
  return Object.assign(f, { close: async () => {} }) as SafeFetch;
}

for (const d of BILLING_TEST_DIALECTS) {
  describe(`budget admission on ${d.name}`, { skip: d.skip }, () => {
    let t: BillingTestStore;
    let hooks: Hook[];
    const open: BudgetAdmission[] = [];

    before(async () => {
      t = await d.open();
      await migrate(t.store.db, iamMigrations, billingMigrations, budgetMigrations);
    });
    after(async () => {
      for (const a of open) await a.close();
      await t?.cleanup();
    });
    beforeEach(async () => {
      hooks = [];
      await t.store.db.withTables<BillingTables>().deleteFrom('usage_records').execute();
      await t.store.db.withTables<import('./budget-tables.js').BudgetTables>().deleteFrom('budget_alerts').execute();
      await t.store.db.withTables<import('./budget-tables.js').BudgetTables>().deleteFrom('budgets').execute();
    });

    async function replica(now?: () => Date) {
      const repo = new BudgetRepository(t.store.db);
      const explorer = new UsageExplorer(t.store.db, { dialect: t.store.dialect, defaultAccountId: ACCOUNT });
      const source = storeSpendSource(explorer, repo);
      const prices = async (id: string) => MODELS[id];
      const admission = new BudgetAdmission({
        repo,
        source,
        prices,
        notifier: new BudgetNotifier({ log: silentLogger, fetch: fakeFetch(hooks), retryDelaysMs: [] }),
        log: silentLogger,
        defaultAccountId: ACCOUNT,
        region: 'us-east-1',
        syncMs: 0,
        forecastMs: 0,
        now,
      });
      open.push(admission);
      const service = new BudgetService({
        repo,
        admission,
        source,
        prices,
        directory: { userId: async (_a, name) => `p-${name}`, checkKey: async () => {} },
      });
      await admission.start();
      return { admission, service, repo };
    }

    const budget = (b: Partial<CreateBudgetBody> & { name: string; amountUsd: number }) => createBudgetBody.parse(b);

    async function record(rows: Partial<UsageRecordsTable>[]) {
      const full = rows.map((r, i) => ({
        id: `${Date.now()}-${i}-${Math.random()}`,
        request_id: 'r',
        // A millisecond in the past: a sync reads the records before its cutoff (half-open), and one stamped in the
        // same millisecond as the cutoff is, correctly, left to the next sync — which this test does not make.
        time: new Date(Date.now() - 1).toISOString(),
        principal: 'p-alice',
        key_id: 'k-alice',
        model_id: 'm.big',
        api: 'test',
        input_tokens: 0,
        output_tokens: 0,
        cache_read_tokens: 0,
        cache_write_tokens: 0,
        cost_usd: 0,
        latency_ms: 1,
        outcome: 'ok',
        account_id: ACCOUNT,
        deployment_id: '',
        provider_id: '',
        region: 'us-east-1',
        images: 0,
        tags: '{}',
        cache_hit: 0,
        saved_usd: 0,
        ...r,
      }));
      await t.store.db.withTables<BillingTables>().insertInto('usage_records').values(full).execute();
    }

    test('a caller under no budget is admitted with nothing to settle', async () => {
      const { admission, service } = await replica();
      assert.equal(await admission.admit(request(alice)), undefined);
      await service.create(ACCOUNT, budget({ name: 'bobs', amountUsd: 5, scope: { type: 'user', userName: 'bob' }, action: 'DENY' }));
      assert.equal(await admission.admit(request(alice)), undefined);
      assert.ok(await admission.admit(request(bob)));
    });

    test('50 concurrent requests against a budget that affords 10: 10 admitted, the rest refused naming the budget', async () => {
      const { admission, service } = await replica();
      await service.create(ACCOUNT, budget({ name: 'team', amountUsd: 10, action: 'DENY' }));
      const results = await Promise.allSettled(Array.from({ length: 50 }, () => admission.admit(request(alice))));
      const admitted = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<BudgetAdmission['admit']>>>).value!);
      assert.equal(admitted.length, 10);
      for (const r of results) {
        if (r.status === 'rejected') {
          assert.ok(QuarryError.isInstance(r.reason) && r.reason.code === 'ServiceQuotaExceededException');
          assert.match(r.reason.message, /Budget team \(arn:aws:bedrock:us-east-1:000000000000:budget\/team\) has used \$10\.0000 of its monthly \$10/);
        }
      }
      // Each used a quarter of its worst case: 7.5 dollars are free again, and seven more fit (the 8th reaches the amount).
      for (const a of admitted) a.settle({ costUsd: 0.25, outcome: 'ok' });
      const more = await Promise.allSettled(Array.from({ length: 20 }, () => admission.admit(request(alice))));
      assert.equal(more.filter((r) => r.status === 'fulfilled').length, 8);
      const view = await service.get(ACCOUNT, 'team');
      assert.equal(view.status?.actualUsd, 2.5);
      assert.equal(view.status?.reservedUsd, 8);
      assert.equal(view.status?.exceeded, true);
    });

    test('spend comes from usage records at start; another replica sees it after a sync', async () => {
      await record([{ cost_usd: 9.5 }, { cost_usd: 100, account_id: '111111111111', principal: 'p-other' }]);
      const one = await replica();
      await one.service.create(ACCOUNT, budget({ name: 'acct', amountUsd: 10, action: 'DENY' }));
      const a = await one.admission.admit(request(alice));
      assert.ok(a);
      await assert.rejects(one.admission.admit(request(bob)), /Budget acct/);
      a.settle({ costUsd: 0, outcome: 'ok' });

      const two = await replica();
      assert.equal((await two.service.get(ACCOUNT, 'acct')).status?.actualUsd, 9.5);
      await record([{ cost_usd: 1 }]);
      await two.admission.sync();
      await assert.rejects(two.admission.admit(request(alice)), /has used \$10\.5000/);
    });

    test('ROUTE sends callers to the cheaper model once the amount is used; a refusal later in the pipeline costs nothing', async () => {
      const { admission, service } = await replica();
      await service.create(ACCOUNT, budget({ name: 'route', amountUsd: 1, action: 'ROUTE', routeModelId: 'm.cheap', scope: { type: 'model', modelId: 'm.big' } }));
      const first = await admission.admit(request(alice));
      assert.equal(first?.modelId, undefined);
      const second = await admission.admit(request(alice));
      assert.equal(second?.modelId, 'm.cheap');
      first!.settle({ costUsd: 0, outcome: 'Refused' });
      second!.settle({ costUsd: 0.01, outcome: 'ok' });
      assert.equal((await admission.admit(request(alice)))?.modelId, undefined);
      // Other models are not in the budget's scope.
      assert.equal(await admission.admit(request(alice, 'm.cheap')), undefined);
    });

    test('a daily budget starts afresh when the day rolls over', async () => {
      const today = new Date();
      let clock = new Date(today.getTime() - 86_400_000);
      const { admission, service } = await replica(() => clock);
      await service.create(ACCOUNT, budget({ name: 'daily', amountUsd: 1, period: 'DAILY', action: 'DENY' }));
      const a = await admission.admit(request(alice));
      await assert.rejects(admission.admit(request(alice)), /refused until/);
      a!.settle({ costUsd: 1, outcome: 'ok' });
      await assert.rejects(admission.admit(request(alice)), /Budget daily/);
      clock = today;
      assert.ok(await admission.admit(request(alice)));
    });

    test('tag and key scopes apply to the callers they name', async () => {
      const { admission, service } = await replica();
      await service.create(ACCOUNT, budget({ name: 'search', amountUsd: 0.5, action: 'DENY', scope: { type: 'tag', key: 'team', value: 'search' } }));
      await service.create(ACCOUNT, budget({ name: 'bobkey', amountUsd: 0.5, action: 'DENY', scope: { type: 'key', keyId: 'k-bob' } }));
      assert.ok(await admission.admit(request(alice, 'm.big', 'team=search')));
      await assert.rejects(admission.admit(request(alice, 'm.big', 'env=prod, team=search')), /Budget search .*tag team=search/);
      assert.equal(await admission.admit(request(alice, 'm.big', 'team=ads')), undefined);
      assert.ok(await admission.admit(request(bob)));
      await assert.rejects(admission.admit(request(bob)), /Budget bobkey .*key k-bob/);
    });

    test('thresholds alert once per period, by webhook and in the store, across replicas and restarts', async () => {
      const one = await replica();
      const two = await replica();
      await one.service.create(ACCOUNT, budget({ name: 'alerts', amountUsd: 10, thresholds: [{ percent: 50, basis: 'ACTUAL' }], webhookUrl: 'https://hooks.example/budget' }));
      await two.admission.reload();
      for (const r of [one, two]) {
        const a = await r.admission.admit(request(alice));
        a!.settle({ costUsd: 6, outcome: 'ok' });
      }
      await one.admission.alertsSent();
      await two.admission.alertsSent();
      assert.equal(hooks.length, 1);
      const body = hooks[0]!.body as { type: string; budget: { name: string; arn: string }; threshold: { percent: number; basis: string }; actualUsd: number };
      assert.equal(body.type, 'quarry.budget.threshold');
      assert.equal(body.budget.arn, 'arn:aws:bedrock:us-east-1:000000000000:budget/alerts');
      assert.deepEqual(body.threshold, { percent: 50, basis: 'ACTUAL', amountUsd: 5 });
      assert.equal(body.actualUsd, 6);
      const stored = await one.service.alerts(ACCOUNT, 'alerts');
      assert.equal(stored.length, 1);
      assert.equal(stored[0]!.delivery, 'webhook');

      await record([{ cost_usd: 6 }]);
      const restarted = await replica();
      await restarted.admission.alertsSent();
      assert.equal(hooks.length, 1);
      assert.deepEqual((await restarted.service.get(ACCOUNT, 'alerts')).status?.alerted, ['ACTUAL:50']);
    });

    test('a FORECASTED threshold fires on the run-rate before the money is spent', async () => {
      const day = 86_400_000;
      const now = Date.now();
      // $2 a day for the last two weeks: whatever today's date, the month's forecast is well past $1.
      await record(Array.from({ length: 14 }, (_, i) => ({ cost_usd: 2, time: new Date(now - (i + 1) * day).toISOString() })));
      const { admission, service } = await replica();
      await service.create(ACCOUNT, budget({ name: 'foreseen', amountUsd: 1000, thresholds: [{ percent: 1, basis: 'FORECASTED' }] }));
      await admission.checkForecasts();
      await admission.alertsSent();
      const alerts = await service.alerts(ACCOUNT, 'foreseen');
      assert.deepEqual(
        alerts.map((a) => [a.threshold, a.delivery]),
        [['FORECASTED:1', 'log']],
      );
      const view = await service.get(ACCOUNT, 'foreseen');
      assert.ok(view.status?.forecast && view.status.forecast.forecastUsd > 10);
    });
  });
}

test('budget bodies are validated: names, amounts, scopes, thresholds, webhook URLs and actions', () => {
  const bad: unknown[] = [
    { name: '', amountUsd: 1 },
    { name: 'a b', amountUsd: 1 },
    { name: 'x', amountUsd: 0 },
    { name: 'x', amountUsd: -1 },
    { name: 'x', amountUsd: 'ten' },
    { name: 'x', amountUsd: 1, period: 'WEEKLY' },
    { name: 'x', amountUsd: 1, scope: { type: 'user' } },
    { name: 'x', amountUsd: 1, scope: { type: 'tag', key: 'a=b', value: 'c' } },
    { name: 'x', amountUsd: 1, thresholds: [{ percent: 50 }, { percent: 50, basis: 'ACTUAL' }] },
    { name: 'x', amountUsd: 1, webhookUrl: 'file:///etc/passwd' },
    { name: 'x', amountUsd: 1, webhookUrl: 'https://user:pw@example.com/' },
    { name: 'x', amountUsd: 1, action: 'ROUTE' },
    { name: 'x', amountUsd: 1, action: 'DENY', routeModelId: 'm' },
    { name: 'x', amountUsd: 1, extra: true },
  ];
  for (const b of bad) assert.equal(createBudgetBody.safeParse(b).success, false, JSON.stringify(b));
  const ok = createBudgetBody.parse({ name: 'ok', amountUsd: 1 });
  assert.deepEqual([ok.period, ok.action, ok.scope], ['MONTHLY', 'NONE', { type: 'account' }]);
});
