import type { Hono } from 'hono';
import { provisionedRoutes } from '../api/bedrock/provisioned-routes.js';
import type { ApiEnv } from '../api/shared/api-env.js';
import type { PriceBook, UsageMeter } from '../billing/index.js';
import type { Logger } from '../core/index.js';
import {
  capacityOf,
  modelCapacity,
  ProvisionedAdmission,
  ProvisionedIndex,
  ProvisionedRepository,
  ProvisionedService,
  provisionedArn,
  provisionedIdOf,
  UnitHourBilling,
  UtilisationCounters,
  utilisationReport,
} from '../provisioned/index.js';
import type { RateLimiter } from '../quotas/index.js';
import type { AdmissionStep, Runtime } from '../runtime/index.js';
import type { Store } from '../store/index.js';
import type { QuarryConfig } from './config.js';

export interface BuiltProvisioned {
  service: ProvisionedService;
  index: ProvisionedIndex;
  billing: UnitHourBilling;
  counters: UtilisationCounters;
  routes: Hono<ApiEnv>[];
  /** The runtime's accountModelArn hook: a provisioned throughput's ARN for the policy check. */
  arnOf(accountId: string | undefined, modelId: string): string | undefined;
  close(): Promise<void>;
}

const BILLING_PASS_MS = 60_000;

/**
 * Provisioned throughput for this server: the control plane, the admission step (which joins the runtime's list
 * while any throughput exists, last, so that quotas and budgets see the id the caller named), unit-hour billing and
 * utilisation counting. Capacity is counted by the rate limiter the quotas use, so it holds across replicas with Redis.
 * The store must already be migrated with provisionedMigrations.
 */
export async function buildProvisioned(opts: {
  config: QuarryConfig;
  store: Store;
  runtime: Runtime;
  meter: UsageMeter;
  prices: PriceBook;
  limiter: RateLimiter;
  admission: AdmissionStep[];
  log: Logger;
}): Promise<BuiltProvisioned> {
  const { config, store, prices, log } = opts;
  const cfg = config.provisionedThroughput;
  const region = config.region;
  const repo = new ProvisionedRepository(store.db);
  const index = new ProvisionedIndex(repo, log);
  const counters = new UtilisationCounters(store.db, log);
  const unitTpm = (modelId: string) => prices.lookup([modelId], region)?.provisioned?.unitInputTokensPerMinute;
  // What the model serves at once: its deployments' declared capacity, or the llama engine's sequences. A deployment an
  // operator drained at runtime serves nothing, and one restored over the configuration's drained: true serves again.
  const router = opts.runtime.router;
  const capacityOfModel = async (modelId: string): Promise<number | undefined> => {
    const model = await opts.runtime.resolveModel(modelId).catch(() => undefined);
    const deployments = config.deployments.map((d) => ({ ...d, drained: router.drainOverride(d.id) ?? d.drained }));
    return modelCapacity({ deployments, providers: config.providers }, modelId, model?.model.providerId);
  };
  const step = new ProvisionedAdmission({
    index,
    limiter: opts.limiter,
    counters,
    config: cfg,
    defaultAccountId: config.accountId,
    unitTokensPerMinute: unitTpm,
    modelCapacity: capacityOfModel,
    defaultMaxTokens: config.quotas?.defaultMaxTokens ?? 4096,
  });
  // Where the compiler checks that the domain's step (typed by its own port) fits the runtime's hook.
  step satisfies AdmissionStep;
  index.onChange((any) => {
    const at = opts.admission.indexOf(step);
    if (any && at < 0) opts.admission.push(step);
    if (!any && at >= 0) opts.admission.splice(at, 1);
  });
  await index.start(cfg.syncSeconds * 1000);
  counters.start(cfg.syncSeconds * 1000);
  const billing = new UnitHourBilling({ db: store.db, repo, meter: opts.meter, priceOf: (id) => prices.lookup([id], region)?.provisioned, region, log });
  const service = new ProvisionedService({
    repo,
    config: cfg,
    resolveModel: async (id) => (await opts.runtime.resolveModel(id)).model,
    priceOf: (model) => prices.priceOf(model, region)?.provisioned,
    modelCapacity: capacityOfModel,
    changed: async () => {
      await index.reload();
      // Bill the first hour now: the units are reserved from this moment.
      await billing.run();
    },
  });
  billing.start(BILLING_PASS_MS);
  const routes = provisionedRoutes({
    service,
    region,
    maxBodyBytes: config.limits.maxBodyBytes,
    utilisation: async (row, hours) => {
      await counters.flush();
      await opts.meter.flush();
      const capacity = capacityOf(row.model_units, cfg, unitTpm(row.model_id));
      // The catalog model's prices include the configuration's models[].pricing on top of the pricing catalog.
      const model = await opts.runtime.resolveModel(row.model_id).catch(() => undefined);
      const price = model ? prices.priceOf(model.model, region) : prices.lookup([row.model_id], region);
      return utilisationReport({ db: store.db, row, capacity, hours, price, region });
    },
  });
  return {
    service,
    index,
    billing,
    counters,
    routes: [routes],
    arnOf(accountId, modelId) {
      const account = accountId ?? config.accountId;
      const id = provisionedIdOf(modelId, account);
      if (id === undefined) return undefined;
      return index.get(id)?.scope === account || modelId.includes('provisioned-model') ? provisionedArn(region, account, id) : undefined;
    },
    async close() {
      index.close();
      await billing.close();
      await counters.close();
    },
  };
}
