import { createHash } from 'node:crypto';
import { QuarryError, type Usage } from '../core/index.js';
import { parseModelId } from '../models/index.js';
import { CACHE_HIT, type QuotaAdmissionRequest, type QuotaAdmitted, type QuotaSettlement, REFUSED } from './admission-port.js';
import type { QuotaDefinitions } from './quota-definitions.js';
import type { EffectiveLimits, LimitName } from './quota-limits.js';
import { ACCOUNT_POOL } from './quota-store.js';
import type { RateLimiter, RateTicket, ReleaseRequest } from './rate-limiter.js';

export interface QuotaAdmissionOptions {
  definitions: QuotaDefinitions;
  limiter: RateLimiter;
  /** The account of principals stored without one. */
  defaultAccountId: string;
  exemptAdministrators: boolean;
  /** Reserved for the output when a request sets no max_tokens. */
  defaultMaxTokens: number;
}

const SYSTEM_PRINCIPAL = 'system:';

// Bedrock's own wording, so clients that match on it keep working; the detail after it is Quarry's.
const WHAT: Record<LimitName, [string, string]> = {
  requestsPerMinute: ['Too many requests, please wait before trying again.', 'requests per minute'],
  tokensPerMinute: ['Too many tokens, please wait before trying again.', 'tokens per minute'],
  concurrentRequests: ['Too many concurrent requests, please wait before trying again.', 'concurrent requests'],
};

/** What counts against tokens per minute: what the model read and wrote (cache reads are not processed again). */
function tokensOf(u: Usage): number {
  return u.inputTokens + u.outputTokens + (u.cacheWriteInputTokens ?? 0);
}

function releaseOf(s: QuotaSettlement): ReleaseRequest {
  // A later admission step refused it: the request never ran, so it does not count at all.
  if (s.outcome === REFUSED) return { cancel: true };
  // A cached answer reached no model; a failure before any output used what the runtime measured or estimated.
  if (s.outcome === CACHE_HIT) return { tokens: 0 };
  return { tokens: s.usage ? tokensOf(s.usage) : 0 };
}

/**
 * Rate limits as an admission step (runtime/admission.ts): requests per minute, tokens per minute (input plus
 * max_tokens reserved on admission, as Bedrock does, then settled to what was used) and requests in flight: per key
 * and model, and, where defined, per account and model, one count shared by all the account's keys. Over a limit the
 * request is refused with ThrottlingException (HTTP 429) and the time after which it would be admitted, which each
 * wire format sends as Retry-After.
 */
export class QuotaAdmission {
  constructor(private readonly opts: QuotaAdmissionOptions) {}

  async admit(req: QuotaAdmissionRequest): Promise<QuotaAdmitted | undefined> {
    const p = req.ctx.principal;
    // The server's own work (guardrail embeddings, knowledge ingestion) runs as `system:` principals with no key.
    if ((p.isAdmin && this.opts.exemptAdministrators) || p.id.startsWith(SYSTEM_PRINCIPAL)) return undefined;
    // The model as the caller named it, without ARN or escapes: `foundation-model/x` and `x` share one allowance.
    const modelId = modelKey(parseModelId(req.modelId).id);
    const accountId = p.accountId ?? this.opts.defaultAccountId;
    const { definitions, limiter } = this.opts;
    const own = definitions.limitsFor(accountId, p.keyId, modelId);
    const pool = definitions.accountLimitsFor(accountId, modelId);
    if (!own && !pool) return undefined;
    let tokens = 0;
    if (own?.tokensPerMinute !== undefined || pool?.tokensPerMinute !== undefined) {
      tokens = (await req.inputTokens()) + (req.maxTokens ?? this.opts.defaultMaxTokens);
      if (own) this.refuseOversized(tokens, own, 'this key', modelId, req.maxTokens);
      if (pool) this.refuseOversized(tokens, pool, 'this account', modelId, req.maxTokens);
    }
    // The key's own allowance first, then the account's: a request its key refuses never takes from the account's.
    const tickets: RateTicket[] = [];
    if (own) {
      const r = await limiter.acquire({ bucket: `${p.keyId}|${modelId}`, limits: own, tokens });
      if (!r.ok) throw throttled(r.limit, r.retryAfterMs, own, 'this key', modelId);
      tickets.push(r.ticket);
    }
    if (pool) {
      // `@` appears in no key id, so the account's bucket cannot be a key's.
      const r = await limiter.acquire({ bucket: `${ACCOUNT_POOL}:${accountId}|${modelId}`, limits: pool, tokens });
      if (!r.ok) {
        // Refused by the account: the request never runs, so it leaves the key's window as if never admitted.
        for (const t of tickets) limiter.release(t, { cancel: true });
        throw throttled(r.limit, r.retryAfterMs, pool, 'this account', modelId);
      }
      tickets.push(r.ticket);
    }
    return {
      settle: (s) => {
        const release = releaseOf(s);
        for (const t of tickets) limiter.release(t, release);
      },
    };
  }

  private refuseOversized(tokens: number, limits: EffectiveLimits, whose: string, modelId: string, maxTokens: number | undefined): void {
    if (limits.tokensPerMinute === undefined || tokens <= limits.tokensPerMinute) return;
    const output = maxTokens === undefined ? `the ${this.opts.defaultMaxTokens} reserved for output when max_tokens is not set` : 'max_tokens';
    throw new QuarryError(
      'ServiceQuotaExceededException',
      `This request needs ${tokens} tokens (its input plus ${output}), more than the ${limits.tokensPerMinute} tokens per minute allowed to ${whose} on ${modelId}; lower max_tokens or shorten the input.`,
    );
  }
}

// No model id is this long (the admin API refuses longer ones); a longer one is a stranger's string, kept as a digest so
// it cannot make the limiter's buckets and caches hold megabytes per request.
const MAX_MODEL_ID = 512;
function modelKey(id: string): string {
  return id.length <= MAX_MODEL_ID ? id : `sha256:${createHash('sha256').update(id).digest('base64url')}`;
}

function throttled(limit: LimitName, retryAfterMs: number, limits: EffectiveLimits, whose: string, modelId: string): QuarryError {
  const [message, unit] = WHAT[limit];
  return new QuarryError('ThrottlingException', `${message} (limit: ${limits[limit]} ${unit} for ${whose} on ${modelId})`, { retryAfterMs });
}
