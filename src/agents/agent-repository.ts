import type { Kysely, Transaction } from 'kysely';
import { QuarryError } from '../core/index.js';
import { type Database, isUniqueViolation } from '../store/index.js';
import type { AgentSnapshot, AliasHistoryEvent, AliasRoutingItem } from './agent-records.js';
import { newAgentResourceId, TEST_ALIAS_ID } from './ids.js';
import type { AgentSettings } from './schemas.js';
import type { AgentAliasesTable, AgentsTable, AgentTables, AgentVersionsTable } from './tables.js';

export type AgentDb = Kysely<AgentTables>;
export type AgentTx = Transaction<AgentTables>;

/** Alias history kept per alias (Bedrock keeps the last ten routings). */
const MAX_HISTORY = 10;

const notFound = (what: string) => new QuarryError('ResourceNotFoundException', `${what} was not found.`);

/**
 * Agents, their numbered versions and their aliases, always read and written within one scope (account). Changes to
 * the draft bump its revision, so Prepare and versioning can tell whether the draft moved under them.
 */
export class AgentRepository {
  readonly db: AgentDb;
  constructor(db: Database) {
    this.db = db.withTables<AgentTables>();
  }

  async insertAgent(scope: string, name: string, settings: AgentSettings, clientToken: string | undefined): Promise<AgentsTable> {
    const now = new Date().toISOString();
    const row: AgentsTable = {
      id: newAgentResourceId(),
      scope,
      name,
      status: 'NOT_PREPARED',
      settings: JSON.stringify(settings),
      client_token: clientToken ?? null,
      revision: 0,
      prepared_snapshot: null,
      prepared_at: null,
      failure_reasons: null,
      next_version: 1,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.db.insertInto('agents').values(row).execute();
      return row;
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      // The SDK sends the same clientToken when it retries a create whose answer was lost: that is the same agent.
      const existing = await this.db.selectFrom('agents').selectAll().where('scope', '=', scope).where('name', '=', name).executeTakeFirst();
      if (existing && clientToken && existing.client_token === clientToken) return existing;
      throw new QuarryError('ConflictException', `An agent named ${name} already exists in this account.`);
    }
  }

  async agent(scope: string, id: string): Promise<AgentsTable> {
    const row = await this.db.selectFrom('agents').selectAll().where('scope', '=', scope).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(`Agent ${id}`);
    return row;
  }

  async listAgents(scope: string, limit: number, after?: string): Promise<AgentsTable[]> {
    let q = this.db.selectFrom('agents').selectAll().where('scope', '=', scope).orderBy('id').limit(limit);
    if (after) q = q.where('id', '>', after);
    return q.execute();
  }

  async updateAgent(scope: string, id: string, name: string, settings: AgentSettings): Promise<AgentsTable> {
    await this.agent(scope, id);
    try {
      await this.db
        .updateTable('agents')
        .set((eb) => ({ name, settings: JSON.stringify(settings), status: 'NOT_PREPARED', revision: eb('revision', '+', 1), updated_at: new Date().toISOString() }))
        .where('scope', '=', scope)
        .where('id', '=', id)
        .execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new QuarryError('ConflictException', `An agent named ${name} already exists in this account.`);
      throw e;
    }
    return this.agent(scope, id);
  }

  /** Marks the draft changed (status NOT_PREPARED, revision + 1); every change to a draft part calls it in its transaction. */
  async touchDraft(tx: AgentTx, scope: string, id: string): Promise<void> {
    const r = await tx
      .updateTable('agents')
      .set((eb) => ({ status: 'NOT_PREPARED', revision: eb('revision', '+', 1), updated_at: new Date().toISOString() }))
      .where('scope', '=', scope)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!Number(r.numUpdatedRows)) throw notFound(`Agent ${id}`);
  }

  /** PREPARING is visible while the checks run; the outcome is written only if the draft did not change meanwhile. */
  async markPreparing(scope: string, id: string, revision: number): Promise<boolean> {
    const r = await this.db
      .updateTable('agents')
      .set({ status: 'PREPARING' })
      .where('scope', '=', scope)
      .where('id', '=', id)
      .where('revision', '=', revision)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async finishPrepare(scope: string, id: string, revision: number, outcome: { snapshot: AgentSnapshot } | { failureReasons: string[] }): Promise<boolean> {
    const now = new Date().toISOString();
    const set =
      'snapshot' in outcome
        ? { status: 'PREPARED', prepared_snapshot: JSON.stringify(outcome.snapshot), prepared_at: outcome.snapshot.preparedAt, failure_reasons: null, updated_at: now }
        : { status: 'NOT_PREPARED', failure_reasons: JSON.stringify(outcome.failureReasons), updated_at: now };
    const r = await this.db.updateTable('agents').set(set).where('scope', '=', scope).where('id', '=', id).where('revision', '=', revision).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Gives up a PREPARING mark that will not be finished (an unexpected error during the checks). */
  async abandonPrepare(scope: string, id: string, revision: number): Promise<void> {
    await this.db.updateTable('agents').set({ status: 'NOT_PREPARED' }).where('scope', '=', scope).where('id', '=', id).where('revision', '=', revision).where('status', '=', 'PREPARING').execute();
  }

  /**
   * Snapshots the prepared draft as the next numbered version. Fails with a ConflictException when the draft is not
   * prepared or changed after it was read, so a version is always exactly a prepared draft.
   */
  async createVersion(tx: AgentTx, scope: string, agent: AgentsTable): Promise<number> {
    if (agent.status !== 'PREPARED' || !agent.prepared_snapshot) {
      throw new QuarryError('ConflictException', `Agent ${agent.id} is ${agent.status}: prepare it (PrepareAgent) before creating a version or an alias of it.`);
    }
    const number = agent.next_version;
    const r = await tx
      .updateTable('agents')
      .set({ next_version: number + 1 })
      .where('scope', '=', scope)
      .where('id', '=', agent.id)
      .where('revision', '=', agent.revision)
      .where('next_version', '=', number)
      .where('status', '=', 'PREPARED')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new QuarryError('ConflictException', `Agent ${agent.id} changed while a version was being created; try again.`);
    await tx.insertInto('agent_versions').values({ agent_id: agent.id, number, scope, snapshot: agent.prepared_snapshot, created_at: new Date().toISOString() }).execute();
    return number;
  }

  async version(scope: string, agentId: string, number: number): Promise<AgentVersionsTable> {
    const row = await this.db.selectFrom('agent_versions').selectAll().where('scope', '=', scope).where('agent_id', '=', agentId).where('number', '=', number).executeTakeFirst();
    if (!row) throw notFound(`Version ${number} of agent ${agentId}`);
    return row;
  }

  async listVersions(scope: string, agentId: string, limit: number, afterNumber: number): Promise<AgentVersionsTable[]> {
    return this.db
      .selectFrom('agent_versions')
      .selectAll()
      .where('scope', '=', scope)
      .where('agent_id', '=', agentId)
      .where('number', '>', afterNumber)
      .orderBy('number')
      .limit(limit)
      .execute();
  }

  async latestVersion(scope: string, agentIds: string[]): Promise<Map<string, number>> {
    if (!agentIds.length) return new Map();
    const rows = await this.db
      .selectFrom('agent_versions')
      .select(['agent_id', (eb) => eb.fn.max('number').as('latest')])
      .where('scope', '=', scope)
      .where('agent_id', 'in', agentIds)
      .groupBy('agent_id')
      .execute();
    return new Map(rows.map((r) => [r.agent_id, Number(r.latest)]));
  }

  async deleteVersion(scope: string, agentId: string, number: number): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const users = (await this.aliasesOf(tx, scope, agentId)).filter((a) => routingOf(a).some((r) => r.agentVersion === String(number)));
      if (users.length) {
        throw new QuarryError(
          'ConflictException',
          `Version ${number} of agent ${agentId} is in use by alias ${users.map((a) => `${a.name} (${a.id})`).join(', ')}; point the alias at another version first.`,
        );
      }
      const r = await tx.deleteFrom('agent_versions').where('scope', '=', scope).where('agent_id', '=', agentId).where('number', '=', number).executeTakeFirst();
      if (!Number(r.numDeletedRows)) throw notFound(`Version ${number} of agent ${agentId}`);
    });
  }

  async insertAlias(
    tx: AgentTx,
    row: Omit<AgentAliasesTable, 'id' | 'created_at' | 'updated_at' | 'history' | 'invocation_state'>,
  ): Promise<AgentAliasesTable> {
    const now = new Date().toISOString();
    const history: AliasHistoryEvent[] = [{ routingConfiguration: JSON.parse(row.routing), startDate: now }];
    const full: AgentAliasesTable = { ...row, id: newAgentResourceId(), history: JSON.stringify(history), invocation_state: 'ACCEPT_INVOCATIONS', created_at: now, updated_at: now };
    await tx.insertInto('agent_aliases').values(full).execute();
    return full;
  }

  async aliasByName(scope: string, agentId: string, name: string): Promise<AgentAliasesTable | undefined> {
    return this.db.selectFrom('agent_aliases').selectAll().where('scope', '=', scope).where('agent_id', '=', agentId).where('name', '=', name).executeTakeFirst();
  }

  async alias(scope: string, agentId: string, id: string): Promise<AgentAliasesTable> {
    const row = await this.db.selectFrom('agent_aliases').selectAll().where('scope', '=', scope).where('agent_id', '=', agentId).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(`Alias ${id} of agent ${agentId}`);
    return row;
  }

  async listAliases(scope: string, agentId: string, limit: number, after?: string): Promise<AgentAliasesTable[]> {
    let q = this.db.selectFrom('agent_aliases').selectAll().where('scope', '=', scope).where('agent_id', '=', agentId).orderBy('id').limit(limit);
    if (after) q = q.where('id', '>', after);
    return q.execute();
  }

  aliasesOf(tx: AgentTx | AgentDb, scope: string, agentId: string): Promise<AgentAliasesTable[]> {
    return tx.selectFrom('agent_aliases').selectAll().where('scope', '=', scope).where('agent_id', '=', agentId).execute();
  }

  /** Renames, describes, re-routes (a release: the history gets a new event) or stops an alias. */
  async updateAlias(
    scope: string,
    agentId: string,
    id: string,
    patch: { name: string; description: string | null; routing?: AliasRoutingItem[]; invocationState?: string },
  ): Promise<AgentAliasesTable> {
    if (id === TEST_ALIAS_ID) throw new QuarryError('ValidationException', 'The test alias TSTALIASID always routes to the DRAFT and cannot be changed.');
    const current = await this.alias(scope, agentId, id);
    const now = new Date().toISOString();
    let history = JSON.parse(current.history) as AliasHistoryEvent[];
    const rerouted = patch.routing && JSON.stringify(patch.routing) !== current.routing;
    if (rerouted) {
      history = [{ routingConfiguration: patch.routing!, startDate: now }, ...history.map((h, i) => (i === 0 ? { ...h, endDate: now } : h))].slice(0, MAX_HISTORY);
    }
    try {
      await this.db
        .updateTable('agent_aliases')
        .set({
          name: patch.name,
          description: patch.description,
          ...(rerouted ? { routing: JSON.stringify(patch.routing), history: JSON.stringify(history) } : {}),
          ...(patch.invocationState ? { invocation_state: patch.invocationState } : {}),
          updated_at: now,
        })
        .where('scope', '=', scope)
        .where('agent_id', '=', agentId)
        .where('id', '=', id)
        .execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new QuarryError('ConflictException', `Agent ${agentId} already has an alias named ${patch.name}.`);
      throw e;
    }
    return this.alias(scope, agentId, id);
  }

  async deleteAlias(scope: string, agentId: string, id: string): Promise<void> {
    const r = await this.db.deleteFrom('agent_aliases').where('scope', '=', scope).where('agent_id', '=', agentId).where('id', '=', id).executeTakeFirst();
    if (!Number(r.numDeletedRows)) throw notFound(`Alias ${id} of agent ${agentId}`);
  }

  /** The agent and everything under it. */
  async deleteAgent(scope: string, id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      for (const table of ['agent_action_groups', 'agent_knowledge_bases', 'agent_collaborators', 'agent_aliases', 'agent_versions'] as const) {
        await tx.deleteFrom(table).where('scope', '=', scope).where('agent_id', '=', id).execute();
      }
      await tx.deleteFrom('agents').where('scope', '=', scope).where('id', '=', id).execute();
    });
  }
}

export function routingOf(alias: Pick<AgentAliasesTable, 'routing'>): AliasRoutingItem[] {
  return JSON.parse(alias.routing) as AliasRoutingItem[];
}
