// Types (not interfaces): Kysely's withTables<T>() needs index-signature-compatible records.
import { type Migration, sql } from 'kysely';

/**
 * The keyring: the keys that wrap every record's data key, each itself wrapped by the master key. It lives in the
 * store, not beside each replica, so a rotation made on one replica is the keyring of all of them. Exactly one row is
 * `active` (new secrets are sealed with it); `retiring` is the key a rotation is moving records off, still read;
 * `retired` keeps only the id and dates (its material is erased), for the record.
 */
export type SecretKeysTable = {
  id: string;
  state: 'active' | 'retiring' | 'retired';
  /** The master key that wraps this one (its fingerprint id). */
  master_key_id: string;
  /** iv ‖ ciphertext ‖ tag, base64url; '' once retired. */
  wrapped: string;
  created_at: string;
  retired_at: string | null;
};

export type SecretTables = { secret_keys: SecretKeysTable };

export const secretMigrations: Record<string, Migration> = {
  '2026-11-24-50-secret-keys': {
    async up(db) {
      await db.schema
        .createTable('secret_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('master_key_id', 'text', (c) => c.notNull())
        .addColumn('wrapped', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('retired_at', 'text')
        .execute();
      // One active key, one retiring key at most, whatever several replicas attempt at once (partial unique indexes
      // exist in both SQLite and PostgreSQL).
      await db.schema.createIndex('secret_keys_one_active').on('secret_keys').column('state').unique().where(sql.ref('state'), '=', 'active').execute();
      await db.schema.createIndex('secret_keys_one_retiring').on('secret_keys').column('state').unique().where(sql.ref('state'), '=', 'retiring').execute();
    },
  },
};
