import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Logger } from '../core/index.js';
import type { Database } from '../store/index.js';
import type { ProvisionedTables } from './provisioned-tables.js';

type Counts = { requests: number; throttled: number; input: number; output: number; busyMs: number };

export function hourOf(t: Date | number): string {
  const d = new Date(t);
  d.setUTCMinutes(0, 0, 0);
  return d.toISOString();
}

/**
 * Each replica counts use of each provisioned throughput per clock hour in memory and adds it to the store's row for
 * that hour every few seconds (an upsert that adds, so replicas' counts sum). A crash loses at most the unflushed
 * seconds of counts — these feed a utilisation report, not a bill.
 */
export class UtilisationCounters {
  private pending = new Map<string, Counts>();
  private readonly db: Kysely<ProvisionedTables>;
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    db: Database,
    private readonly log: Logger,
  ) {
    this.db = db.withTables<ProvisionedTables>();
  }

  start(flushMs: number): void {
    this.timer = setInterval(() => void this.flush(), flushMs);
    this.timer.unref();
  }

  served(ptId: string, at: number, busyMs: number, input: number, output: number): void {
    const c = this.counts(ptId, at);
    c.requests++;
    c.busyMs += busyMs;
    c.input += input;
    c.output += output;
  }

  throttled(ptId: string, at: number): void {
    this.counts(ptId, at).throttled++;
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write()).catch((e) => this.log.warn({ err: e }, 'provisioned throughput: utilisation counts not written'));
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private counts(ptId: string, at: number): Counts {
    const key = `${ptId} ${hourOf(at)}`;
    let c = this.pending.get(key);
    if (!c) {
      c = { requests: 0, throttled: 0, input: 0, output: 0, busyMs: 0 };
      this.pending.set(key, c);
    }
    return c;
  }

  private async write(): Promise<void> {
    if (!this.pending.size) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      for (const [key, c] of batch) {
        const [pt_id, hour] = key.split(' ') as [string, string];
        await this.db
          .insertInto('provisioned_usage')
          .values({ pt_id, hour, requests: c.requests, throttled: c.throttled, input_tokens: c.input, output_tokens: c.output, busy_ms: Math.round(c.busyMs) })
          .onConflict((oc) =>
            oc.columns(['pt_id', 'hour']).doUpdateSet({
              requests: sql`provisioned_usage.requests + excluded.requests`,
              throttled: sql`provisioned_usage.throttled + excluded.throttled`,
              input_tokens: sql`provisioned_usage.input_tokens + excluded.input_tokens`,
              output_tokens: sql`provisioned_usage.output_tokens + excluded.output_tokens`,
              busy_ms: sql`provisioned_usage.busy_ms + excluded.busy_ms`,
            }),
          )
          .execute();
        batch.delete(key);
      }
    } catch (e) {
      // Put back what was not written so the next flush carries it.
      for (const [key, c] of batch) {
        const [id, hour] = key.split(' ') as [string, string];
        const into = this.counts(id, Date.parse(hour));
        into.requests += c.requests;
        into.throttled += c.throttled;
        into.input += c.input;
        into.output += c.output;
        into.busyMs += c.busyMs;
      }
      throw e;
    }
  }
}
