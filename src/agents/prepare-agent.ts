import { type ModelInfo, QuarryError } from '../core/index.js';
import { parseModelId } from '../models/index.js';
import type { AgentFunctionRegistry } from './agent-functions.js';
import type { ActionGroupRecord, AgentKnowledgeBaseRecord, AgentSnapshot, CollaboratorRecord } from './agent-records.js';
import { checkActionGroup } from './check-action-group.js';
import type { AgentSettings } from './schemas.js';

/** What Prepare needs from the invocation pipeline (the runtime satisfies it): does a model id name a model. */
export interface AgentModelPort {
  resolveModel(id: string): Promise<{ model: ModelInfo }>;
}

/** Whether a knowledge base exists in an account (backed by the knowledge module). */
export interface KnowledgeBaseLookup {
  exists(scope: string, id: string): Promise<boolean>;
}

/** Whether a guardrail version exists in an account (backed by the guardrails module). */
export interface GuardrailLookup {
  exists(scope: string, identifier: string, version: string): Promise<boolean>;
}

export interface PrepareDeps {
  models: AgentModelPort;
  guardrails?: GuardrailLookup;
  functions: AgentFunctionRegistry;
  knowledgeBases?: KnowledgeBaseLookup;
  /** The snapshot an alias ARN runs (for collaborators), or undefined with the reason it cannot be run. */
  collaboratorSnapshot(scope: string, aliasArn: string): Promise<{ agentId: string; snapshot: AgentSnapshot } | { problem: string }>;
}

export interface DraftParts {
  actionGroups: ActionGroupRecord[];
  knowledgeBases: AgentKnowledgeBaseRecord[];
  collaborators: CollaboratorRecord[];
}

/** Supervisors whose collaborators are themselves supervisors: how far Prepare follows the chain looking for a loop. */
const MAX_DELEGATION_DEPTH = 5;

/**
 * Everything that would stop the draft from running, as sentences a user can act on (empty when it can be
 * prepared). Checked at Prepare rather than at each edit because the world moves between edits: a model is removed,
 * a knowledge base deleted, a registered function dropped from the configuration.
 */
export async function prepareProblems(scope: string, agentId: string, settings: AgentSettings, parts: DraftParts, deps: PrepareDeps): Promise<string[]> {
  const problems: string[] = [];
  if (!settings.instruction) problems.push('the agent has no instruction (UpdateAgent with an instruction of at least 40 characters)');
  if (!settings.foundationModel) problems.push('the agent has no foundationModel');
  else {
    const p = await modelProblem(deps.models, settings.foundationModel);
    if (p) problems.push(`foundationModel ${p}`);
  }
  for (const c of settings.promptOverrideConfiguration?.promptConfigurations ?? []) {
    if (!c.foundationModel) continue;
    const p = await modelProblem(deps.models, c.foundationModel);
    if (p) problems.push(`the ${c.promptType} prompt's foundationModel ${p}`);
  }

  const g = settings.guardrailConfiguration;
  if (g?.guardrailIdentifier && g.guardrailVersion) {
    if (!deps.guardrails) problems.push(`guardrail ${g.guardrailIdentifier} cannot be used: this server has no guardrails`);
    else if (!(await deps.guardrails.exists(scope, g.guardrailIdentifier, g.guardrailVersion))) {
      problems.push(`guardrail ${g.guardrailIdentifier} version ${g.guardrailVersion} was not found in this account`);
    }
  }

  let userInput = 0;
  for (const g of parts.actionGroups) {
    if (g.parentActionGroupSignature === 'AMAZON.UserInput') userInput++;
    try {
      checkActionGroup(scope, g, deps.functions);
    } catch (e) {
      if (!QuarryError.isInstance(e)) throw e;
      problems.push(`action group ${g.actionGroupName}: ${e.message.replace(/\.$/, '')}`);
    }
  }
  if (userInput > 1) problems.push('the agent has more than one AMAZON.UserInput action group');

  for (const kb of parts.knowledgeBases) {
    if (!deps.knowledgeBases) problems.push(`knowledge base ${kb.knowledgeBaseId} cannot be used: this server has no knowledge bases`);
    else if (!(await deps.knowledgeBases.exists(scope, kb.knowledgeBaseId))) problems.push(`knowledge base ${kb.knowledgeBaseId} no longer exists (DisassociateAgentKnowledgeBase it)`);
  }

  const collaboration = settings.agentCollaboration ?? 'DISABLED';
  if (collaboration === 'DISABLED' && parts.collaborators.length) {
    problems.push(`agentCollaboration is DISABLED but the agent has collaborators (${parts.collaborators.map((c) => c.collaboratorName).join(', ')}); set it to SUPERVISOR or SUPERVISOR_ROUTER`);
  }
  if (collaboration !== 'DISABLED' && !parts.collaborators.length) problems.push(`a ${collaboration} agent needs at least one collaborator (AssociateAgentCollaborator)`);
  for (const c of parts.collaborators) {
    const p = await delegationProblem(scope, agentId, c.agentDescriptor.aliasArn, deps, [agentId]);
    if (p) problems.push(`collaborator ${c.collaboratorName}: ${p}`);
  }
  return problems;
}

async function modelProblem(models: AgentModelPort, id: string): Promise<string | undefined> {
  try {
    const { model } = await models.resolveModel(parseModelId(id).id);
    if (model.kind !== 'text') return `${id} is an ${model.kind} model, not a text model`;
    return undefined;
  } catch (e) {
    if (!QuarryError.isInstance(e)) throw e;
    return `${id} cannot be used: ${e.message.replace(/\.$/, '')}`;
  }
}

/** Follows collaborators down (alias → version → its collaborators) so a supervisor can never end up delegating to itself. */
async function delegationProblem(scope: string, rootId: string, aliasArn: string, deps: PrepareDeps, path: string[]): Promise<string | undefined> {
  const target = await deps.collaboratorSnapshot(scope, aliasArn);
  if ('problem' in target) return target.problem;
  if (target.agentId === rootId) return `${aliasArn} leads back to this agent (${[...path, target.agentId].join(' → ')}); delegation must not loop`;
  if (path.length >= MAX_DELEGATION_DEPTH) return `delegation is nested more than ${MAX_DELEGATION_DEPTH} agents deep`;
  for (const c of target.snapshot.collaborators) {
    const p = await delegationProblem(scope, rootId, c.agentDescriptor.aliasArn, deps, [...path, target.agentId]);
    if (p) return p;
  }
  return undefined;
}
