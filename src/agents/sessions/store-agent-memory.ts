import type { Database } from '../../store/index.js';
import type { AgentMemoryStore, MemoryRef, SessionSummary } from '../orchestration/agent-session-store.js';
import type { AgentTables } from '../tables.js';

const DEFAULT_MAX_PER_MEMORY = 20;

/**
 * Cross-session memory (Bedrock's SESSION_SUMMARY) in the store, so a memory id means the same on every replica and
 * after a restart. A session's summary replaces an earlier one of the same session; each memory id keeps its newest
 * `maxPerMemory` (Bedrock keeps a bounded number too), which also bounds what one caller can make the store hold.
 */
export class StoreAgentMemory implements AgentMemoryStore {
  private readonly db;
  private readonly now: () => number;
  private readonly maxPerMemory: number;

  constructor(db: Database, opts: { now?: () => number; maxPerMemory?: number } = {}) {
    this.db = db.withTables<AgentTables>();
    this.now = opts.now ?? Date.now;
    this.maxPerMemory = opts.maxPerMemory ?? DEFAULT_MAX_PER_MEMORY;
  }

  async add(ref: MemoryRef, s: Omit<SessionSummary, 'at'>): Promise<void> {
    const key = { scope: ref.accountId, agent_id: ref.agentId, memory_id: ref.memoryId };
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('agent_memory_summaries')
        .values({ ...key, session_id: s.sessionId, summary: s.summary, created_at: new Date(this.now()).toISOString() })
        .onConflict((oc) => oc.columns(['scope', 'agent_id', 'memory_id', 'session_id']).doUpdateSet((eb) => ({ summary: eb.ref('excluded.summary'), created_at: eb.ref('excluded.created_at') })))
        .execute();
      // The newest maxPerMemory stay; the rest of this memory id goes.
      const kept = await trx
        .selectFrom('agent_memory_summaries')
        .select('session_id')
        .where('scope', '=', key.scope)
        .where('agent_id', '=', key.agent_id)
        .where('memory_id', '=', key.memory_id)
        .orderBy('created_at', 'desc')
        .orderBy('session_id', 'desc')
        .limit(this.maxPerMemory)
        .execute();
      if (kept.length < this.maxPerMemory) return;
      await trx
        .deleteFrom('agent_memory_summaries')
        .where('scope', '=', key.scope)
        .where('agent_id', '=', key.agent_id)
        .where('memory_id', '=', key.memory_id)
        .where(
          'session_id',
          'not in',
          kept.map((k) => k.session_id),
        )
        .execute();
    });
  }

  async recent(ref: MemoryRef, storageDays: number, max: number): Promise<SessionSummary[]> {
    const cutoff = new Date(this.now() - storageDays * 86_400_000).toISOString();
    // Summaries past the agent's storage days are forgotten, not just hidden.
    await this.db
      .deleteFrom('agent_memory_summaries')
      .where('scope', '=', ref.accountId)
      .where('agent_id', '=', ref.agentId)
      .where('memory_id', '=', ref.memoryId)
      .where('created_at', '<', cutoff)
      .execute();
    const rows = await this.db
      .selectFrom('agent_memory_summaries')
      .select(['session_id', 'summary', 'created_at'])
      .where('scope', '=', ref.accountId)
      .where('agent_id', '=', ref.agentId)
      .where('memory_id', '=', ref.memoryId)
      .orderBy('created_at', 'desc')
      .orderBy('session_id', 'desc')
      .limit(Math.max(0, max))
      .execute();
    return rows.reverse().map((r) => ({ sessionId: r.session_id, summary: r.summary, at: Date.parse(r.created_at) }));
  }

  async delete(ref: MemoryRef, sessionId?: string): Promise<void> {
    let q = this.db.deleteFrom('agent_memory_summaries').where('scope', '=', ref.accountId).where('agent_id', '=', ref.agentId).where('memory_id', '=', ref.memoryId);
    if (sessionId !== undefined) q = q.where('session_id', '=', sessionId);
    await q.execute();
  }
}
