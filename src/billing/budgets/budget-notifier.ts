import type { Logger } from '../../core/index.js';
import { BlockedAddressError, type SafeFetch } from '../../net/index.js';
import type { Budget, BudgetThreshold } from './budget.js';

export interface BudgetAlert {
  budget: Budget;
  arn: string;
  threshold: BudgetThreshold;
  periodStart: Date;
  periodEnd: Date;
  actualUsd: number;
  forecastUsd?: number;
  firedAt: Date;
}

export interface BudgetNotifierOptions {
  log: Logger;
  /**
   * The SSRF-guarded fetch (net/). Webhook URLs are chosen by whoever may create a budget — an account's users, not
   * the operator — so a URL naming loopback, private, link-local (cloud metadata) or similar addresses is refused
   * unless the operator allowed its host (budgets.webhookAllowHosts), as an internal alert relay usually needs.
   */
  fetch: SafeFetch;
  /** Delays between delivery attempts; the number of attempts is one more than its length. */
  retryDelaysMs?: readonly number[];
  timeoutMs?: number;
}

/** The webhook's JSON body; its shape is part of the API (README, "Budgets"). */
export function alertPayload(a: BudgetAlert) {
  const { budget: b, threshold: t } = a;
  return {
    type: 'quarry.budget.threshold',
    time: a.firedAt.toISOString(),
    budget: { name: b.name, arn: a.arn, accountId: b.accountId, amountUsd: b.amountUsd, period: b.period, scope: { type: b.scope.type, value: b.scope.label }, action: b.action },
    threshold: { percent: t.percent, basis: t.basis, amountUsd: (b.amountUsd * t.percent) / 100 },
    periodStart: a.periodStart.toISOString(),
    periodEnd: a.periodEnd.toISOString(),
    actualUsd: round(a.actualUsd),
    ...(a.forecastUsd === undefined ? {} : { forecastUsd: round(a.forecastUsd) }),
  };
}

const round = (usd: number) => Math.round(usd * 1e6) / 1e6;

/** Logs every alert, and POSTs it to the budget's webhook when it has one; answers how it was delivered. */
export class BudgetNotifier {
  constructor(private readonly opts: BudgetNotifierOptions) {}

  async send(a: BudgetAlert): Promise<string> {
    const payload = alertPayload(a);
    this.opts.log.warn({ budget: a.budget.name, accountId: a.budget.accountId, threshold: payload.threshold, actualUsd: payload.actualUsd, forecastUsd: payload.forecastUsd }, 'budget threshold reached');
    if (!a.budget.webhookUrl) return 'log';
    const body = JSON.stringify(payload);
    const delays = this.opts.retryDelaysMs ?? [1_000, 5_000];
    let last = '';
    for (let attempt = 0; attempt <= delays.length; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, delays[attempt - 1]));
      try {
        const res = await this.opts.fetch(a.budget.webhookUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'quarry-budgets' },
          body,
          // A redirect would be a second destination nobody approved; the answer's body is not needed.
          redirect: 'error',
          maxBytes: 64 * 1024,
          timeoutMs: this.opts.timeoutMs ?? 10_000,
        });
        if (res.ok) return 'webhook';
        last = `HTTP ${res.status}`;
        // A 4xx other than 408/429 will not change on retry.
        if (res.status < 500 && res.status !== 408 && res.status !== 429) break;
      } catch (e) {
        last = (e as Error).message;
        if (BlockedAddressError.is(e)) break;
      }
    }
    this.opts.log.error({ budget: a.budget.name, accountId: a.budget.accountId, webhook: a.budget.webhookUrl, reason: last }, 'budget alert webhook failed');
    return `webhook failed: ${last}`;
  }
}
