import type { AgentFunctionRegistry } from './agent-functions.js';
import type { ActionGroupRecord, AgentSnapshot } from './agent-records.js';
import { DEFAULT_IDLE_SESSION_TTL, DEFAULT_MEMORY_STORAGE_DAYS } from './agent-views.js';
import { parseAgentAliasArn } from './ids.js';
import { parseOpenApiPayload } from './openapi-document.js';
import type { ActionExecutor, AgentActionGroup, AgentDefinition, PromptOverride, PromptType } from './orchestration/agent-definition.js';
import { functionsFromFunctionSchema } from './orchestration/functions-from-function-schema.js';
import { functionsFromOpenApi } from './orchestration/functions-from-openapi.js';
import type { AgentSettings } from './schemas.js';

export interface DefinitionSource {
  accountId: string;
  region: string;
  agentId: string;
  aliasId: string;
  /** `DRAFT` or a version number. */
  version: string;
  snapshot: AgentSnapshot;
}

const PROMPT_TYPES: Record<string, PromptType> = {
  PRE_PROCESSING: 'preProcessing',
  ORCHESTRATION: 'orchestration',
  KNOWLEDGE_BASE_RESPONSE_GENERATION: 'knowledgeBaseResponseGeneration',
  POST_PROCESSING: 'postProcessing',
  MEMORY_SUMMARIZATION: 'memorySummarization',
};

/**
 * The plain definition the orchestration loop runs, from a stored version (or the prepared DRAFT) of an agent. The
 * snapshot was checked at Prepare; what can still fail here is the server's configuration having changed since (a
 * registered function removed), which is answered as the ValidationException the registry gives.
 */
export function agentDefinitionFromVersion(src: DefinitionSource, functions: AgentFunctionRegistry): AgentDefinition {
  const { snapshot: snap } = src;
  const s = snap.settings;
  const userInput = snap.actionGroups.some((g) => g.parentActionGroupSignature === 'AMAZON.UserInput' && g.actionGroupState === 'ENABLED');
  const guardrail = s.guardrailConfiguration?.guardrailIdentifier;
  const memory = s.memoryConfiguration;
  const promptOverrides = promptOverridesOf(s);
  return {
    accountId: src.accountId,
    region: src.region,
    agentId: src.agentId,
    agentName: snap.agentName,
    agentAliasId: src.aliasId,
    agentVersion: src.version,
    instruction: s.instruction ?? '',
    foundationModel: s.foundationModel ?? '',
    actionGroups: snap.actionGroups.filter((g) => !g.parentActionGroupSignature).map((g) => actionGroupOf(src.accountId, g, functions)),
    userInput,
    knowledgeBases: snap.knowledgeBases.map((k) => ({ knowledgeBaseId: k.knowledgeBaseId, description: k.description, enabled: k.knowledgeBaseState === 'ENABLED' })),
    ...(guardrail ? { guardrail: { guardrailId: guardrailIdOf(guardrail), guardrailVersion: s.guardrailConfiguration?.guardrailVersion ?? 'DRAFT' } } : {}),
    idleSessionTtlSeconds: s.idleSessionTTLInSeconds ?? DEFAULT_IDLE_SESSION_TTL,
    ...(s.maxIterations ? { maxIterations: s.maxIterations } : {}),
    ...(s.maxTotalTokens ? { maxTotalTokens: s.maxTotalTokens } : {}),
    ...(Object.keys(promptOverrides).length ? { promptOverrides } : {}),
    ...(memory?.enabledMemoryTypes.includes('SESSION_SUMMARY')
      ? {
          memory: {
            enabled: true,
            storageDays: memory.storageDays ?? DEFAULT_MEMORY_STORAGE_DAYS,
            ...(memory.sessionSummaryConfiguration?.maxRecentSessions ? { maxRecentSessions: memory.sessionSummaryConfiguration.maxRecentSessions } : {}),
          },
        }
      : {}),
    collaboration: s.agentCollaboration ?? 'DISABLED',
    collaborators: snap.collaborators.flatMap((c) => {
      const ref = parseAgentAliasArn(c.agentDescriptor.aliasArn);
      if (!ref) return [];
      return [
        {
          name: c.collaboratorName,
          instruction: c.collaborationInstruction,
          agentId: ref.agentId,
          agentAliasId: ref.aliasId,
          relayConversationHistory: c.relayConversationHistory === 'TO_COLLABORATOR',
        },
      ];
    }),
  };
}

function actionGroupOf(accountId: string, g: ActionGroupRecord, functions: AgentFunctionRegistry): AgentActionGroup {
  const defined = g.functionSchema
    ? functionsFromFunctionSchema(g.functionSchema.functions)
    : g.apiSchema && 'payload' in g.apiSchema
      ? functionsFromOpenApi(parseOpenApiPayload(g.apiSchema.payload).document)
      : [];
  return {
    name: g.actionGroupName,
    ...(g.description ? { description: g.description } : {}),
    enabled: g.actionGroupState === 'ENABLED',
    functions: defined,
    executor: executorOf(accountId, g, functions),
  };
}

function executorOf(accountId: string, g: ActionGroupRecord, functions: AgentFunctionRegistry): ActionExecutor {
  const e = g.actionGroupExecutor;
  if (!e || 'customControl' in e) return { kind: 'returnControl' };
  const f = functions.resolve(accountId, e.lambda);
  if (f.kind === 'module') return f;
  // Registered by the operator, so the endpoint's own host may be internal (the executor still checks redirects).
  return { ...f, trusted: true };
}

function promptOverridesOf(s: AgentSettings): Partial<Record<PromptType, PromptOverride>> {
  const out: Partial<Record<PromptType, PromptOverride>> = {};
  for (const c of s.promptOverrideConfiguration?.promptConfigurations ?? []) {
    const inf = c.inferenceConfiguration;
    const inference = inf
      ? {
          ...(inf.temperature !== undefined ? { temperature: inf.temperature } : {}),
          ...(inf.topP !== undefined ? { topP: inf.topP } : {}),
          ...(inf.maximumLength !== undefined ? { maxTokens: inf.maximumLength } : {}),
          ...(inf.stopSequences ? { stopSequences: inf.stopSequences } : {}),
        }
      : undefined;
    out[PROMPT_TYPES[c.promptType]!] = {
      ...(c.promptState ? { enabled: c.promptState === 'ENABLED' } : {}),
      ...(c.promptCreationMode === 'OVERRIDDEN' && c.basePromptTemplate ? { template: c.basePromptTemplate } : {}),
      ...(inference && Object.keys(inference).length ? { inference } : {}),
    };
  }
  return out;
}

/** Bedrock takes a guardrail's id or its ARN; the loop's guard resolver takes the id. */
function guardrailIdOf(identifier: string): string {
  const m = /:guardrail\/([^/]+)$/.exec(identifier);
  return m ? m[1]! : identifier;
}
