import type { Migration } from 'kysely';

/**
 * Accounts, roles, managed policies and their attachments, and the key lifecycle columns. Existing principals keep a
 * null account_id: the migration cannot know the server's default account (configuration may change it), so readers
 * treat null as the default (see account-scope.ts).
 */
export const accountsMigration: Migration = {
  async up(db) {
    await db.schema
      .createTable('accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema.alterTable('principals').addColumn('account_id', 'text').execute();
    // NULLs are distinct in a unique index on both dialects, so legacy rows are checked in code (IamStore.createUser).
    await db.schema.createIndex('principals_account_name').on('principals').columns(['account_id', 'name']).unique().execute();

    for (const column of ['name', 'description', 'expires_at', 'replaced_by']) {
      await db.schema.alterTable('api_keys').addColumn(column, 'text').execute();
    }
    await db.schema.createIndex('api_keys_principal').on('api_keys').column('principal').execute();

    await db.schema
      .createTable('roles')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('roles_account_name', ['account_id', 'name'])
      .execute();
    await db.schema
      .createTable('role_members')
      .addColumn('role_id', 'text', (c) => c.notNull().references('roles.id'))
      .addColumn('principal_id', 'text', (c) => c.notNull().references('principals.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('role_members_pk', ['role_id', 'principal_id'])
      .execute();
    await db.schema.createIndex('role_members_principal').on('role_members').column('principal_id').execute();

    await db.schema
      .createTable('policies')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('policies_account_name', ['account_id', 'name'])
      .execute();
    await db.schema
      .createTable('user_policies')
      .addColumn('principal_id', 'text', (c) => c.notNull().references('principals.id'))
      .addColumn('policy_id', 'text', (c) => c.notNull().references('policies.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('user_policies_pk', ['principal_id', 'policy_id'])
      .execute();
    await db.schema.createIndex('user_policies_policy').on('user_policies').column('policy_id').execute();
    await db.schema
      .createTable('role_policies')
      .addColumn('role_id', 'text', (c) => c.notNull().references('roles.id'))
      .addColumn('policy_id', 'text', (c) => c.notNull().references('policies.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('role_policies_pk', ['role_id', 'policy_id'])
      .execute();
    await db.schema.createIndex('role_policies_policy').on('role_policies').column('policy_id').execute();
  },
};
