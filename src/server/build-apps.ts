import type { Hono } from 'hono';
import { appRoutes } from '../api/quarry-apps/app-routes.js';
import type { ApiEnv } from '../api/shared/api-env.js';
import { type AppModelPort, AppService } from '../apps/index.js';
import type { PriceBook } from '../billing/index.js';
import type { Runtime } from '../runtime/index.js';
import type { Store } from '../store/index.js';
import type { QuarryConfig } from './config.js';

export interface BuiltApps {
  service: AppService;
  routes: Hono<ApiEnv>[];
}

/**
 * No-code apps for this server: widgets call models through the runtime (so IAM, quotas, budgets, guardrails and
 * metering apply to every widget as to any other call) and each run reports its cost at the prices the meter bills.
 * The store must already be migrated with appMigrations.
 */
export function buildApps(opts: { config: QuarryConfig; store: Store; runtime: Runtime; prices: PriceBook }): BuiltApps {
  const { config, runtime, prices } = opts;
  // Where the compiler checks that the runtime fits the port the domain declares.
  runtime satisfies AppModelPort;
  const service = new AppService({ db: opts.store.db, models: runtime, costOf: (model, usage) => prices.costOf(model, config.region, { usage }) });
  return { service, routes: [appRoutes({ apps: service, region: config.region, maxBodyBytes: config.limits.maxBodyBytes })] };
}
