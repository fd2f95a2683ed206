import { z } from 'zod';

/** What one model unit buys. Bedrock does not publish it per model; operators set it to what their hardware serves. */
export const provisionedConfigSchema = z.strictObject({
  /** Requests one model unit serves at once (for the llama provider: context sequences reserved per unit). */
  unitConcurrency: z.number().int().min(1).max(10_000).default(2),
  /** Tokens (input + output) per minute one unit admits; the pricing catalog's per-unit input throughput when absent. */
  unitTokensPerMinute: z.number().int().min(1).max(1_000_000_000).optional(),
  /** How often each replica re-reads the provisioned throughputs and writes its utilisation counters, seconds. */
  syncSeconds: z.number().int().min(1).max(3600).default(5),
});
export type ProvisionedConfig = z.infer<typeof provisionedConfigSchema>;

export interface UnitCapacity {
  concurrentRequests: number;
  /** Absent: no token limit is known, so only concurrency is enforced. */
  tokensPerMinute?: number;
}

/** The capacity `units` model units give, from the configuration and the catalog's per-unit throughput. */
export function capacityOf(units: number, config: ProvisionedConfig, catalogUnitTpm: number | undefined): UnitCapacity {
  const tpm = config.unitTokensPerMinute ?? catalogUnitTpm;
  return { concurrentRequests: units * config.unitConcurrency, ...(tpm !== undefined ? { tokensPerMinute: units * tpm } : {}) };
}
