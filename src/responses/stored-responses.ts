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
// Expired responses are deleted by a sweep run on a write at most this often (reads already skip them).
const SWEEP_EVERY_MS = 10 * 60_000;

export interface StoredResponsesOptions {
  /** Days a response is kept after it was created, as OpenAI keeps them 30; 0 keeps them until deleted. */
  retentionDays?: number;
  now?: () => number;
}

/**
 * The Responses API's stored responses (`store: true`), scoped by account: every read and delete names the account,
 * so a response id from another account is simply not found. Items are indexed by id for `item_reference` inputs.
 * Past the retention a response reads as gone at once and its rows go with the next sweep.
 */
export class StoredResponses {
  private readonly db: Kysely<ResponseTables>;
  private readonly retentionS: number;
  private readonly now: () => number;
  private lastSweep: number;

  constructor(db: Database, opts: StoredResponsesOptions = {}) {
    this.db = db.withTables<ResponseTables>();
    this.retentionS = (opts.retentionDays ?? 30) * 86_400;
    this.now = opts.now ?? Date.now;
    // The first sweep comes SWEEP_EVERY_MS after start, not with the first write a restart takes.
    this.lastSweep = this.now();
  }

  /** Unix seconds before which responses are expired; 0 when they are kept until deleted. */
  private cutoff(): number {
    return this.retentionS ? Math.floor(this.now() / 1000) - this.retentionS : 0;
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
    this.sweep();
  }

  /** Deletes expired responses and their items; best effort, off the request's path. */
  sweep(force = false): Promise<void> {
    const now = this.now();
    const cutoff = this.cutoff();
    if (!cutoff || (!force && now - this.lastSweep < SWEEP_EVERY_MS)) return Promise.resolve();
    this.lastSweep = now;
    return this.db
      .transaction()
      .execute(async (tx) => {
        const expired = tx.selectFrom('stored_responses').select('id').where('created_at', '<', cutoff);
        await tx.deleteFrom('stored_response_items').where('response_id', 'in', expired).execute();
        await tx.deleteFrom('stored_responses').where('created_at', '<', cutoff).execute();
      })
      .catch(() => undefined);
  }

  async get(accountId: string, id: string): Promise<StoredResponse | undefined> {
    const row = await this.db
      .selectFrom('stored_responses')
      .selectAll()
      .where('id', '=', id)
      .where('account_id', '=', accountId)
      .where('created_at', '>=', this.cutoff())
      .executeTakeFirst();
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
    const rows = await this.db
      .selectFrom('stored_response_items as i')
      .innerJoin('stored_responses as r', 'r.id', 'i.response_id')
      .select(['i.id', 'i.item'])
      .where('i.account_id', '=', accountId)
      .where('i.id', 'in', [...new Set(ids)])
      .where('r.created_at', '>=', this.cutoff())
      .execute();
    return new Map(rows.map((r) => [r.id, JSON.parse(r.item) as unknown]));
  }
}
