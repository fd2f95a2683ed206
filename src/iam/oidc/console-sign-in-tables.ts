import type { Migration } from 'kysely';

/** A console session: only the sha256 of its cookie value is stored, so a copy of the database signs no one in. */
export type ConsoleSessionsTable = {
  id: string;
  token_hash: string;
  principal_id: string;
  /** How the session was opened (`oidc`), and by whom at the provider: for the audit trail and sign-out. */
  method: string;
  subject: string | null;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
};

/** An authorization request in flight: single use, bound to the browser that started it by a cookie's hash. */
export type OidcLoginsTable = {
  state: string;
  binding_hash: string;
  nonce: string;
  code_verifier: string;
  redirect_uri: string;
  return_to: string;
  expires_at: string;
};

/** Which Quarry user an identity at a provider is, per account: never matched by name, so no one can take over a user. */
export type OidcIdentitiesTable = {
  issuer: string;
  subject: string;
  account_id: string;
  principal_id: string;
  created_at: string;
  last_sign_in_at: string;
};

export type ConsoleSignInTables = {
  console_sessions: ConsoleSessionsTable;
  oidc_logins: OidcLoginsTable;
  oidc_identities: OidcIdentitiesTable;
};

export const consoleSignInMigration: Migration = {
  async up(db) {
    await db.schema
      .createTable('console_sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('principal_id', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('subject', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('console_sessions_expires').on('console_sessions').column('expires_at').execute();
    await db.schema
      .createTable('oidc_logins')
      .addColumn('state', 'text', (c) => c.primaryKey())
      .addColumn('binding_hash', 'text', (c) => c.notNull())
      .addColumn('nonce', 'text', (c) => c.notNull())
      .addColumn('code_verifier', 'text', (c) => c.notNull())
      .addColumn('redirect_uri', 'text', (c) => c.notNull())
      .addColumn('return_to', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('oidc_identities')
      .addColumn('issuer', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('principal_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_sign_in_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('oidc_identities_pk', ['issuer', 'subject', 'account_id'])
      .execute();
  },
};
