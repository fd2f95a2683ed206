import type { Hono } from 'hono';
import type { Redis } from 'ioredis';
import { budgetRoutes } from '../api/quarry-admin/budget-routes.js';
import { usageRoutes } from '../api/quarry-admin/usage-routes.js';
import type { ApiEnv } from '../api/shared/api-env.js';
import {
  BudgetAdmission,
  BudgetNotifier,
  type BudgetPriceLookup,
  BudgetRepository,
  BudgetService,
  costOf,
  type PriceBook,
  RedisBudgetCounter,
  storeSpendSource,
  UsageExplorer,
  type UsageMeter,
} from '../billing/index.js';
import type { Logger } from '../core/index.js';
import type { IamStore } from '../iam/index.js';
import { createSafeFetch } from '../net/index.js';
import type { AdmissionStep, Runtime } from '../runtime/index.js';
import type { Store } from '../store/index.js';
import type { QuarryConfig } from './config.js';

export interface BuiltBudgets {
  explorer: UsageExplorer;
  admission: BudgetAdmission;
  service: BudgetService;
  routes: Hono<ApiEnv>[];
  close(): Promise<void>;
}

/**
 * The cost explorer and budgets. The budget step joins `admission` (the list the runtime reads on every invocation),
 * first so that a budget's reroute is what the rate limits then see, only while a budget exists. With Redis, every
 * replica decides on one shared spend per budget. The store must already be migrated with budgetMigrations.
 */
export async function buildBudgets(opts: {
  config: QuarryConfig;
  store: Store;
  iam: IamStore;
  runtime: Runtime;
  meter: UsageMeter;
  admission: AdmissionStep[];
  log: Logger;
  /** The pricing catalog; the models' own pricing when absent. */
  prices?: PriceBook;
  /** The server's Redis (`redis:` in the configuration): budget spend is then shared by every replica. */
  redis?: Redis;
}): Promise<BuiltBudgets> {
  const { config, store, runtime, log } = opts;
  const cfg = config.budgets;
  const explorer = new UsageExplorer(store.db, { dialect: store.dialect, defaultAccountId: config.accountId, beforeRead: () => opts.meter.flush() });
  const repo = new BudgetRepository(store.db);
  const source = storeSpendSource(explorer, repo, () => opts.meter.flush());
  // The model an id routes to (inference profiles included) and what a call would cost on it, as the meter prices it.
  const prices: BudgetPriceLookup = async (id) => {
    try {
      const m = (await runtime.router.route(id)).model;
      const book = opts.prices;
      return { modelId: m.id, maxOutputTokens: m.maxOutputTokens, cost: (usage) => (book ? book.costOf(m, config.region, { usage }) : costOf(usage, m.pricing)) };
    } catch {
      return undefined;
    }
  };
  const fetch = createSafeFetch({ allowHosts: cfg.webhookAllowHosts, timeoutMs: 10_000 });
  let step: AdmissionStep | undefined;
  const admission = new BudgetAdmission({
    repo,
    source,
    prices,
    notifier: new BudgetNotifier({ log, fetch }),
    log,
    defaultAccountId: config.accountId,
    region: config.region,
    defaultMaxTokens: cfg.defaultMaxTokens,
    syncMs: cfg.syncSeconds * 1000,
    forecastMs: cfg.forecastMinutes * 60_000,
    shared: opts.redis && config.redis ? new RedisBudgetCounter({ redis: opts.redis, keyPrefix: `${config.redis.keyPrefix}bg:`, log }) : undefined,
    onIndexed(any) {
      if (!step) return;
      const at = opts.admission.indexOf(step);
      if (any && at < 0) opts.admission.unshift(step);
      if (!any && at >= 0) opts.admission.splice(at, 1);
    },
  });
  // Where the compiler checks that the domain's step (typed by its own port) fits the runtime's hook.
  step = admission satisfies AdmissionStep;
  await admission.start();
  const service = new BudgetService({
    repo,
    admission,
    source,
    prices,
    directory: {
      userId: async (accountId, userName) => (await opts.iam.user(accountId, userName)).id,
      checkKey: async (accountId, keyId) => {
        await opts.iam.keys.owned(accountId, keyId);
      },
    },
  });
  return {
    explorer,
    admission,
    service,
    routes: [usageRoutes({ explorer, defaultAccountId: config.accountId }), budgetRoutes({ budgets: service })],
    async close() {
      await admission.close();
      await fetch.close();
    },
  };
}
