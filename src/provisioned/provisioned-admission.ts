import { QuarryError, type Usage } from '../core/index.js';
import type { Principal } from '../iam/index.js';
import { parseModelId } from '../models/index.js';
import type { RateLimiter, ReleaseRequest } from '../quotas/index.js';
import { provisionedIdOf } from './provisioned-ids.js';
import type { ProvisionedIndex } from './provisioned-index.js';
import { capacityOf, type ProvisionedConfig } from './unit-capacity.js';
import type { UtilisationCounters } from './utilisation-counters.js';

/**
 * The part of the runtime's admission hook (runtime/admission.ts) this step uses; the runtime accepts it structurally
 * and the server checks that it does (a domain may not import the runtime above it).
 */
export interface ProvisionedAdmissionRequest {
  ctx: { principal: Principal };
  modelId: string;
  maxTokens?: number;
  inputTokens(): Promise<number>;
}
export interface ProvisionedSettlement {
  usage?: Usage;
  outcome: string;
}
export interface ProvisionedAdmitted {
  modelId?: string;
  prepaidCapacity?: string;
  settle(s: ProvisionedSettlement): void;
}

export interface ProvisionedAdmissionOptions {
  index: ProvisionedIndex;
  limiter: RateLimiter;
  counters: UtilisationCounters;
  config: ProvisionedConfig;
  defaultAccountId: string;
  /** The pricing catalog's per-unit tokens a minute for a model, when it has one. */
  unitTokensPerMinute(modelId: string): number | undefined;
  /** Requests a model serves at once in all, when known (model-capacity.ts). */
  modelCapacity(modelId: string): Promise<number | undefined>;
  /** Reserved for the output when a request sets no max_tokens. */
  defaultMaxTokens: number;
}

// Outcomes runtime/admission.ts and the runtime give (REFUSED_OUTCOME, CACHE_HIT_OUTCOME).
const REFUSED = 'Refused';
const CACHE_HIT = 'CacheHit';

function releaseOf(s: ProvisionedSettlement): ReleaseRequest {
  if (s.outcome === REFUSED) return { cancel: true };
  if (s.outcome === CACHE_HIT || !s.usage) return { tokens: 0 };
  return { tokens: s.usage.inputTokens + s.usage.outputTokens };
}

/**
 * Provisioned throughput at invocation time. A request naming a provisioned model (its id or ARN) runs on that
 * throughput's capacity — only for the owning account — and on the model under it, with no per-token charge (the
 * units bill by the hour). Over the units' capacity it is throttled, as Bedrock throttles a provisioned model.
 * On-demand requests to a model with provisioned units share what the deployments have left: when the model's
 * capacity is configured, they are throttled first, and never take the reserved part.
 */
export class ProvisionedAdmission {
  constructor(private readonly o: ProvisionedAdmissionOptions) {}

  async admit(req: ProvisionedAdmissionRequest): Promise<ProvisionedAdmitted | undefined> {
    const account = req.ctx.principal.accountId ?? this.o.defaultAccountId;
    const ptId = provisionedIdOf(req.modelId, account);
    if (ptId !== undefined) return this.onProvisioned(req, account, ptId);
    return this.onDemand(req);
  }

  private async onProvisioned(req: ProvisionedAdmissionRequest, account: string, id: string): Promise<ProvisionedAdmitted | undefined> {
    const row = await this.o.index.find(account, id);
    if (!row) {
      // A bare id of that shape may still be a catalog model's; a provisioned-model ARN can only name a throughput.
      if (!req.modelId.includes('provisioned-model')) return this.onDemand(req);
      throw new QuarryError('ResourceNotFoundException', `Provisioned model ${req.modelId} was not found in this account.`);
    }
    const cap = capacityOf(row.model_units, this.o.config, this.o.unitTokensPerMinute(row.model_id));
    const tokens = cap.tokensPerMinute === undefined ? 0 : (await req.inputTokens()) + (req.maxTokens ?? this.o.defaultMaxTokens);
    const started = Date.now();
    const r = await this.o.limiter.acquire({ bucket: `pt:${id}`, limits: cap, tokens });
    if (!r.ok) {
      this.o.counters.throttled(id, started);
      const what = r.limit === 'concurrentRequests' ? `${cap.concurrentRequests} requests at once` : `${cap.tokensPerMinute} tokens a minute`;
      throw new QuarryError(
        'ThrottlingException',
        `Provisioned throughput ${row.name} is at its capacity (${row.model_units} model unit${row.model_units === 1 ? '' : 's'}: ${what}); retry shortly or buy more units.`,
        { retryAfterMs: r.retryAfterMs },
      );
    }
    const ticket = r.ticket;
    return {
      modelId: row.model_id,
      prepaidCapacity: `provisioned/${id}`,
      settle: (s) => {
        this.o.limiter.release(ticket, releaseOf(s));
        if (s.outcome !== REFUSED) this.o.counters.served(id, started, Date.now() - started, s.usage?.inputTokens ?? 0, s.usage?.outputTokens ?? 0);
      },
    };
  }

  private async onDemand(req: ProvisionedAdmissionRequest): Promise<ProvisionedAdmitted | undefined> {
    const modelId = parseModelId(req.modelId).id;
    const units = this.o.index.unitsOn(modelId);
    if (!units) return undefined;
    const total = await this.o.modelCapacity(modelId);
    if (total === undefined) return undefined;
    const left = total - capacityOf(units, this.o.config, undefined).concurrentRequests;
    if (left <= 0) {
      throw new QuarryError('ThrottlingException', `All of ${modelId}'s capacity is provisioned; on-demand requests are throttled. Use a provisioned model or retry later.`, {
        retryAfterMs: 1000,
      });
    }
    const r = await this.o.limiter.acquire({ bucket: `od:${modelId}`, limits: { concurrentRequests: left }, tokens: 0 });
    if (!r.ok) {
      throw new QuarryError('ThrottlingException', `${modelId}'s on-demand capacity (${left} requests at once beside its provisioned units) is in use; retry shortly.`, {
        retryAfterMs: r.retryAfterMs,
      });
    }
    const ticket = r.ticket;
    return { settle: (s) => this.o.limiter.release(ticket, releaseOf(s)) };
  }
}
