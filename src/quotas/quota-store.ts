import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { notFound } from '../core/index.js';
import type { Database } from '../store/index.js';
import type { QuotaLimits } from './quota-limits.js';
import type { QuotaLimitsTable, QuotaTables } from './quota-tables.js';

/** `*`: every key of the account, or every model. */
export const EVERY = '*';
/**
 * In the key column: the account's shared allowance, one count for all its keys together, rather than a limit each
 * key gets for itself. No key id contains `@`, so it cannot name a key.
 */
export const ACCOUNT_POOL = '@account';

export interface QuotaOverride {
  keyId: string;
  modelId: string;
  limits: QuotaLimits;
  updatedAt: string;
}

export interface StoredOverride extends QuotaOverride {
  accountId: string;
}

// Columns: null inherits, -1 lifts the limit; the API and config say the same with absent and null.
const toColumn = (v: number | null | undefined): number | null => (v === undefined ? null : v === null ? -1 : v);
const fromColumn = (v: number | string | null): number | null | undefined => (v === null ? undefined : Number(v) < 0 ? null : Number(v));

function toOverride(r: QuotaLimitsTable): StoredOverride {
  const limits: QuotaLimits = {};
  const rpm = fromColumn(r.requests_per_minute);
  const tpm = fromColumn(r.tokens_per_minute);
  const conc = fromColumn(r.concurrent_requests);
  if (rpm !== undefined) limits.requestsPerMinute = rpm;
  if (tpm !== undefined) limits.tokensPerMinute = tpm;
  if (conc !== undefined) limits.concurrentRequests = conc;
  return { accountId: r.account_id, keyId: r.key_id, modelId: r.model_id, limits, updatedAt: r.updated_at };
}

/** Limit overrides as data: per account, for one key or every key, on one model or every model. */
export class QuotaStore {
  private readonly db: Kysely<QuotaTables>;

  constructor(
    db: Database,
    private readonly now: () => number = Date.now,
  ) {
    this.db = db.withTables<QuotaTables>();
  }

  async list(accountId: string): Promise<QuotaOverride[]> {
    const rows = await this.db.selectFrom('quota_limits').selectAll().where('account_id', '=', accountId).orderBy('key_id').orderBy('model_id').execute();
    return rows.map((r) => {
      const { accountId: _, ...o } = toOverride(r);
      return o;
    });
  }

  /** Every account's overrides: the snapshot the admission step resolves from. */
  async all(): Promise<StoredOverride[]> {
    return (await this.db.selectFrom('quota_limits').selectAll().execute()).map(toOverride);
  }

  /** Creates or replaces the override for (key, model): fields left out inherit, null lifts the limit. */
  async put(accountId: string, keyId: string, modelId: string, limits: QuotaLimits): Promise<QuotaOverride> {
    const updatedAt = new Date(this.now()).toISOString();
    const values = {
      requests_per_minute: toColumn(limits.requestsPerMinute),
      tokens_per_minute: toColumn(limits.tokensPerMinute),
      concurrent_requests: toColumn(limits.concurrentRequests),
      updated_at: updatedAt,
    };
    await this.db
      .insertInto('quota_limits')
      .values({ id: randomUUID(), account_id: accountId, key_id: keyId, model_id: modelId, ...values })
      .onConflict((oc) => oc.columns(['account_id', 'key_id', 'model_id']).doUpdateSet(values))
      .execute();
    return { keyId, modelId, limits, updatedAt };
  }

  async delete(accountId: string, keyId: string, modelId: string): Promise<void> {
    const r = await this.db
      .deleteFrom('quota_limits')
      .where('account_id', '=', accountId)
      .where('key_id', '=', keyId)
      .where('model_id', '=', modelId)
      .executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound(`No quota override for key ${keyId} on model ${modelId}.`);
  }
}
