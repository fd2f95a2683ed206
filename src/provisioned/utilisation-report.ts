import type { Kysely } from 'kysely';
import { type BillingTables, type BreakEvenResult, breakEven, type ModelPrice } from '../billing/index.js';
import type { Database } from '../store/index.js';
import type { ProvisionedRow } from './provisioned-repository.js';
import type { ProvisionedTables } from './provisioned-tables.js';
import type { UnitCapacity } from './unit-capacity.js';
import { UNIT_HOUR_OUTCOME } from './unit-hour-billing.js';
import { hourOf } from './utilisation-counters.js';

const HOUR_MS = 3_600_000;

export interface HourUse {
  hour: string;
  requests: number;
  throttled: number;
  inputTokens: number;
  outputTokens: number;
  /** Busy slot time over the slots' time in the hour (so far, for the current hour). */
  concurrencyUtilisation: number;
  /** Tokens over what the units admit in the hour; absent when no per-unit token rate is known. */
  tokenUtilisation?: number;
  provisionedUsd: number;
}

export interface UtilisationReport {
  provisionedModelId: string;
  modelId: string;
  modelUnits: number;
  capacity: UnitCapacity;
  hours: HourUse[];
  totals: {
    requests: number;
    throttled: number;
    inputTokens: number;
    outputTokens: number;
    concurrencyUtilisation: number;
    tokenUtilisation?: number;
    /** What the unit-hours in the period cost. */
    provisionedUsd: number;
    /** What the same tokens would have cost on demand at list price; absent without on-demand prices. */
    onDemandUsd?: number;
  };
  /** The break-even calculator run on the observed load (steady, 24 hours a day), when prices allow. */
  breakEven?: BreakEvenResult;
  breakEvenError?: string;
}

/**
 * How much of a provisioned throughput's capacity was used, hour by hour, against what it cost and what its tokens
 * would have cost on demand — the figures to decide whether to keep, shrink or drop the units.
 */
export async function utilisationReport(opts: {
  db: Database;
  row: ProvisionedRow;
  capacity: UnitCapacity;
  hours: number;
  price: ModelPrice | undefined;
  region: string;
  now?: number;
}): Promise<UtilisationReport> {
  const { row, capacity } = opts;
  const now = opts.now ?? Date.now();
  const first = Date.parse(hourOf(now)) - (opts.hours - 1) * HOUR_MS;
  const from = Math.max(first, Date.parse(hourOf(Date.parse(row.created_at))));
  const fromIso = new Date(from).toISOString();
  const use = await opts.db
    .withTables<ProvisionedTables>()
    .selectFrom('provisioned_usage')
    .selectAll()
    .where('pt_id', '=', row.id)
    .where('hour', '>=', fromIso)
    .execute();
  const billed = await opts.db
    .withTables<BillingTables>()
    .selectFrom('usage_records')
    .select(['time', 'cost_usd'])
    .where('deployment_id', '=', `provisioned/${row.id}`)
    .where('outcome', '=', UNIT_HOUR_OUTCOME)
    .where('time', '>=', fromIso)
    .execute();
  const useBy = new Map(use.map((u) => [u.hour, u]));
  const costBy = new Map(billed.map((b) => [new Date(b.time).toISOString(), Number(b.cost_usd)]));
  const hours: HourUse[] = [];
  let slotMs = 0;
  let tokenCap = 0;
  const t = { requests: 0, throttled: 0, inputTokens: 0, outputTokens: 0, busyMs: 0, provisionedUsd: 0 };
  for (let h = from; h <= now; h += HOUR_MS) {
    const iso = new Date(h).toISOString();
    const u = useBy.get(iso);
    const span = Math.min(HOUR_MS, now - h) || 1;
    const req = Number(u?.requests ?? 0);
    const inp = Number(u?.input_tokens ?? 0);
    const out = Number(u?.output_tokens ?? 0);
    const busy = Number(u?.busy_ms ?? 0);
    const cost = costBy.get(iso) ?? 0;
    const cap = capacity.tokensPerMinute === undefined ? undefined : (capacity.tokensPerMinute * span) / 60_000;
    hours.push({
      hour: iso,
      requests: req,
      throttled: Number(u?.throttled ?? 0),
      inputTokens: inp,
      outputTokens: out,
      concurrencyUtilisation: round(busy / (capacity.concurrentRequests * span)),
      ...(cap !== undefined ? { tokenUtilisation: round((inp + out) / cap) } : {}),
      provisionedUsd: round(cost, 6),
    });
    slotMs += capacity.concurrentRequests * span;
    if (cap !== undefined) tokenCap += cap;
    t.requests += req;
    t.throttled += Number(u?.throttled ?? 0);
    t.inputTokens += inp;
    t.outputTokens += out;
    t.busyMs += busy;
    t.provisionedUsd += cost;
  }
  const p = opts.price;
  const onDemandUsd =
    p?.inputPer1k !== undefined && p.outputPer1k !== undefined ? round((t.inputTokens * p.inputPer1k + t.outputTokens * p.outputPer1k) / 1000, 6) : undefined;
  const report: UtilisationReport = {
    provisionedModelId: row.id,
    modelId: row.model_id,
    modelUnits: row.model_units,
    capacity,
    hours,
    totals: {
      requests: t.requests,
      throttled: t.throttled,
      inputTokens: t.inputTokens,
      outputTokens: t.outputTokens,
      concurrencyUtilisation: round(t.busyMs / (slotMs || 1)),
      ...(capacity.tokensPerMinute !== undefined ? { tokenUtilisation: round((t.inputTokens + t.outputTokens) / (tokenCap || 1)) } : {}),
      provisionedUsd: round(t.provisionedUsd, 6),
      ...(onDemandUsd !== undefined ? { onDemandUsd } : {}),
    },
  };
  if (p && t.inputTokens + t.outputTokens > 0) {
    const minutes = (now - from) / 60_000 || 1;
    try {
      report.breakEven = breakEven(
        { modelId: row.model_id, inputTokensPerMinute: t.inputTokens / minutes, outputTokensPerMinute: t.outputTokens / minutes, hoursPerDay: 24, daysPerMonth: 30 },
        p,
        opts.region,
      );
    } catch (e) {
      report.breakEvenError = (e as Error).message;
    }
  }
  return report;
}

function round(n: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
