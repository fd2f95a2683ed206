import type { Migration } from 'kysely';

/**
 * Stored Responses (OpenAI's `store: true`), one row per response, readable only in the account that made it. The
 * request's own input items and the Response object are kept as the JSON the wire format wrote: they are read back
 * whole, never queried by field. `previous_response_id` links a conversation's responses, newest to oldest.
 */
export type StoredResponsesTable = {
  id: string;
  account_id: string;
  previous_response_id: string | null;
  /** Unix seconds, the Response's `created_at`. */
  created_at: number;
  /** JSON: the input items of this request (not those of earlier responses), each with its id. */
  input: string;
  /** JSON: the Response object as it was answered. */
  response: string;
};

/** Every input and output item of the stored responses by its id, for `item_reference` input items. */
export type StoredResponseItemsTable = {
  id: string;
  account_id: string;
  response_id: string;
  /** JSON: the item. */
  item: string;
};

export type ResponseTables = { stored_responses: StoredResponsesTable; stored_response_items: StoredResponseItemsTable };

export const responseMigrations: Record<string, Migration> = {
  '2026-11-24-90-stored-responses': {
    async up(db) {
      await db.schema
        .createTable('stored_responses')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('previous_response_id', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('input', 'text', (c) => c.notNull())
        .addColumn('response', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('stored_response_items')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('response_id', 'text', (c) => c.notNull())
        .addColumn('item', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('stored_response_items_response').on('stored_response_items').column('response_id').execute();
    },
  },
  // The retention sweep deletes by age.
  '2026-11-24-91-stored-responses-created-at': {
    async up(db) {
      await db.schema.createIndex('stored_responses_created_at').on('stored_responses').column('created_at').execute();
    },
  },
};
