import type { ActionGroupRecord, AgentSnapshot, AliasHistoryEvent, AliasRoutingItem } from './agent-records.js';
import { agentAliasArn, agentArn, DRAFT, TEST_ALIAS_ID, TEST_ALIAS_NAME } from './ids.js';
import type { AgentSettings } from './schemas.js';
import type { AgentAliasesTable, AgentsTable, AgentVersionsTable } from './tables.js';

/** Bedrock's default idle-session timeout when CreateAgent names none. */
export const DEFAULT_IDLE_SESSION_TTL = 600;
/** Bedrock keeps session summaries 30 days unless storageDays says otherwise. */
export const DEFAULT_MEMORY_STORAGE_DAYS = 30;

/** The configuration fields Agent and AgentVersion share, with Bedrock's defaults filled in. */
function settingsView(s: AgentSettings) {
  return {
    ...(s.instruction ? { instruction: s.instruction } : {}),
    ...(s.foundationModel ? { foundationModel: s.foundationModel } : {}),
    ...(s.description ? { description: s.description } : {}),
    orchestrationType: s.orchestrationType ?? 'DEFAULT',
    idleSessionTTLInSeconds: s.idleSessionTTLInSeconds ?? DEFAULT_IDLE_SESSION_TTL,
    ...(s.agentResourceRoleArn ? { agentResourceRoleArn: s.agentResourceRoleArn } : {}),
    ...(s.customerEncryptionKeyArn ? { customerEncryptionKeyArn: s.customerEncryptionKeyArn } : {}),
    ...(s.promptOverrideConfiguration ? { promptOverrideConfiguration: s.promptOverrideConfiguration } : {}),
    ...(s.guardrailConfiguration ? { guardrailConfiguration: s.guardrailConfiguration } : {}),
    ...(s.memoryConfiguration ? { memoryConfiguration: { storageDays: DEFAULT_MEMORY_STORAGE_DAYS, ...s.memoryConfiguration } } : {}),
    agentCollaboration: s.agentCollaboration ?? 'DISABLED',
    ...(s.maxIterations ? { maxIterations: s.maxIterations } : {}),
    ...(s.maxTotalTokens ? { maxTotalTokens: s.maxTotalTokens } : {}),
  };
}

export const settingsOf = (row: Pick<AgentsTable, 'settings'>): AgentSettings => JSON.parse(row.settings) as AgentSettings;

/** `@aws-sdk/client-bedrock-agent` Agent: the DRAFT. */
export function agentView(row: AgentsTable, region: string) {
  return {
    agentId: row.id,
    agentName: row.name,
    agentArn: agentArn(region, row.scope, row.id),
    agentVersion: DRAFT,
    ...(row.client_token ? { clientToken: row.client_token } : {}),
    agentStatus: row.status,
    ...settingsView(settingsOf(row)),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.prepared_at ? { preparedAt: row.prepared_at } : {}),
    ...(row.failure_reasons ? { failureReasons: JSON.parse(row.failure_reasons) as string[], recommendedActions: ['Fix the draft and call PrepareAgent again.'] } : {}),
  };
}

export function agentSummaryView(row: AgentsTable, latestVersion: number | undefined) {
  const s = settingsOf(row);
  return {
    agentId: row.id,
    agentName: row.name,
    agentStatus: row.status,
    ...(s.description ? { description: s.description } : {}),
    updatedAt: row.updated_at,
    latestAgentVersion: latestVersion ? String(latestVersion) : DRAFT,
    ...(s.guardrailConfiguration ? { guardrailConfiguration: s.guardrailConfiguration } : {}),
  };
}

export const snapshotOf = (row: Pick<AgentVersionsTable, 'snapshot'>): AgentSnapshot => JSON.parse(row.snapshot) as AgentSnapshot;

/** `AgentVersion`: a numbered version's configuration, as it was when released. */
export function versionView(agent: AgentsTable, row: AgentVersionsTable, region: string) {
  const snap = snapshotOf(row);
  return {
    agentId: agent.id,
    agentName: snap.agentName,
    agentArn: agentArn(region, agent.scope, agent.id),
    version: String(row.number),
    agentStatus: 'PREPARED',
    ...settingsView(snap.settings),
    createdAt: row.created_at,
    updatedAt: row.created_at,
  };
}

export function versionSummaryView(row: AgentVersionsTable) {
  const snap = snapshotOf(row);
  return {
    agentName: snap.agentName,
    agentStatus: 'PREPARED',
    agentVersion: String(row.number),
    createdAt: row.created_at,
    updatedAt: row.created_at,
    ...(snap.settings.description ? { description: snap.settings.description } : {}),
    ...(snap.settings.guardrailConfiguration ? { guardrailConfiguration: snap.settings.guardrailConfiguration } : {}),
  };
}

/** ListAgentVersions lists the DRAFT too, as Bedrock does. */
export function draftSummaryView(agent: AgentsTable) {
  const s = settingsOf(agent);
  return {
    agentName: agent.name,
    agentStatus: agent.status,
    agentVersion: DRAFT,
    createdAt: agent.created_at,
    updatedAt: agent.updated_at,
    ...(s.description ? { description: s.description } : {}),
    ...(s.guardrailConfiguration ? { guardrailConfiguration: s.guardrailConfiguration } : {}),
  };
}

export function aliasView(row: AgentAliasesTable, region: string) {
  return {
    agentId: row.agent_id,
    agentAliasId: row.id,
    agentAliasName: row.name,
    agentAliasArn: agentAliasArn(region, row.scope, row.agent_id, row.id),
    ...(row.client_token ? { clientToken: row.client_token } : {}),
    ...(row.description ? { description: row.description } : {}),
    routingConfiguration: JSON.parse(row.routing) as AliasRoutingItem[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    agentAliasHistoryEvents: JSON.parse(row.history) as AliasHistoryEvent[],
    agentAliasStatus: 'PREPARED',
    aliasInvocationState: row.invocation_state,
  };
}

/** The built-in test alias, which is no row: it exists for every agent and follows the DRAFT. */
export function testAliasView(agent: AgentsTable, region: string) {
  return {
    agentId: agent.id,
    agentAliasId: TEST_ALIAS_ID,
    agentAliasName: TEST_ALIAS_NAME,
    agentAliasArn: agentAliasArn(region, agent.scope, agent.id, TEST_ALIAS_ID),
    description: 'Test Alias for Agent',
    routingConfiguration: [{ agentVersion: DRAFT }],
    createdAt: agent.created_at,
    updatedAt: agent.updated_at,
    agentAliasHistoryEvents: [{ routingConfiguration: [{ agentVersion: DRAFT }], startDate: agent.created_at }],
    agentAliasStatus: 'PREPARED',
    aliasInvocationState: 'ACCEPT_INVOCATIONS',
  };
}

export function aliasSummaryView(a: ReturnType<typeof aliasView>) {
  return {
    agentAliasId: a.agentAliasId,
    agentAliasName: a.agentAliasName,
    ...(a.description ? { description: a.description } : {}),
    routingConfiguration: a.routingConfiguration,
    agentAliasStatus: a.agentAliasStatus,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    aliasInvocationState: a.aliasInvocationState,
  };
}

/** `AgentActionGroup`; note Bedrock answers `parentActionSignature` for what requests call `parentActionGroupSignature`. */
export function actionGroupView(agentId: string, version: string, g: ActionGroupRecord) {
  const { parentActionGroupSignature, ...rest } = g;
  return { agentId, agentVersion: version, ...rest, ...(parentActionGroupSignature ? { parentActionSignature: parentActionGroupSignature } : {}) };
}

export function actionGroupSummaryView(g: ActionGroupRecord) {
  return {
    actionGroupId: g.actionGroupId,
    actionGroupName: g.actionGroupName,
    actionGroupState: g.actionGroupState,
    ...(g.description ? { description: g.description } : {}),
    updatedAt: g.updatedAt,
  };
}
