// Types (not interfaces): Kysely's withTables<T>() needs index-signature-compatible records.
import type { Migration } from 'kysely';

/**
 * Only the DRAFT lives in rows that change: the agent's settings, its action groups, knowledge bases and collaborators.
 * A numbered version is one immutable JSON snapshot of all of them (agent_versions.snapshot), taken from the prepared
 * draft, so a version can never drift from what was released and reading one is a single row.
 */
export type AgentsTable = {
  id: string;
  /** The account that owns it; every query filters on it so tenants never see each other's agents. */
  scope: string;
  name: string;
  /** NOT_PREPARED | PREPARING | PREPARED | FAILED (Bedrock's AgentStatus). */
  status: string;
  /** JSON: AgentSettings (the draft's instruction, model, configurations) in Bedrock's shapes. */
  settings: string;
  client_token: string | null;
  /** Incremented by every change to the draft (settings or parts); Prepare and versioning check it did not move. */
  revision: number;
  /** JSON: AgentSnapshot of the draft as last prepared, which the test alias runs; null until the first Prepare. */
  prepared_snapshot: string | null;
  prepared_at: string | null;
  /** JSON: string[] from the last failed Prepare. */
  failure_reasons: string | null;
  /** The number the next version gets; numbers are never reused, even after a version is deleted. */
  next_version: number;
  created_at: string;
  updated_at: string;
};

export type AgentVersionsTable = {
  agent_id: string;
  /** The version's number (Bedrock's agentVersion is its decimal string). */
  number: number;
  scope: string;
  /** JSON: AgentSnapshot. */
  snapshot: string;
  created_at: string;
};

export type AgentActionGroupsTable = {
  id: string;
  agent_id: string;
  scope: string;
  name: string;
  /** ENABLED | DISABLED. */
  state: string;
  /** JSON: the rest of the action group in Bedrock's shape (ActionGroupBody). */
  body: string;
  client_token: string | null;
  created_at: string;
  updated_at: string;
};

export type AgentKnowledgeBasesTable = {
  agent_id: string;
  knowledge_base_id: string;
  scope: string;
  description: string;
  state: string;
  created_at: string;
  updated_at: string;
};

export type AgentCollaboratorsTable = {
  id: string;
  agent_id: string;
  scope: string;
  name: string;
  alias_arn: string;
  instruction: string;
  /** DISABLED | TO_COLLABORATOR. */
  relay: string;
  client_token: string | null;
  created_at: string;
  updated_at: string;
};

export type AgentAliasesTable = {
  id: string;
  agent_id: string;
  scope: string;
  name: string;
  description: string | null;
  /** JSON: [{ agentVersion }]. */
  routing: string;
  /** JSON: AgentAliasHistoryEvent[], newest first. */
  history: string;
  invocation_state: string;
  client_token: string | null;
  created_at: string;
  updated_at: string;
};

/**
 * One row per live InvokeAgent session, so a session continues on whichever replica the next request reaches. Times
 * are ISO-8601 UTC strings (same length, so they compare as text on both dialects).
 */
export type AgentSessionsTable = {
  scope: string;
  agent_id: string;
  alias_id: string;
  session_id: string;
  /** JSON: the session (session-codec.ts); null until the first invocation saves it. */
  state: string | null;
  /** The invocation holding the session; null when none does. */
  lease_token: string | null;
  /** A holder that stops renewing (its replica died) loses the session at this time. */
  lease_until: string | null;
  /** Last use plus the agent's idle-session TTL; a session found past it starts over. */
  expires_at: string;
  updated_at: string;
};

/** Session summaries kept across sessions under a caller's memory id (Bedrock's SESSION_SUMMARY). */
export type AgentMemorySummariesTable = {
  scope: string;
  agent_id: string;
  memory_id: string;
  session_id: string;
  summary: string;
  created_at: string;
};

export type AgentTables = {
  agents: AgentsTable;
  agent_versions: AgentVersionsTable;
  agent_action_groups: AgentActionGroupsTable;
  agent_knowledge_bases: AgentKnowledgeBasesTable;
  agent_collaborators: AgentCollaboratorsTable;
  agent_aliases: AgentAliasesTable;
  agent_sessions: AgentSessionsTable;
  agent_memory_summaries: AgentMemorySummariesTable;
};

export const agentMigrations: Record<string, Migration> = {
  '2026-11-23-30-agents': {
    async up(db) {
      await db.schema
        .createTable('agents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('client_token', 'text')
        .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('prepared_snapshot', 'text')
        .addColumn('prepared_at', 'text')
        .addColumn('failure_reasons', 'text')
        .addColumn('next_version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('agents_scope_name').on('agents').columns(['scope', 'name']).unique().execute();
      await db.schema
        .createTable('agent_versions')
        .addColumn('agent_id', 'text', (c) => c.notNull())
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('snapshot', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('agent_versions_pk', ['agent_id', 'number'])
        .execute();
      await db.schema
        .createTable('agent_action_groups')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('agent_id', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('client_token', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('agent_action_groups_name').on('agent_action_groups').columns(['agent_id', 'name']).unique().execute();
      await db.schema
        .createTable('agent_knowledge_bases')
        .addColumn('agent_id', 'text', (c) => c.notNull())
        .addColumn('knowledge_base_id', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('agent_knowledge_bases_pk', ['agent_id', 'knowledge_base_id'])
        .execute();
      await db.schema
        .createTable('agent_collaborators')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('agent_id', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('alias_arn', 'text', (c) => c.notNull())
        .addColumn('instruction', 'text', (c) => c.notNull())
        .addColumn('relay', 'text', (c) => c.notNull())
        .addColumn('client_token', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('agent_collaborators_name').on('agent_collaborators').columns(['agent_id', 'name']).unique().execute();
      await db.schema.createIndex('agent_collaborators_alias').on('agent_collaborators').columns(['scope', 'alias_arn']).execute();
      await db.schema
        .createTable('agent_aliases')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('agent_id', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('routing', 'text', (c) => c.notNull())
        .addColumn('history', 'text', (c) => c.notNull())
        .addColumn('invocation_state', 'text', (c) => c.notNull())
        .addColumn('client_token', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('agent_aliases_name').on('agent_aliases').columns(['agent_id', 'name']).unique().execute();
    },
  },
  '2026-11-23-31-agent-sessions': {
    async up(db) {
      await db.schema
        .createTable('agent_sessions')
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('agent_id', 'text', (c) => c.notNull())
        .addColumn('alias_id', 'text', (c) => c.notNull())
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('state', 'text')
        .addColumn('lease_token', 'text')
        .addColumn('lease_until', 'text')
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('agent_sessions_pk', ['scope', 'agent_id', 'alias_id', 'session_id'])
        .execute();
      await db.schema.createIndex('agent_sessions_expires').on('agent_sessions').column('expires_at').execute();
      await db.schema
        .createTable('agent_memory_summaries')
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('agent_id', 'text', (c) => c.notNull())
        .addColumn('memory_id', 'text', (c) => c.notNull())
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('agent_memory_summaries_pk', ['scope', 'agent_id', 'memory_id', 'session_id'])
        .execute();
      await db.schema.createIndex('agent_memory_summaries_recent').on('agent_memory_summaries').columns(['scope', 'agent_id', 'memory_id', 'created_at']).execute();
    },
  },
};
