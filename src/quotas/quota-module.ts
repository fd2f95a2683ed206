import type { Redis } from 'ioredis';
import type { Logger } from '../core/index.js';
import type { Database } from '../store/index.js';
import type { QuotaAdmissionRequest, QuotaAdmitted } from './admission-port.js';
import { MemoryRateLimiter } from './memory-rate-limiter.js';
import { QuotaAdmission } from './quota-admission.js';
import { QUOTA_REFRESH_MS, QuotaDefinitions } from './quota-definitions.js';
import { type QuotasConfig, quotasConfigSchema } from './quota-limits.js';
import { QuotaStore } from './quota-store.js';
import type { RateLimiter } from './rate-limiter.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

/** A step of the runtime's admission list, as far as this module touches it. */
interface Step {
  admit(req: QuotaAdmissionRequest): Promise<QuotaAdmitted | undefined>;
}

export interface QuotaModuleOptions {
  db: Database;
  /** The `quotas:` section of the configuration; absent, only stored overrides limit anything. */
  config?: QuotasConfig;
  /** Shared counters for several replicas; absent, counted in this process. */
  redis?: Redis;
  /** Prefix of this module's Redis keys. */
  redisKeyPrefix?: string;
  defaultAccountId: string;
  log: Logger;
  /**
   * The runtime's admission list. The quota step is in it only while some limit is defined (configuration or stored
   * overrides), so a server without limits pays nothing per request; it joins at the front (rate limits refuse
   * cheaply, before budgets spend a lookup) when the first limit appears and leaves when the last one goes.
   */
  admission: Step[];
  refreshMs?: number;
}

export interface QuotaModule {
  store: QuotaStore;
  definitions: QuotaDefinitions;
  limiter: RateLimiter;
  step: QuotaAdmission;
  /** Reloads the overrides now (after a change made through this server) and installs or removes the step. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

export async function createQuotaModule(opts: QuotaModuleOptions): Promise<QuotaModule> {
  const config = opts.config ?? quotasConfigSchema.parse({});
  const store = new QuotaStore(opts.db);
  const definitions = new QuotaDefinitions(opts.config, store, opts.log);
  const limiter: RateLimiter = opts.redis
    ? new RedisRateLimiter({ redis: opts.redis, keyPrefix: opts.redisKeyPrefix, onError: config.onRedisError, leaseMs: config.concurrencyLeaseMs, log: opts.log })
    : new MemoryRateLimiter();
  const step = new QuotaAdmission({
    definitions,
    limiter,
    defaultAccountId: opts.defaultAccountId,
    exemptAdministrators: config.exemptAdministrators,
    defaultMaxTokens: config.defaultMaxTokens,
  });
  const list = opts.admission;
  definitions.onChange(() => {
    const at = list.indexOf(step);
    if (definitions.limitsAnything && at < 0) list.unshift(step);
    else if (!definitions.limitsAnything && at >= 0) list.splice(at, 1);
  });
  await definitions.start(opts.refreshMs ?? QUOTA_REFRESH_MS);
  return {
    store,
    definitions,
    limiter,
    step,
    reload: () => definitions.reload(),
    async close() {
      definitions.close();
      await limiter.close();
    },
  };
}
