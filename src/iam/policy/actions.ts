import type { ResourceType } from './arn.js';

/**
 * Every action Quarry authorizes, named as Bedrock's Service Authorization Reference names them so that policies
 * written for Bedrock read the same here. `resources` lists the resource types a statement's Resource can name for
 * the action; an empty list means the action takes no resource and routes authorize it on `*` (list and create
 * calls, as on AWS). `access` is the Reference's access level, for the console's policy summaries.
 *
 * Several API operations share one action, as on Bedrock: Converse is authorized as bedrock:InvokeModel and
 * ConverseStream as bedrock:InvokeModelWithResponseStream (see OPERATION_ACTIONS). Data sources and ingestion jobs
 * have no ARN of their own; their actions are authorized on the knowledge base.
 */

type Access = 'List' | 'Read' | 'Write' | 'PermissionsManagement' | 'Tagging';
interface ActionSpec {
  readonly resources: readonly ResourceType[];
  readonly access: Access;
}

const MODELS = ['foundation-model', 'inference-profile', 'application-inference-profile', 'custom-model', 'provisioned-model', 'imported-model'] as const;
const TAGGABLE = ['knowledge-base', 'guardrail', 'agent', 'agent-alias', 'application-inference-profile', 'custom-model', 'provisioned-model', 'flow', 'prompt'] as const;
const KB = ['knowledge-base'] as const;
const GUARDRAIL = ['guardrail'] as const;
const AGENT = ['agent'] as const;
const ALIAS = ['agent-alias'] as const;
const USER = ['user'] as const;
const POLICY = ['policy'] as const;
const BUDGET = ['budget'] as const;
const APP = ['app'] as const;
const NONE = [] as const;

const a = (resources: readonly ResourceType[], access: Access): ActionSpec => ({ resources, access });

export const ACTIONS = {
  // Inference (bedrock-runtime).
  'bedrock:InvokeModel': a(MODELS, 'Read'),
  'bedrock:InvokeModelWithResponseStream': a(MODELS, 'Read'),
  'bedrock:CountTokens': a(['foundation-model', 'inference-profile', 'application-inference-profile'], 'Read'),
  'bedrock:ApplyGuardrail': a(GUARDRAIL, 'Read'),

  // Models and inference profiles.
  'bedrock:ListFoundationModels': a(NONE, 'List'),
  'bedrock:GetFoundationModel': a(['foundation-model'], 'Read'),
  'bedrock:ListInferenceProfiles': a(NONE, 'List'),
  'bedrock:GetInferenceProfile': a(['inference-profile', 'application-inference-profile'], 'Read'),

  // Knowledge bases, their data sources, ingestion and documents (bedrock-agent).
  'bedrock:CreateKnowledgeBase': a(NONE, 'Write'),
  'bedrock:GetKnowledgeBase': a(KB, 'Read'),
  'bedrock:ListKnowledgeBases': a(NONE, 'List'),
  'bedrock:UpdateKnowledgeBase': a(KB, 'Write'),
  'bedrock:DeleteKnowledgeBase': a(KB, 'Write'),
  'bedrock:CreateDataSource': a(KB, 'Write'),
  'bedrock:GetDataSource': a(KB, 'Read'),
  'bedrock:ListDataSources': a(KB, 'List'),
  'bedrock:UpdateDataSource': a(KB, 'Write'),
  'bedrock:DeleteDataSource': a(KB, 'Write'),
  'bedrock:StartIngestionJob': a(KB, 'Write'),
  'bedrock:GetIngestionJob': a(KB, 'Read'),
  'bedrock:ListIngestionJobs': a(KB, 'List'),
  'bedrock:StopIngestionJob': a(KB, 'Write'),
  'bedrock:IngestKnowledgeBaseDocuments': a(KB, 'Write'),
  'bedrock:GetKnowledgeBaseDocuments': a(KB, 'Read'),
  'bedrock:ListKnowledgeBaseDocuments': a(KB, 'List'),
  'bedrock:DeleteKnowledgeBaseDocuments': a(KB, 'Write'),

  // Retrieval (bedrock-agent-runtime). Bedrock lists RetrieveAndGenerate with no resource type; Quarry authorizes it on
  // the knowledge base it reads (a statement on `*` still matches), and the route also checks InvokeModel on the model.
  'bedrock:Retrieve': a(KB, 'Read'),
  'bedrock:RetrieveAndGenerate': a(KB, 'Read'),

  // Guardrails.
  'bedrock:CreateGuardrail': a(NONE, 'Write'),
  'bedrock:GetGuardrail': a(GUARDRAIL, 'Read'),
  'bedrock:ListGuardrails': a(NONE, 'List'),
  'bedrock:UpdateGuardrail': a(GUARDRAIL, 'Write'),
  'bedrock:DeleteGuardrail': a(GUARDRAIL, 'Write'),
  'bedrock:CreateGuardrailVersion': a(GUARDRAIL, 'Write'),

  // Provisioned throughput.
  'bedrock:CreateProvisionedModelThroughput': a(NONE, 'Write'),
  'bedrock:GetProvisionedModelThroughput': a(['provisioned-model'], 'Read'),
  'bedrock:ListProvisionedModelThroughputs': a(NONE, 'List'),
  'bedrock:UpdateProvisionedModelThroughput': a(['provisioned-model'], 'Write'),
  'bedrock:DeleteProvisionedModelThroughput': a(['provisioned-model'], 'Write'),

  // Agents.
  'bedrock:CreateAgent': a(NONE, 'Write'),
  'bedrock:GetAgent': a(AGENT, 'Read'),
  'bedrock:ListAgents': a(NONE, 'List'),
  'bedrock:UpdateAgent': a(AGENT, 'Write'),
  'bedrock:DeleteAgent': a(AGENT, 'Write'),
  'bedrock:PrepareAgent': a(AGENT, 'Write'),
  'bedrock:CreateAgentActionGroup': a(AGENT, 'Write'),
  'bedrock:GetAgentActionGroup': a(AGENT, 'Read'),
  'bedrock:ListAgentActionGroups': a(AGENT, 'List'),
  'bedrock:UpdateAgentActionGroup': a(AGENT, 'Write'),
  'bedrock:DeleteAgentActionGroup': a(AGENT, 'Write'),
  'bedrock:AssociateAgentKnowledgeBase': a(AGENT, 'Write'),
  'bedrock:DisassociateAgentKnowledgeBase': a(AGENT, 'Write'),
  'bedrock:GetAgentKnowledgeBase': a(AGENT, 'Read'),
  'bedrock:UpdateAgentKnowledgeBase': a(AGENT, 'Write'),
  'bedrock:ListAgentKnowledgeBases': a(AGENT, 'List'),
  'bedrock:AssociateAgentCollaborator': a(AGENT, 'Write'),
  'bedrock:DisassociateAgentCollaborator': a(AGENT, 'Write'),
  'bedrock:GetAgentCollaborator': a(AGENT, 'Read'),
  'bedrock:UpdateAgentCollaborator': a(AGENT, 'Write'),
  'bedrock:ListAgentCollaborators': a(AGENT, 'List'),
  'bedrock:GetAgentVersion': a(AGENT, 'Read'),
  'bedrock:ListAgentVersions': a(AGENT, 'List'),
  'bedrock:DeleteAgentVersion': a(AGENT, 'Write'),
  'bedrock:CreateAgentAlias': a(AGENT, 'Write'),
  'bedrock:GetAgentAlias': a(ALIAS, 'Read'),
  'bedrock:ListAgentAliases': a(AGENT, 'List'),
  'bedrock:UpdateAgentAlias': a(ALIAS, 'Write'),
  'bedrock:DeleteAgentAlias': a(ALIAS, 'Write'),
  'bedrock:InvokeAgent': a(ALIAS, 'Write'),
  'bedrock:GetAgentMemory': a(ALIAS, 'Read'),
  'bedrock:DeleteAgentMemory': a(ALIAS, 'Write'),

  // Tags.
  'bedrock:TagResource': a(TAGGABLE, 'Tagging'),
  'bedrock:UntagResource': a(TAGGABLE, 'Tagging'),
  'bedrock:ListTagsForResource': a(TAGGABLE, 'Read'),

  // Quarry's own. Key and policy actions are authorized on the user they concern, as IAM authorizes CreateAccessKey
  // and AttachUserPolicy on the user: `user/${aws:username}` then grants self-service.
  'quarry:CreateUser': a(USER, 'PermissionsManagement'),
  'quarry:GetUser': a(USER, 'Read'),
  'quarry:ListUsers': a(NONE, 'List'),
  'quarry:DeleteUser': a(USER, 'PermissionsManagement'),
  'quarry:CreateApiKey': a(USER, 'PermissionsManagement'),
  'quarry:ListApiKeys': a(USER, 'List'),
  'quarry:UpdateApiKey': a(USER, 'PermissionsManagement'),
  'quarry:RotateApiKey': a(USER, 'PermissionsManagement'),
  'quarry:DeleteApiKey': a(USER, 'PermissionsManagement'),
  'quarry:CreatePolicy': a(POLICY, 'PermissionsManagement'),
  'quarry:GetPolicy': a(POLICY, 'Read'),
  'quarry:ListPolicies': a(NONE, 'List'),
  'quarry:UpdatePolicy': a(POLICY, 'PermissionsManagement'),
  'quarry:DeletePolicy': a(POLICY, 'PermissionsManagement'),
  'quarry:AttachPolicy': a(USER, 'PermissionsManagement'),
  'quarry:DetachPolicy': a(USER, 'PermissionsManagement'),
  'quarry:SimulatePolicy': a(USER, 'Read'),
  'quarry:GetUsage': a(NONE, 'Read'),
  'quarry:GetPricing': a(NONE, 'Read'),
  'quarry:UpdatePricing': a(NONE, 'Write'),
  // The keyring that seals stored secrets (server-wide; the routes admit the default account's principals only).
  'quarry:GetSecretsKeyring': a(NONE, 'Read'),
  'quarry:RotateSecretsKeyring': a(NONE, 'Write'),
  // Routing's deployments and their health (server-wide; the route admits the default account's principals only).
  'quarry:GetRoutingHealth': a(NONE, 'Read'),
  // Taking a deployment out of rotation for every replica and putting it back (default account's principals only).
  'quarry:DrainDeployment': a(NONE, 'Write'),
  'quarry:RestoreDeployment': a(NONE, 'Write'),
  // GET /metrics, Prometheus's text of every account's invocations (server-wide; default account's principals only).
  'quarry:GetMetrics': a(NONE, 'Read'),
  'quarry:CreateBudget': a(BUDGET, 'Write'),
  'quarry:GetBudget': a(BUDGET, 'Read'),
  'quarry:ListBudgets': a(NONE, 'List'),
  'quarry:UpdateBudget': a(BUDGET, 'Write'),
  'quarry:DeleteBudget': a(BUDGET, 'Write'),
  // Rate limits per key and model; changing them is a permission matter (a key could lift its own limits).
  'quarry:ListQuotas': a(NONE, 'List'),
  'quarry:PutQuota': a(NONE, 'PermissionsManagement'),
  'quarry:DeleteQuota': a(NONE, 'PermissionsManagement'),
  // The audit trail, named as CloudTrail names reading it. Outside the server's default account a grant still reads
  // only the caller's own account's events.
  'quarry:LookupEvents': a(NONE, 'Read'),
  'quarry:VerifyAuditLog': a(NONE, 'Read'),
  // No-code apps (the console's app builder). Running one also needs bedrock:InvokeModel on each widget's model: the
  // widgets' calls go through the runtime as the caller.
  'quarry:CreateApp': a(NONE, 'Write'),
  'quarry:GetApp': a(APP, 'Read'),
  'quarry:ListApps': a(NONE, 'List'),
  'quarry:UpdateApp': a(APP, 'Write'),
  'quarry:DeleteApp': a(APP, 'Write'),
  'quarry:RunApp': a(APP, 'Write'),
  // Read-only links to an app: whoever holds one may run the app as the principal that made it (charged to them).
  'quarry:CreateAppShare': a(APP, 'PermissionsManagement'),
  'quarry:ListAppShares': a(APP, 'List'),
  'quarry:DeleteAppShare': a(APP, 'PermissionsManagement'),
  // A snapshot is one run frozen and readable by link (deleting it revokes the link).
  'quarry:CreateAppSnapshot': a(APP, 'PermissionsManagement'),
  'quarry:ListAppSnapshots': a(APP, 'List'),
  'quarry:DeleteAppSnapshot': a(APP, 'PermissionsManagement'),
  // Stored responses of the OpenAI Responses API (`store: true`), in the caller's account. Continuing one with
  // previous_response_id reads it, so it needs GetResponse beside bedrock:InvokeModel.
  'quarry:GetResponse': a(NONE, 'Read'),
  'quarry:DeleteResponse': a(NONE, 'Write'),
  'quarry:PullModel': a(['foundation-model'], 'Write'),
  'quarry:DeleteModel': a(['foundation-model'], 'Write'),
} as const satisfies Record<string, ActionSpec>;

export type Action = keyof typeof ACTIONS;

/** The services (action prefixes) Quarry knows. */
export const SERVICES = ['bedrock', 'quarry'] as const;

const BY_LOWER: ReadonlyMap<string, Action> = new Map((Object.keys(ACTIONS) as Action[]).map((k) => [k.toLowerCase(), k]));

/** The catalog spelling of an action name, matched without regard to case as AWS does; undefined if unknown. */
export const canonicalAction = (name: string): Action | undefined => BY_LOWER.get(name.toLowerCase());

export const isAction = (name: string): name is Action => Object.hasOwn(ACTIONS, name);

/**
 * API operations whose action is not named after them. Wire formats of other vendors map here too, so a policy on
 * bedrock:InvokeModel governs a model whichever API calls it.
 */
export const OPERATION_ACTIONS = {
  Converse: 'bedrock:InvokeModel',
  ConverseStream: 'bedrock:InvokeModelWithResponseStream',
  'openai:ChatCompletions': 'bedrock:InvokeModel',
  'openai:ChatCompletionsStream': 'bedrock:InvokeModelWithResponseStream',
  'openai:Responses': 'bedrock:InvokeModel',
  'openai:ResponsesStream': 'bedrock:InvokeModelWithResponseStream',
  'openai:Embeddings': 'bedrock:InvokeModel',
  'openai:ListModels': 'bedrock:ListFoundationModels',
  'anthropic:Messages': 'bedrock:InvokeModel',
  'anthropic:MessagesStream': 'bedrock:InvokeModelWithResponseStream',
  'anthropic:CountTokens': 'bedrock:CountTokens',
} as const satisfies Record<string, Action>;
