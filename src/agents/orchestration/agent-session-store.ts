import type { AgentDefinition } from './agent-definition.js';
import type { AgentSession } from './agent-sessions.js';

/** Which session: sessions belong to one alias of one agent of one account. */
export interface SessionRef {
  accountId: string;
  agentId: string;
  aliasId: string;
  sessionId: string;
}

/** A session claimed for one invocation; exactly one of `save` or `end` gives it back. */
export interface HeldSession {
  session: AgentSession;
  /** Writes the session's state and lets the next invocation have it. */
  save(): Promise<void>;
  /** Forgets the session (endSession). */
  end(): Promise<void>;
}

/**
 * Where sessions live between invocations. One invocation at a time per session: `acquire` answers a
 * ConflictException while another holds it, wherever that other invocation runs. A session idle past `ttlMs`
 * starts over, its history and any return of control it was waiting on forgotten.
 */
export interface AgentSessionStore {
  /** `agent` rebuilds what a stored session refers to (the action groups of a pending return of control). */
  acquire(ref: SessionRef, ttlMs: number, agent: AgentDefinition): Promise<HeldSession>;
}

/** One ended session's summary, kept under the caller's memory id. */
export interface SessionSummary {
  sessionId: string;
  summary: string;
  /** Epoch milliseconds. */
  at: number;
}

/** Which memory: a memory id belongs to one agent of one account. */
export interface MemoryRef {
  accountId: string;
  agentId: string;
  memoryId: string;
}

/** Cross-session memory (Bedrock's SESSION_SUMMARY). */
export interface AgentMemoryStore {
  add(ref: MemoryRef, s: Omit<SessionSummary, 'at'>): Promise<void>;
  /** Newest last, at most `max`, none older than `storageDays`. */
  recent(ref: MemoryRef, storageDays: number, max: number): Promise<SessionSummary[]>;
  /** Forgets everything under the memory id, or only one session's summary (DeleteAgentMemory). */
  delete(ref: MemoryRef, sessionId?: string): Promise<void>;
}
