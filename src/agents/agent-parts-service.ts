import { QuarryError } from '../core/index.js';
import type { AgentFunctionRegistry } from './agent-functions.js';
import type { AgentPartsRepository } from './agent-parts-repository.js';
import type { AgentRepository } from './agent-repository.js';
import type { AgentService } from './agent-service.js';
import { parseVersion } from './agent-service.js';
import { settingsOf } from './agent-views.js';
import { actionGroupSummaryView, actionGroupView } from './agent-views.js';
import { checkActionGroup } from './check-action-group.js';
import { DRAFT, parseAgentAliasArn, TEST_ALIAS_ID } from './ids.js';
import type { KnowledgeBaseLookup } from './prepare-agent.js';
import type { ActionGroupInput, CollaboratorInput } from './schemas.js';

export interface AgentPartsServiceDeps {
  agents: AgentRepository;
  parts: AgentPartsRepository;
  service: AgentService;
  functions: AgentFunctionRegistry;
  knowledgeBases?: KnowledgeBaseLookup;
}

const invalid = (message: string) => new QuarryError('ValidationException', message);

/**
 * Action groups, knowledge bases and collaborators of an agent version. Only the DRAFT can change; reads of a
 * numbered version come from its snapshot. Every change leaves the draft NOT_PREPARED.
 */
export class AgentPartsService {
  constructor(private readonly deps: AgentPartsServiceDeps) {}

  /** The agent exists in this scope and `version` is its DRAFT (the only one that may change). */
  private async draft(scope: string, agentId: string, version: string) {
    const agent = await this.deps.agents.agent(scope, agentId);
    if (parseVersion(agentId, version) !== DRAFT) throw invalid(`Version ${version} of agent ${agentId} is immutable; change the DRAFT and release it as a new version.`);
    return agent;
  }

  // Action groups.

  async createActionGroup(scope: string, agentId: string, version: string, input: ActionGroupInput & { clientToken?: string }) {
    await this.draft(scope, agentId, version);
    const { clientToken, ...group } = input;
    const body = checkActionGroup(scope, group, this.deps.functions);
    await this.checkOneUserInput(scope, agentId, group);
    const record = await this.deps.parts.insertActionGroup(scope, agentId, group.actionGroupName, group.actionGroupState ?? 'ENABLED', body, clientToken);
    return actionGroupView(agentId, DRAFT, record);
  }

  private async checkOneUserInput(scope: string, agentId: string, group: ActionGroupInput, exceptId?: string) {
    if (group.parentActionGroupSignature !== 'AMAZON.UserInput') return;
    const other = (await this.deps.parts.actionGroups(scope, agentId)).find((g) => g.parentActionGroupSignature === 'AMAZON.UserInput' && g.actionGroupId !== exceptId);
    if (other) throw new QuarryError('ConflictException', `Agent ${agentId} already has the AMAZON.UserInput action group (${other.actionGroupName}).`);
  }

  async getActionGroup(scope: string, agentId: string, version: string, id: string) {
    const parts = await this.deps.service.partsAt(scope, agentId, version);
    const g = parts.actionGroups.find((a) => a.actionGroupId === id);
    if (!g) throw new QuarryError('ResourceNotFoundException', `Action group ${id} of agent ${agentId} version ${version} was not found.`);
    return actionGroupView(agentId, version, g);
  }

  async listActionGroups(scope: string, agentId: string, version: string) {
    const parts = await this.deps.service.partsAt(scope, agentId, version);
    return [...parts.actionGroups].sort((a, b) => (a.actionGroupId < b.actionGroupId ? -1 : 1)).map((g) => ({ key: g.actionGroupId, summary: actionGroupSummaryView(g) }));
  }

  async updateActionGroup(scope: string, agentId: string, version: string, id: string, input: ActionGroupInput) {
    await this.draft(scope, agentId, version);
    const current = await this.deps.parts.actionGroup(scope, agentId, id);
    const body = checkActionGroup(scope, input, this.deps.functions);
    await this.checkOneUserInput(scope, agentId, input, id);
    const record = await this.deps.parts.updateActionGroup(scope, agentId, id, input.actionGroupName, input.actionGroupState ?? current.actionGroupState, body);
    return actionGroupView(agentId, DRAFT, record);
  }

  /** As on Bedrock, an ENABLED group is deleted only when the caller says so (skipResourceInUseCheck) or after disabling it. */
  async deleteActionGroup(scope: string, agentId: string, version: string, id: string, skipInUseCheck: boolean) {
    await this.draft(scope, agentId, version);
    const current = await this.deps.parts.actionGroup(scope, agentId, id);
    if (current.actionGroupState === 'ENABLED' && !skipInUseCheck) {
      throw new QuarryError('ConflictException', `Action group ${current.actionGroupName} is ENABLED; disable it first (UpdateAgentActionGroup) or delete with skipResourceInUseCheck.`);
    }
    await this.deps.parts.deleteActionGroup(scope, agentId, id);
  }

  // Knowledge bases.

  async associateKnowledgeBase(scope: string, agentId: string, version: string, input: { knowledgeBaseId: string; description: string; knowledgeBaseState?: string }) {
    await this.draft(scope, agentId, version);
    if (!this.deps.knowledgeBases) throw invalid('This server has no knowledge bases.');
    if (!(await this.deps.knowledgeBases.exists(scope, input.knowledgeBaseId))) {
      throw new QuarryError('ResourceNotFoundException', `Knowledge base ${input.knowledgeBaseId} was not found.`);
    }
    const r = await this.deps.parts.associateKnowledgeBase(scope, agentId, input.knowledgeBaseId, input.description, input.knowledgeBaseState ?? 'ENABLED');
    return { agentId, agentVersion: DRAFT, ...r };
  }

  async getKnowledgeBase(scope: string, agentId: string, version: string, kbId: string) {
    const parts = await this.deps.service.partsAt(scope, agentId, version);
    const kb = parts.knowledgeBases.find((k) => k.knowledgeBaseId === kbId);
    if (!kb) throw new QuarryError('ResourceNotFoundException', `Knowledge base ${kbId} is not associated with agent ${agentId} version ${version}.`);
    return { agentId, agentVersion: version, ...kb };
  }

  async listKnowledgeBases(scope: string, agentId: string, version: string) {
    const parts = await this.deps.service.partsAt(scope, agentId, version);
    return [...parts.knowledgeBases]
      .sort((a, b) => (a.knowledgeBaseId < b.knowledgeBaseId ? -1 : 1))
      .map((k) => ({ key: k.knowledgeBaseId, summary: { knowledgeBaseId: k.knowledgeBaseId, description: k.description, knowledgeBaseState: k.knowledgeBaseState, updatedAt: k.updatedAt } }));
  }

  async updateKnowledgeBase(scope: string, agentId: string, version: string, kbId: string, patch: { description?: string; knowledgeBaseState?: string }) {
    await this.draft(scope, agentId, version);
    const r = await this.deps.parts.updateKnowledgeBase(scope, agentId, kbId, { description: patch.description, state: patch.knowledgeBaseState });
    return { agentId, agentVersion: DRAFT, ...r };
  }

  async disassociateKnowledgeBase(scope: string, agentId: string, version: string, kbId: string) {
    await this.draft(scope, agentId, version);
    await this.deps.parts.disassociateKnowledgeBase(scope, agentId, kbId);
  }

  // Collaborators.

  /** A collaborator is another agent's released alias in the same account; the supervisor must have collaboration on. */
  private async checkCollaborator(scope: string, agentId: string, input: CollaboratorInput) {
    const agent = await this.deps.agents.agent(scope, agentId);
    if ((settingsOf(agent).agentCollaboration ?? 'DISABLED') === 'DISABLED') {
      throw invalid(`Agent ${agentId} has agentCollaboration DISABLED; set it to SUPERVISOR or SUPERVISOR_ROUTER (UpdateAgent) before adding collaborators.`);
    }
    const arn = input.agentDescriptor.aliasArn;
    const ref = parseAgentAliasArn(arn);
    if (!ref) throw invalid(`agentDescriptor.aliasArn must be an agent alias ARN (arn:aws:bedrock:<region>:<account>:agent-alias/<agentId>/<aliasId>), got ${arn.slice(0, 200)}.`);
    if (ref.accountId !== scope) throw new QuarryError('ResourceNotFoundException', `Agent alias ${arn} was not found in this account.`);
    if (ref.agentId === agentId) throw invalid('An agent cannot be its own collaborator.');
    if (ref.aliasId === TEST_ALIAS_ID) throw invalid(`Collaborators are released aliases; ${TEST_ALIAS_ID} follows the collaborator's DRAFT, which would change this agent's versions after release.`);
    await this.deps.agents.alias(scope, ref.agentId, ref.aliasId).catch(() => {
      throw new QuarryError('ResourceNotFoundException', `Agent alias ${arn} was not found in this account.`);
    });
    return { name: input.collaboratorName, alias_arn: arn, instruction: input.collaborationInstruction, relay: input.relayConversationHistory ?? 'DISABLED' };
  }

  async associateCollaborator(scope: string, agentId: string, version: string, input: CollaboratorInput & { clientToken?: string }) {
    await this.draft(scope, agentId, version);
    const columns = await this.checkCollaborator(scope, agentId, input);
    const r = await this.deps.parts.insertCollaborator(scope, agentId, { ...columns, client_token: input.clientToken ?? null });
    return { agentId, agentVersion: DRAFT, ...r };
  }

  async getCollaborator(scope: string, agentId: string, version: string, id: string) {
    const parts = await this.deps.service.partsAt(scope, agentId, version);
    const c = parts.collaborators.find((x) => x.collaboratorId === id);
    if (!c) throw new QuarryError('ResourceNotFoundException', `Collaborator ${id} of agent ${agentId} version ${version} was not found.`);
    return { agentId, agentVersion: version, ...c };
  }

  async listCollaborators(scope: string, agentId: string, version: string) {
    const parts = await this.deps.service.partsAt(scope, agentId, version);
    return [...parts.collaborators]
      .sort((a, b) => (a.collaboratorId < b.collaboratorId ? -1 : 1))
      .map((c) => {
        const { clientToken: _t, ...rest } = c;
        return { key: c.collaboratorId, summary: { agentId, agentVersion: version, ...rest } };
      });
  }

  async updateCollaborator(scope: string, agentId: string, version: string, id: string, input: CollaboratorInput) {
    await this.draft(scope, agentId, version);
    await this.deps.parts.collaborator(scope, agentId, id);
    const columns = await this.checkCollaborator(scope, agentId, input);
    const r = await this.deps.parts.updateCollaborator(scope, agentId, id, columns);
    return { agentId, agentVersion: DRAFT, ...r };
  }

  async disassociateCollaborator(scope: string, agentId: string, version: string, id: string) {
    await this.draft(scope, agentId, version);
    await this.deps.parts.deleteCollaborator(scope, agentId, id);
  }
}
