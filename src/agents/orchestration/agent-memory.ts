import type { AgentMemoryStore, MemoryRef, SessionSummary } from './agent-session-store.js';

/**
 * Cross-session memory (Bedrock's SESSION_SUMMARY) in this process's memory: when a session with a memory id ends,
 * its summary is kept for the agent's storage days, and new sessions under the same memory id start with the most
 * recent summaries. Bounded per memory id. The server keeps them in the store instead (StoreAgentMemory).
 */
export class AgentMemory implements AgentMemoryStore {
  private readonly entries = new Map<string, SessionSummary[]>();
  private readonly now: () => number;
  private readonly maxPerMemory: number;

  constructor(opts: { now?: () => number; maxPerMemory?: number } = {}) {
    this.now = opts.now ?? Date.now;
    this.maxPerMemory = opts.maxPerMemory ?? 20;
  }

  private static key(r: MemoryRef): string {
    return `${r.accountId}\u0000${r.agentId}\u0000${r.memoryId}`;
  }

  async add(ref: MemoryRef, s: Omit<SessionSummary, 'at'>): Promise<void> {
    const key = AgentMemory.key(ref);
    const list = (this.entries.get(key) ?? []).filter((e) => e.sessionId !== s.sessionId);
    list.push({ ...s, at: this.now() });
    this.entries.set(key, list.slice(-this.maxPerMemory));
  }

  async recent(ref: MemoryRef, storageDays: number, max: number): Promise<SessionSummary[]> {
    const key = AgentMemory.key(ref);
    const cutoff = this.now() - storageDays * 86_400_000;
    const list = (this.entries.get(key) ?? []).filter((e) => e.at >= cutoff);
    if (list.length) this.entries.set(key, list);
    else this.entries.delete(key);
    return list.slice(-max);
  }

  async delete(ref: MemoryRef, sessionId?: string): Promise<void> {
    const key = AgentMemory.key(ref);
    const left = sessionId === undefined ? [] : (this.entries.get(key) ?? []).filter((e) => e.sessionId !== sessionId);
    if (left.length) this.entries.set(key, left);
    else this.entries.delete(key);
  }
}
