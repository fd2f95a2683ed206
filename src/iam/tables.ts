// Types (not interfaces): Kysely's withTables<T>() needs index-signature-compatible records.
import type { Migration } from 'kysely';

export type ApiKeysTable = {
  id: string;
  principal: string;
  kind: 'bearer' | 'sigv4';
  /** bearer: sha256 hex of the key; sigv4: the access key id. Unique, the lookup column. */
  lookup: string;
  /** sigv4 only: the secret access key sealed with the master key. */
  secret_sealed: string | null;
  /** First characters of the key, to tell keys apart in listings without revealing them. */
  hint: string;
  created_at: string;
  last_used_at: string | null;
  disabled: number;
};

export type PrincipalsTable = {
  id: string;
  name: string;
  is_admin: number;
  created_at: string;
};

export type IamTables = {
  api_keys: ApiKeysTable;
  principals: PrincipalsTable;
};

export const iamMigrations: Record<string, Migration> = {
  '2026-11-23-01-iam': {
    async up(db) {
      await db.schema
        .createTable('principals')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('principal', 'text', (c) => c.notNull().references('principals.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('lookup', 'text', (c) => c.notNull().unique())
        .addColumn('secret_sealed', 'text')
        .addColumn('hint', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
  },
};
