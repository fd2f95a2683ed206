import type { Kysely } from 'kysely';
import type { BillingTables, ProvisionedPrice, UsageRecord } from '../billing/index.js';
import type { Logger } from '../core/index.js';
import type { Database } from '../store/index.js';
import type { ProvisionedRepository, ProvisionedRow } from './provisioned-repository.js';
import { hourlyRate } from './provisioned-service.js';
import { hourOf } from './utilisation-counters.js';

const HOUR_MS = 3_600_000;
// Bounds one pass (a server down for months catches up over a few passes instead of one huge transaction).
const MAX_RECORDS_PER_PASS = 2000;
export const UNIT_HOUR_API = 'bedrock.ProvisionedModelThroughput';
export const UNIT_HOUR_OUTCOME = 'ProvisionedHour';

export interface UnitHourBillingDeps {
  db: Database;
  repo: ProvisionedRepository;
  meter: { record(r: UsageRecord): Promise<void> };
  /** The pricing catalog's provisioned-throughput entry for a model id. */
  priceOf(modelId: string): ProvisionedPrice | undefined;
  region: string;
  log: Logger;
  now?: () => number;
}

/**
 * Charges every provisioned throughput for each clock hour it exists in, used or not, as AWS bills model units: one
 * usage record per throughput-hour, written when the hour starts, at the term's rate while the commitment lasts and
 * the no-commitment rate after. A record's id is derived from the throughput and the hour, so replicas billing the
 * same hour at once, or a replica re-billing after a crash, write it once (the meter ignores a duplicate id).
 */
export class UnitHourBilling {
  private readonly billing: Kysely<BillingTables>;
  private readonly billedThrough = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private running: Promise<number> = Promise.resolve(0);

  constructor(private readonly d: UnitHourBillingDeps) {
    this.billing = d.db.withTables<BillingTables>();
  }

  start(everyMs: number): void {
    void this.run();
    this.timer = setInterval(() => void this.run(), everyMs);
    this.timer.unref();
  }

  close(): Promise<number> {
    clearInterval(this.timer);
    return this.running;
  }

  /** One pass; resolves with the number of hour records written (or found written). Passes never overlap. */
  run(): Promise<number> {
    this.running = this.running.then(() => this.pass()).catch((e) => {
      this.d.log.warn({ err: e }, 'provisioned throughput: unit-hour billing pass failed; the next pass retries');
      return 0;
    });
    return this.running;
  }

  private async pass(): Promise<number> {
    const now = this.d.now?.() ?? Date.now();
    const rows = await this.d.repo.billable(new Date(now - 2 * HOUR_MS).toISOString());
    let written = 0;
    for (const row of rows) {
      const end = Math.min(now, row.deleted_at ? Date.parse(row.deleted_at) - 1 : now);
      let hour = Date.parse(hourOf(Date.parse(row.created_at)));
      const last = this.billedThrough.get(row.id) ?? (await this.lastBilled(row));
      if (last !== undefined) hour = Math.max(hour, last + HOUR_MS);
      const writes: Promise<void>[] = [];
      for (; hour <= end && written + writes.length < MAX_RECORDS_PER_PASS; hour += HOUR_MS) writes.push(this.d.meter.record(this.recordFor(row, hour)));
      await Promise.all(writes);
      written += writes.length;
      if (writes.length) this.billedThrough.set(row.id, hour - HOUR_MS);
    }
    return written;
  }

  private async lastBilled(row: ProvisionedRow): Promise<number | undefined> {
    const r = await this.billing
      .selectFrom('usage_records')
      .select((eb) => eb.fn.max('time').as('last'))
      .where('deployment_id', '=', `provisioned/${row.id}`)
      .where('outcome', '=', UNIT_HOUR_OUTCOME)
      .executeTakeFirst();
    return r?.last ? Date.parse(String(r.last)) : undefined;
  }

  private recordFor(row: ProvisionedRow, hour: number): UsageRecord {
    const iso = new Date(hour).toISOString();
    const committed = row.commitment_expires !== null && hour < Date.parse(row.commitment_expires);
    const rate = hourlyRate(this.d.priceOf(row.model_id), row.commitment, committed) ?? 0;
    const tags = Object.fromEntries((JSON.parse(row.tags) as { key: string; value: string }[]).map((t) => [t.key, t.value]));
    const id = `pt-hour:${row.id}:${iso}`;
    return {
      id,
      request_id: id,
      time: iso,
      principal: 'system:provisioned-throughput',
      key_id: '-',
      account_id: row.scope,
      model_id: row.model_id,
      api: UNIT_HOUR_API,
      deployment_id: `provisioned/${row.id}`,
      provider_id: '',
      region: this.d.region,
      input_tokens: 0,
      output_tokens: 0,
      cache_read_tokens: 0,
      cache_write_tokens: 0,
      cost_usd: rate * row.model_units,
      latency_ms: 0,
      outcome: UNIT_HOUR_OUTCOME,
      ...(Object.keys(tags).length ? { tags } : {}),
    };
  }
}
