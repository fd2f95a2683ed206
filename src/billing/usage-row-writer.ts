import type { CompiledQuery } from 'kysely';
import type { Database } from '../store/index.js';
import type { BillingTables, UsageRecordsTable, UsageTagsTable } from './tables.js';

/** Where the usage meter's groups of rows go: one transaction per group, idempotent on the record ids. */
export interface UsageRowWriter {
  /**
   * Stores the rows and their tag rows; resolves once they are committed, rejects if they were not. `lines`, when
   * given, are the rows as JSON (their journal lines), in the same order.
   */
  write(rows: UsageRecordsTable[], tags: UsageTagsTable[], lines?: string[]): Promise<void>;
  close(): Promise<void>;
}

// SQLite caps bound parameters per statement; 22 columns × 200 rows stays well inside it.
export const ROWS_PER_STATEMENT = 200;
// Every stored row has these columns in this order, so the insert for a group of n rows is compiled once and then
// only its parameters change. (Building and compiling the query through Kysely was most of the meter's CPU per request.)
export const USAGE_COLUMNS = [
  'id',
  'request_id',
  'time',
  'principal',
  'key_id',
  'model_id',
  'api',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'cost_usd',
  'latency_ms',
  'outcome',
  'account_id',
  'deployment_id',
  'provider_id',
  'region',
  'images',
  'tags',
  'cache_hit',
  'saved_usd',
] as const satisfies readonly (keyof UsageRecordsTable)[];
// A column added to the table but not to USAGE_COLUMNS fails to compile here.
const allColumns: [Exclude<keyof UsageRecordsTable, (typeof USAGE_COLUMNS)[number]>] extends [never] ? true : never = true;
void allColumns;
// Group sizes whose compiled insert is kept: the small groups of steady traffic; a burst's big groups compile afresh.
const COMPILED_GROUP_SIZES = 32;

/** Writes through the store's own Kysely connection, on the event loop: PostgreSQL, and SQLite where no worker can. */
export class KyselyUsageWriter implements UsageRowWriter {
  private readonly db;
  private readonly inserts = new Map<number, CompiledQuery>();

  constructor(db: Database) {
    this.db = db.withTables<BillingTables>();
  }

  async write(rows: UsageRecordsTable[], tags: UsageTagsTable[]): Promise<void> {
    // One statement is one transaction already; only a group that needs several is wrapped in an explicit one.
    if (rows.length <= COMPILED_GROUP_SIZES && tags.length === 0) {
      await this.db.executeQuery(this.insertOf(rows));
      return;
    }
    await this.db.transaction().execute(async (trx) => {
      // In statements whose compiled inserts are kept: building and compiling a bigger group's insert through Kysely
      // each time cost more than its rows (the journal's batches of 64 ran slower than group commits of 30).
      for (let i = 0; i < rows.length; i += COMPILED_GROUP_SIZES) await trx.executeQuery(this.insertOf(rows.slice(i, i + COMPILED_GROUP_SIZES)));
      for (let i = 0; i < tags.length; i += ROWS_PER_STATEMENT * 5) {
        await trx
          .insertInto('usage_tags')
          .values(tags.slice(i, i + ROWS_PER_STATEMENT * 5))
          .onConflict((oc) => oc.columns(['record_id', 'key']).doNothing())
          .execute();
      }
    });
  }

  async close(): Promise<void> {}

  /** The idempotent insert of `rows`, compiled once per group size (see USAGE_COLUMNS). */
  private insertOf(rows: UsageRecordsTable[]): CompiledQuery {
    const parameters: unknown[] = [];
    for (const row of rows) for (const c of USAGE_COLUMNS) parameters.push(row[c]);
    const cached = this.inserts.get(rows.length);
    if (cached) return { ...cached, parameters };
    const compiled = this.db.insertInto('usage_records').values(rows).onConflict((oc) => oc.column('id').doNothing()).compile();
    // Kept only once Kysely is seen to bind the columns in USAGE_COLUMNS order, so a change in how it orders them costs
    // speed, never a value in the wrong column.
    const sameOrder = compiled.parameters.length === parameters.length && compiled.parameters.every((p, i) => p === parameters[i]);
    if (sameOrder && rows.length <= COMPILED_GROUP_SIZES) this.inserts.set(rows.length, compiled);
    return compiled;
  }
}
