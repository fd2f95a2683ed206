import type { Redis } from 'ioredis';
import { quotaRoutes } from '../api/quarry-admin/quota-routes.js';
import type { Logger } from '../core/index.js';
import type { IamStore } from '../iam/index.js';
import { connectRedis, createQuotaModule, type QuotaModule } from '../quotas/index.js';
import type { AdmissionStep } from '../runtime/index.js';
import type { Store } from '../store/index.js';
import type { QuarryConfig } from './config.js';

export interface BuiltQuotas {
  module: QuotaModule;
  /** The connection to `redis.url`, when configured: other modules' shared counters (budgets) use it too. */
  redis?: Redis;
  routes: ReturnType<typeof quotaRoutes>;
  close(): Promise<void>;
}

/**
 * Rate limits for this server: counted in Redis when `redis.url` is configured (replicas share one count), in this
 * process otherwise. The quota step enters `admission` (the list the runtime reads on every invocation) only while a
 * limit is defined. The store must already be migrated with quotaMigrations.
 */
export async function buildQuotas(opts: { config: QuarryConfig; store: Store; iam: IamStore; admission: AdmissionStep[]; log: Logger }): Promise<BuiltQuotas> {
  const { config } = opts;
  let redis: Redis | undefined;
  if (config.redis) redis = await connectRedis(config.redis.url, opts.log);
  const module = await createQuotaModule({
    db: opts.store.db,
    config: config.quotas,
    redis,
    redisKeyPrefix: config.redis ? `${config.redis.keyPrefix}rl:` : undefined,
    defaultAccountId: config.accountId,
    log: opts.log,
    admission: opts.admission,
  });
  // Where the compiler checks that the domain's step (typed by its own port) fits the runtime's hook.
  module.step satisfies AdmissionStep;
  const routes = quotaRoutes({ quotas: module, config: config.quotas, iam: opts.iam, region: config.region, maxBodyBytes: config.limits.maxBodyBytes });
  return {
    module,
    redis,
    routes,
    async close() {
      await module.close();
      redis?.disconnect();
    },
  };
}
