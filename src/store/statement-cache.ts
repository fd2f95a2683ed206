import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** What better-sqlite3 offers beyond Kysely's interface that the cache needs. */
interface PreparingDatabase {
  prepare(sql: string): SqliteStatement & { readonly busy?: boolean };
  close(): unknown;
}

/**
 * Reuses prepared statements across queries. Kysely's SQLite driver prepares every query it runs; preparing was
 * about 70 µs of the ~150 µs a one-row usage insert cost the gateway per request (a c=1 profile), and every query
 * Quarry sends is one of a few hundred shapes with its values bound as parameters. Past `max` the least recently used
 * statement is dropped (better-sqlite3 finalizes it when collected). A statement still being iterated (a streamed select) is busy, so a query of the same
 * text meanwhile gets one of its own. SQLite re-prepares a cached statement by itself after a schema change.
 */
export function cachedStatements(db: PreparingDatabase, max = 512): SqliteDatabase {
  const cache = new Map<string, SqliteStatement & { readonly busy?: boolean }>();
  return {
    prepare(sql: string): SqliteStatement {
      const hit = cache.get(sql);
      if (hit) {
        if (hit.busy) return db.prepare(sql);
        // Re-inserted so the Map's order is least recently used first.
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = db.prepare(sql);
      cache.set(sql, stmt);
      if (cache.size > max) cache.delete(cache.keys().next().value!);
      return stmt;
    },
    close() {
      cache.clear();
      db.close();
    },
  };
}
