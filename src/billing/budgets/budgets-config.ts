import { z } from 'zod';
import { HostAllowList } from '../../net/index.js';

const DEFAULTS = { webhookAllowHosts: [], syncSeconds: 15, forecastMinutes: 5, defaultMaxTokens: 4096 };

/** `budgets:` in quarry.yaml. Budgets themselves are data (API, CLI); this is only how the server runs them. */
export const budgetsConfigSchema = z
  .object({
    /**
     * Hosts (`host` or `host:port`) budget webhooks may reach although they resolve to loopback or private addresses —
     * an internal alert relay, say. Every other private destination is refused: budgets are created by account users,
     * and a webhook is a request the server makes on their behalf.
     */
    webhookAllowHosts: z
      .array(z.string().min(1).max(260))
      .max(100)
      .refine((hosts) => {
        try {
          new HostAllowList(hosts);
          return true;
        } catch {
          return false;
        }
      }, 'each entry is a host or host:port')
      .default([]),
    /** How often each replica re-reads budget spend from the store (what the other replicas spent). */
    syncSeconds: z.number().int().min(1).max(3600).default(DEFAULTS.syncSeconds),
    /** How often FORECASTED thresholds are evaluated. */
    forecastMinutes: z.number().int().min(1).max(1440).default(DEFAULTS.forecastMinutes),
    /** Output tokens reserved for a request that sets no max_tokens, when the model does not say its own limit. */
    defaultMaxTokens: z.number().int().positive().max(10_000_000).default(DEFAULTS.defaultMaxTokens),
  })
  .strict()
  .default(DEFAULTS);

export type BudgetsConfig = z.infer<typeof budgetsConfigSchema>;
