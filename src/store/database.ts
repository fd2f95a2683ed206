import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type DatabaseIntrospector, Kysely, PostgresDialect, type SqliteDatabase, SqliteDialect, sql } from 'kysely';
import { CurrentSchemaIntrospector } from './current-schema-introspector.js';
import { BACKSTOP_PAGES, checkpointInBackground } from './sqlite-checkpointer.js';
import { cachedStatements } from './statement-cache.js';

/**
 * The store is typed per domain: each domain declares its tables and calls `db.withTables<ItsTables>()`, so this
 * layer never imports a domain. SQLite is the embedded default; a `postgres://` URL switches every table to PostgreSQL
 * through the same Kysely code, which is why migrations and queries stick to types and SQL both dialects share.
 */
export type Database = Kysely<object>;

export interface StoreOptions {
  dataDir: string;
  /**
   * `postgres://…` for PostgreSQL; absent or `sqlite:` for the embedded file `<dataDir>/quarry.db`. A PostgreSQL URL may
   * name a schema with `?schema=<name>`: every table lives there (created when missing), so several deployments or test
   * runs can share one database.
   */
  url?: string;
  /** Told about idle PostgreSQL connections that broke (they are replaced on the next query). */
  onPoolError?: (err: Error) => void;
}

export interface Store {
  db: Database;
  dialect: 'sqlite' | 'postgres';
  /** The PostgreSQL schema named by `?schema=`; absent when the server's default search path applies. */
  schema?: string;
  /** The SQLite database file (absent on PostgreSQL and for `sqlite::memory:`), for a worker's own connection to it. */
  file?: string;
  close(): Promise<void>;
}

export async function openStore(opts: StoreOptions): Promise<Store> {
  if (opts.url && /^postgres(ql)?:\/\//.test(opts.url)) {
    const pg = await import('pg');
    const { connectionString, schema } = splitSchema(opts.url);
    // search_path as a startup option applies to every pooled connection from its first query on, with no per-checkout SET.
    const pool = new pg.default.Pool({ connectionString, max: 10, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
    // An idle client whose connection drops (a PostgreSQL restart or failover) emits 'error' on the pool; unhandled, that
    // is an uncaught exception that takes the server down. The pool discards the client and the next query reconnects.
    pool.on('error', (err) => opts.onPoolError?.(err));
    const db: Database = new Kysely<object>({ dialect: new CurrentSchemaPostgresDialect({ pool }) });
    if (schema) {
      try {
        await db.schema.createSchema(schema).ifNotExists().execute();
      } catch (err) {
        // Two replicas creating the same schema at once: `IF NOT EXISTS` can still lose the race on the catalog's unique index.
        const exists = await sql<{ n: number }>`select count(*)::int as n from pg_namespace where nspname = ${schema}`.execute(db);
        if (!exists.rows[0]?.n) {
          await db.destroy();
          throw err;
        }
      }
    }
    return { db, dialect: 'postgres', ...(schema ? { schema } : {}), close: () => db.destroy() };
  }
  const file = opts.url?.startsWith('sqlite:') ? opts.url.slice('sqlite:'.length) : join(opts.dataDir, 'quarry.db');
  if (file !== ':memory:') mkdirSync(opts.dataDir, { recursive: true });
  const { default: SQLite } = await import('better-sqlite3');
  const sqlite = new SQLite(file);
  // WAL lets readers proceed during the batched usage writes; NORMAL sync is durable across process crashes.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  const db: Database = new Kysely<object>({ dialect: new SqliteDialect({ database: immediateTransactions(cachedStatements(sqlite)) }) });
  if (file === ':memory:') return { db, dialect: 'sqlite', close: () => db.destroy() };
  // WAL checkpoints run in a worker (see sqlite-checkpointer.ts); SQLite's own, inside a commit, is only a backstop.
  sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  const stopCheckpoints = checkpointInBackground(file);
  return {
    db,
    dialect: 'sqlite',
    file,
    close: async () => {
      await stopCheckpoints();
      await db.destroy();
    },
  };
}

/**
 * Every transaction on the server's connection takes SQLite's write lock when it begins (BEGIN IMMEDIATE), waiting
 * its turn under busy_timeout. Another connection writes the same file (the usage writer's thread, see
 * SqliteUsageWriter), and a deferred transaction that reads and then writes fails at once with "database is locked"
 * when that connection committed in between: SQLite cannot let it write on a stale snapshot, and no busy timeout
 * helps (a scratch test of read-then-update transactions beside a busy usage writer: 10,845 of 18,421 failed). The
 * cost is that a read-only transaction holds the lock too; the other writer is a thread with its own patience.
 */
function immediateTransactions(db: SqliteDatabase): SqliteDatabase {
  return {
    prepare: (sql) => db.prepare(sql === 'begin' ? 'begin immediate' : sql),
    close: () => db.close(),
  };
}

/** PostgreSQL whose introspection (what the Migrator uses to find its tables) sees only the current schema. */
class CurrentSchemaPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<object>): DatabaseIntrospector {
    return new CurrentSchemaIntrospector(db);
  }
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Takes Quarry's own `schema` parameter off a PostgreSQL URL (libpq would reject it); the name must be a plain identifier. */
export function splitSchema(url: string): { connectionString: string; schema?: string } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  if (schema === null) return { connectionString: url };
  if (!SCHEMA_NAME.test(schema)) throw new Error(`store url: schema "${schema}" must be a lower-case identifier (letters, digits, _; at most 63)`);
  parsed.searchParams.delete('schema');
  return { connectionString: parsed.toString(), schema };
}
