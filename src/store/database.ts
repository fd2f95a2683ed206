import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';

/**
 * The store is typed per domain: each domain declares its tables and calls `db.withTables<ItsTables>()`, so this
 * layer never imports a domain. SQLite is the embedded default; a `postgres://` URL switches every table to PostgreSQL
 * through the same Kysely code, which is why migrations and queries stick to types and SQL both dialects share.
 */
export type Database = Kysely<object>;

export interface StoreOptions {
  dataDir: string;
  /** `postgres://…` for PostgreSQL; absent or `sqlite:` for the embedded file `<dataDir>/quarry.db`. */
  url?: string;
  /** Told about idle PostgreSQL connections that broke (they are replaced on the next query). */
  onPoolError?: (err: Error) => void;
}

export interface Store {
  db: Database;
  dialect: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

export async function openStore(opts: StoreOptions): Promise<Store> {
  if (opts.url && /^postgres(ql)?:\/\//.test(opts.url)) {
    const pg = await import('pg');
    const pool = new pg.default.Pool({ connectionString: opts.url, max: 10 });
    // An idle client whose connection drops (a PostgreSQL restart or failover) emits 'error' on the pool; unhandled, that
    // is an uncaught exception that takes the server down. The pool discards the client and the next query reconnects.
    pool.on('error', (err) => opts.onPoolError?.(err));
    const db: Database = new Kysely<object>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  const file = opts.url?.startsWith('sqlite:') ? opts.url.slice('sqlite:'.length) : join(opts.dataDir, 'quarry.db');
  if (file !== ':memory:') mkdirSync(opts.dataDir, { recursive: true });
  const { default: SQLite } = await import('better-sqlite3');
  const sqlite = new SQLite(file);
  // WAL lets readers proceed during the batched usage writes; NORMAL sync is durable across process crashes.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  const db: Database = new Kysely<object>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}
