// Types (not interfaces): Kysely's withTables<T>() needs index-signature-compatible records.
import type { Migration } from 'kysely';
import { accountsMigration } from './accounts-migration.js';
import { consoleSignInMigration } from './oidc/console-sign-in-tables.js';

export type ApiKeysTable = {
  id: string;
  principal: string;
  kind: 'bearer' | 'sigv4';
  /** bearer: sha256 hex of the key; sigv4: the access key id. Unique, the lookup column. */
  lookup: string;
  /** sigv4 only: the secret access key, sealed by the secrets keyring (API_KEY_SECRET_COLUMN). */
  secret_sealed: string | null;
  /** First characters of the key, to tell keys apart in listings without revealing them. */
  hint: string;
  created_at: string;
  last_used_at: string | null;
  disabled: number;
  name: string | null;
  description: string | null;
  /** ISO time after which the key is refused; null: never. */
  expires_at: string | null;
  /** The key that replaced this one when it was rotated; this one lives on until expires_at (the grace period). */
  replaced_by: string | null;
};

/** Users. Rows from before accounts existed have a null account_id, read as the server's default account. */
export type PrincipalsTable = {
  id: string;
  name: string;
  is_admin: number;
  created_at: string;
  account_id: string | null;
};

/** Accounts (projects): the unit of isolation. Ids are 12 digits so that they sit in ARNs as AWS account ids do. */
export type AccountsTable = {
  id: string;
  name: string;
  created_at: string;
};

/** Roles group users: a member gets every policy attached to the role. */
export type RolesTable = {
  id: string;
  account_id: string;
  name: string;
  description: string | null;
  created_at: string;
};

export type RoleMembersTable = {
  role_id: string;
  principal_id: string;
  created_at: string;
};

/** Managed policies; `document` is the validated policy as minified JSON. */
export type PoliciesTable = {
  id: string;
  account_id: string;
  name: string;
  description: string | null;
  document: string;
  created_at: string;
  updated_at: string;
};

export type UserPoliciesTable = {
  principal_id: string;
  policy_id: string;
  created_at: string;
};

export type RolePoliciesTable = {
  role_id: string;
  policy_id: string;
  created_at: string;
};

export type IamTables = {
  api_keys: ApiKeysTable;
  principals: PrincipalsTable;
  accounts: AccountsTable;
  roles: RolesTable;
  role_members: RoleMembersTable;
  policies: PoliciesTable;
  user_policies: UserPoliciesTable;
  role_policies: RolePoliciesTable;
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
  '2026-11-23-20-iam-accounts': accountsMigration,
  '2026-11-23-90-console-sign-in': consoleSignInMigration,
};
