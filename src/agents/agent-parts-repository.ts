import { QuarryError } from '../core/index.js';
import { isUniqueViolation } from '../store/index.js';
import type { ActionGroupBody, ActionGroupRecord, AgentKnowledgeBaseRecord, CollaboratorRecord } from './agent-records.js';
import type { AgentRepository } from './agent-repository.js';
import { newAgentResourceId } from './ids.js';
import type { AgentActionGroupsTable, AgentCollaboratorsTable, AgentKnowledgeBasesTable } from './tables.js';

const notFound = (what: string) => new QuarryError('ResourceNotFoundException', `${what} was not found.`);

/**
 * The DRAFT's action groups, knowledge bases and collaborators. Every write runs in one transaction with the draft's
 * `touchDraft`, so a change and the "needs preparing again" mark can never be separated.
 */
export class AgentPartsRepository {
  constructor(private readonly agents: AgentRepository) {}

  private get db() {
    return this.agents.db;
  }

  // Action groups.

  async insertActionGroup(scope: string, agentId: string, name: string, state: string, body: ActionGroupBody, clientToken?: string): Promise<ActionGroupRecord> {
    const now = new Date().toISOString();
    const row: AgentActionGroupsTable = { id: newAgentResourceId(), agent_id: agentId, scope, name, state, body: JSON.stringify(body), client_token: clientToken ?? null, created_at: now, updated_at: now };
    try {
      await this.db.transaction().execute(async (tx) => {
        await this.agents.touchDraft(tx, scope, agentId);
        await tx.insertInto('agent_action_groups').values(row).execute();
      });
      return actionGroupRecord(row);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const existing = await this.db.selectFrom('agent_action_groups').selectAll().where('scope', '=', scope).where('agent_id', '=', agentId).where('name', '=', name).executeTakeFirst();
      if (existing && clientToken && existing.client_token === clientToken) return actionGroupRecord(existing);
      throw new QuarryError('ConflictException', `Agent ${agentId} already has an action group named ${name}.`);
    }
  }

  async actionGroup(scope: string, agentId: string, id: string): Promise<ActionGroupRecord> {
    const row = await this.db.selectFrom('agent_action_groups').selectAll().where('scope', '=', scope).where('agent_id', '=', agentId).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(`Action group ${id} of agent ${agentId}`);
    return actionGroupRecord(row);
  }

  async actionGroups(scope: string, agentId: string, limit = 10_000, after?: string): Promise<ActionGroupRecord[]> {
    let q = this.db.selectFrom('agent_action_groups').selectAll().where('scope', '=', scope).where('agent_id', '=', agentId).orderBy('id').limit(limit);
    if (after) q = q.where('id', '>', after);
    return (await q.execute()).map(actionGroupRecord);
  }

  async updateActionGroup(scope: string, agentId: string, id: string, name: string, state: string, body: ActionGroupBody): Promise<ActionGroupRecord> {
    try {
      await this.db.transaction().execute(async (tx) => {
        const r = await tx
          .updateTable('agent_action_groups')
          .set({ name, state, body: JSON.stringify(body), updated_at: new Date().toISOString() })
          .where('scope', '=', scope)
          .where('agent_id', '=', agentId)
          .where('id', '=', id)
          .executeTakeFirst();
        if (!Number(r.numUpdatedRows)) throw notFound(`Action group ${id} of agent ${agentId}`);
        await this.agents.touchDraft(tx, scope, agentId);
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new QuarryError('ConflictException', `Agent ${agentId} already has an action group named ${name}.`);
      throw e;
    }
    return this.actionGroup(scope, agentId, id);
  }

  async deleteActionGroup(scope: string, agentId: string, id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const r = await tx.deleteFrom('agent_action_groups').where('scope', '=', scope).where('agent_id', '=', agentId).where('id', '=', id).executeTakeFirst();
      if (!Number(r.numDeletedRows)) throw notFound(`Action group ${id} of agent ${agentId}`);
      await this.agents.touchDraft(tx, scope, agentId);
    });
  }

  // Knowledge bases.

  async associateKnowledgeBase(scope: string, agentId: string, kbId: string, description: string, state: string): Promise<AgentKnowledgeBaseRecord> {
    const now = new Date().toISOString();
    const row: AgentKnowledgeBasesTable = { agent_id: agentId, knowledge_base_id: kbId, scope, description, state, created_at: now, updated_at: now };
    try {
      await this.db.transaction().execute(async (tx) => {
        await this.agents.touchDraft(tx, scope, agentId);
        await tx.insertInto('agent_knowledge_bases').values(row).execute();
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new QuarryError('ConflictException', `Knowledge base ${kbId} is already associated with agent ${agentId}.`);
      throw e;
    }
    return knowledgeBaseRecord(row);
  }

  async knowledgeBase(scope: string, agentId: string, kbId: string): Promise<AgentKnowledgeBaseRecord> {
    const row = await this.db
      .selectFrom('agent_knowledge_bases')
      .selectAll()
      .where('scope', '=', scope)
      .where('agent_id', '=', agentId)
      .where('knowledge_base_id', '=', kbId)
      .executeTakeFirst();
    if (!row) throw notFound(`Knowledge base ${kbId} of agent ${agentId}`);
    return knowledgeBaseRecord(row);
  }

  async knowledgeBases(scope: string, agentId: string, limit = 10_000, after?: string): Promise<AgentKnowledgeBaseRecord[]> {
    let q = this.db.selectFrom('agent_knowledge_bases').selectAll().where('scope', '=', scope).where('agent_id', '=', agentId).orderBy('knowledge_base_id').limit(limit);
    if (after) q = q.where('knowledge_base_id', '>', after);
    return (await q.execute()).map(knowledgeBaseRecord);
  }

  async updateKnowledgeBase(scope: string, agentId: string, kbId: string, patch: { description?: string; state?: string }): Promise<AgentKnowledgeBaseRecord> {
    await this.db.transaction().execute(async (tx) => {
      const r = await tx
        .updateTable('agent_knowledge_bases')
        .set({ ...(patch.description ? { description: patch.description } : {}), ...(patch.state ? { state: patch.state } : {}), updated_at: new Date().toISOString() })
        .where('scope', '=', scope)
        .where('agent_id', '=', agentId)
        .where('knowledge_base_id', '=', kbId)
        .executeTakeFirst();
      if (!Number(r.numUpdatedRows)) throw notFound(`Knowledge base ${kbId} of agent ${agentId}`);
      await this.agents.touchDraft(tx, scope, agentId);
    });
    return this.knowledgeBase(scope, agentId, kbId);
  }

  async disassociateKnowledgeBase(scope: string, agentId: string, kbId: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const r = await tx.deleteFrom('agent_knowledge_bases').where('scope', '=', scope).where('agent_id', '=', agentId).where('knowledge_base_id', '=', kbId).executeTakeFirst();
      if (!Number(r.numDeletedRows)) throw notFound(`Knowledge base ${kbId} of agent ${agentId}`);
      await this.agents.touchDraft(tx, scope, agentId);
    });
  }

  // Collaborators.

  async insertCollaborator(scope: string, agentId: string, c: Omit<AgentCollaboratorsTable, 'id' | 'agent_id' | 'scope' | 'created_at' | 'updated_at'>): Promise<CollaboratorRecord> {
    const now = new Date().toISOString();
    const row: AgentCollaboratorsTable = { ...c, id: newAgentResourceId(), agent_id: agentId, scope, created_at: now, updated_at: now };
    try {
      await this.db.transaction().execute(async (tx) => {
        await this.agents.touchDraft(tx, scope, agentId);
        await tx.insertInto('agent_collaborators').values(row).execute();
      });
      return collaboratorRecord(row);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const existing = await this.db.selectFrom('agent_collaborators').selectAll().where('scope', '=', scope).where('agent_id', '=', agentId).where('name', '=', c.name).executeTakeFirst();
      if (existing && c.client_token && existing.client_token === c.client_token) return collaboratorRecord(existing);
      throw new QuarryError('ConflictException', `Agent ${agentId} already has a collaborator named ${c.name}.`);
    }
  }

  async collaborator(scope: string, agentId: string, id: string): Promise<CollaboratorRecord> {
    const row = await this.db.selectFrom('agent_collaborators').selectAll().where('scope', '=', scope).where('agent_id', '=', agentId).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(`Collaborator ${id} of agent ${agentId}`);
    return collaboratorRecord(row);
  }

  async collaborators(scope: string, agentId: string, limit = 10_000, after?: string): Promise<CollaboratorRecord[]> {
    let q = this.db.selectFrom('agent_collaborators').selectAll().where('scope', '=', scope).where('agent_id', '=', agentId).orderBy('id').limit(limit);
    if (after) q = q.where('id', '>', after);
    return (await q.execute()).map(collaboratorRecord);
  }

  async updateCollaborator(scope: string, agentId: string, id: string, c: Pick<AgentCollaboratorsTable, 'name' | 'alias_arn' | 'instruction' | 'relay'>): Promise<CollaboratorRecord> {
    try {
      await this.db.transaction().execute(async (tx) => {
        const r = await tx
          .updateTable('agent_collaborators')
          .set({ ...c, updated_at: new Date().toISOString() })
          .where('scope', '=', scope)
          .where('agent_id', '=', agentId)
          .where('id', '=', id)
          .executeTakeFirst();
        if (!Number(r.numUpdatedRows)) throw notFound(`Collaborator ${id} of agent ${agentId}`);
        await this.agents.touchDraft(tx, scope, agentId);
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new QuarryError('ConflictException', `Agent ${agentId} already has a collaborator named ${c.name}.`);
      throw e;
    }
    return this.collaborator(scope, agentId, id);
  }

  async deleteCollaborator(scope: string, agentId: string, id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const r = await tx.deleteFrom('agent_collaborators').where('scope', '=', scope).where('agent_id', '=', agentId).where('id', '=', id).executeTakeFirst();
      if (!Number(r.numDeletedRows)) throw notFound(`Collaborator ${id} of agent ${agentId}`);
      await this.agents.touchDraft(tx, scope, agentId);
    });
  }

  /** Drafts (other than `exceptAgentId`'s) that name one of these aliases as a collaborator: what deleting them would break. */
  async supervisorsUsing(scope: string, aliasArns: string[], exceptAgentId?: string): Promise<{ agentId: string; aliasArn: string }[]> {
    if (!aliasArns.length) return [];
    let q = this.db.selectFrom('agent_collaborators').select(['agent_id', 'alias_arn']).where('scope', '=', scope).where('alias_arn', 'in', aliasArns);
    if (exceptAgentId) q = q.where('agent_id', '!=', exceptAgentId);
    return (await q.execute()).map((r) => ({ agentId: r.agent_id, aliasArn: r.alias_arn }));
  }
}

function actionGroupRecord(row: AgentActionGroupsTable): ActionGroupRecord {
  return {
    actionGroupId: row.id,
    actionGroupName: row.name,
    actionGroupState: row.state as ActionGroupRecord['actionGroupState'],
    ...(JSON.parse(row.body) as ActionGroupBody),
    ...(row.client_token ? { clientToken: row.client_token } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function knowledgeBaseRecord(row: AgentKnowledgeBasesTable): AgentKnowledgeBaseRecord {
  return {
    knowledgeBaseId: row.knowledge_base_id,
    description: row.description,
    knowledgeBaseState: row.state as AgentKnowledgeBaseRecord['knowledgeBaseState'],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function collaboratorRecord(row: AgentCollaboratorsTable): CollaboratorRecord {
  return {
    collaboratorId: row.id,
    collaboratorName: row.name,
    agentDescriptor: { aliasArn: row.alias_arn },
    collaborationInstruction: row.instruction,
    relayConversationHistory: row.relay as CollaboratorRecord['relayConversationHistory'],
    ...(row.client_token ? { clientToken: row.client_token } : {}),
    createdAt: row.created_at,
    lastUpdatedAt: row.updated_at,
  };
}
