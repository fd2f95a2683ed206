import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import type { ResponseTables } from './response-tables.js';

/** An input or output item: opaque JSON with an id. */
export type StoredItem = { id: string } & Record<string, unknown>;

/** One stored response as the wire format wrote it: opaque JSON to this module. */
export interface StoredResponse {
  id: string;
  previousResponseId: string | null;
  createdAt: number;
  /** The request's own input items, each with an `id`. */
  input: StoredItem[];
  /** The Response object; its `output` holds the output items, each with an `id`. */
  response: { output: StoredItem[] } & Record<string, unknown>;
}

// Conversations are walked back one response at a time; a chain this long is a loop or abuse, not a conversation.
const MAX_CHAIN = 1000;
// Rows per multi-row INSERT, well under SQLite's and PostgreSQL's bound-parameter limits.
const INSERT_BATCH = 200;

/**
 * The Responses API's stored responses (`store: true`), scoped by account: every read and delete names the account,
 * so a response id from another account is simply not found. Items are indexed by id for `item_reference` inputs.
 */
export class StoredResponses {
  private readonly db: Kysely<ResponseTables>;

  constructor(db: Database) {
    this.db = db.withTables<ResponseTables>();
  }

  async put(accountId: string, r: StoredResponse): Promise<void> {
    const items = [...r.input, ...r.response.output].map((item) => ({ id: item.id, account_id: accountId, response_id: r.id, item: JSON.stringify(item) }));
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('stored_responses')
        .values({
          id: r.id,
          account_id: accountId,
          previous_response_id: r.previousResponseId,
          created_at: r.createdAt,
          input: JSON.stringify(r.input),
          response: JSON.stringify(r.response),
        })
        .execute();
      for (let i = 0; i < items.length; i += INSERT_BATCH) await tx.insertInto('stored_response_items').values(items.slice(i, i + INSERT_BATCH)).execute();
    });
  }

  async get(accountId: string, id: string): Promise<StoredResponse | undefined> {
    const row = await this.db.selectFrom('stored_responses').selectAll().where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      previousResponseId: row.previous_response_id,
      createdAt: Number(row.created_at),
      input: JSON.parse(row.input) as StoredResponse['input'],
      response: JSON.parse(row.response) as StoredResponse['response'],
    };
  }

  /** Deletes one response and its items; false when the account has no such response. */
  async delete(accountId: string, id: string): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const res = await tx.deleteFrom('stored_responses').where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
      if (!res.numDeletedRows) return false;
      await tx.deleteFrom('stored_response_items').where('response_id', '=', id).where('account_id', '=', accountId).execute();
      return true;
    });
  }

  /**
   * The conversation up to and including response `id`: every response's input items then output items, oldest first.
   * Undefined when `id` itself is not the account's. A deleted response earlier in the chain ends the history there.
   */
  async history(accountId: string, id: string): Promise<unknown[] | undefined> {
    const chain: StoredResponse[] = [];
    const seen = new Set<string>();
    for (let next: string | null = id; next && !seen.has(next) && chain.length < MAX_CHAIN; ) {
      seen.add(next);
      const r = await this.get(accountId, next);
      if (!r) break;
      chain.push(r);
      next = r.previousResponseId;
    }
    if (!chain.length) return undefined;
    return chain.reverse().flatMap((r) => [...r.input, ...r.response.output]);
  }

  /** Stored items by id, for `item_reference` inputs; ids the account does not have are absent from the map. */
  async items(accountId: string, ids: string[]): Promise<Map<string, unknown>> {
    if (!ids.length) return new Map();
    const rows = await this.db.selectFrom('stored_response_items').select(['id', 'item']).where('account_id', '=', accountId).where('id', 'in', [...new Set(ids)]).execute();
    return new Map(rows.map((r) => [r.id, JSON.parse(r.item) as unknown]));
  }
}
