import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import type { ProvisionedTables, ProvisionedThroughputsTable } from './provisioned-tables.js';

export type ProvisionedRow = ProvisionedThroughputsTable;

export interface ProvisionedListFilter {
  createdAfter?: string;
  createdBefore?: string;
  status?: string;
  modelId?: string;
  nameContains?: string;
  descending: boolean;
}

/** Provisioned throughputs in the store. Every read but `active` is confined to one account. */
export class ProvisionedRepository {
  private readonly db: Kysely<ProvisionedTables>;

  constructor(db: Database) {
    this.db = db.withTables<ProvisionedTables>();
  }

  async insert(row: ProvisionedRow): Promise<void> {
    await this.db.insertInto('provisioned_throughputs').values(row).execute();
  }

  get(scope: string, id: string): Promise<ProvisionedRow | undefined> {
    return this.db.selectFrom('provisioned_throughputs').selectAll().where('scope', '=', scope).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  }

  byName(scope: string, name: string): Promise<ProvisionedRow | undefined> {
    return this.db.selectFrom('provisioned_throughputs').selectAll().where('scope', '=', scope).where('name', '=', name).where('deleted_at', 'is', null).executeTakeFirst();
  }

  byRequestToken(scope: string, token: string): Promise<ProvisionedRow | undefined> {
    return this.db.selectFrom('provisioned_throughputs').selectAll().where('scope', '=', scope).where('request_token', '=', token).executeTakeFirst();
  }

  /** A page in creation order; `after` is the last row's `created_at|id` of the previous page. */
  list(scope: string, f: ProvisionedListFilter, limit: number, after?: string): Promise<ProvisionedRow[]> {
    let q = this.db.selectFrom('provisioned_throughputs').selectAll().where('scope', '=', scope).where('deleted_at', 'is', null);
    if (f.createdAfter) q = q.where('created_at', '>', f.createdAfter);
    if (f.createdBefore) q = q.where('created_at', '<', f.createdBefore);
    if (f.status) q = q.where('status', '=', f.status);
    if (f.modelId) q = q.where('model_id', '=', f.modelId);
    if (after) {
      const [at, id] = splitKey(after);
      q = f.descending
        ? q.where((eb) => eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', id)])]))
        : q.where((eb) => eb.or([eb('created_at', '>', at), eb.and([eb('created_at', '=', at), eb('id', '>', id)])]));
    }
    const dir = f.descending ? 'desc' : 'asc';
    return q.orderBy('created_at', dir).orderBy('id', dir).limit(limit).execute().then((rows) =>
      // Substring match in JS: LIKE's escaping and case rules differ between SQLite and PostgreSQL.
      f.nameContains ? rows.filter((r) => r.name.includes(f.nameContains!)) : rows,
    );
  }

  /** Every account's live throughputs: the capacity index every replica keeps. */
  active(): Promise<ProvisionedRow[]> {
    return this.db.selectFrom('provisioned_throughputs').selectAll().where('deleted_at', 'is', null).execute();
  }

  /** Rows billed at some time in [from, to): live ones and those deleted since `from`. */
  billable(from: string): Promise<ProvisionedRow[]> {
    return this.db
      .selectFrom('provisioned_throughputs')
      .selectAll()
      .where((eb) => eb.or([eb('deleted_at', 'is', null), eb('deleted_at', '>', from)]))
      .execute();
  }

  async update(scope: string, id: string, set: Partial<Pick<ProvisionedRow, 'name' | 'model_id' | 'status' | 'updated_at' | 'deleted_at'>>): Promise<boolean> {
    const r = await this.db.updateTable('provisioned_throughputs').set(set).where('scope', '=', scope).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}

export function pageKey(r: ProvisionedRow): string {
  return `${r.created_at}|${r.id}`;
}

function splitKey(key: string): [string, string] {
  const at = key.lastIndexOf('|');
  return at < 0 ? [key, ''] : [key.slice(0, at), key.slice(at + 1)];
}
