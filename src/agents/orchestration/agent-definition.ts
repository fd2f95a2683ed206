/**
 * Everything the orchestration loop needs to run one agent, as plain data. The agent resources (drafts, versions,
 * aliases, action groups in the store) are turned into this by the control plane's resolver; the loop never reads
 * the store's agent tables itself, so the two sides can change independently.
 */

/** Bedrock's JSON Schema subset for tool inputs: an object with typed properties. */
export type JsonSchema = Record<string, unknown>;

/** Where an OpenAPI operation's parameter goes when the call is made (HTTP executor, return-control payload). */
export type ApiParameterLocation = 'path' | 'query' | 'header' | 'body';

/** Origin of a function derived from an OpenAPI operation; absent for a functionSchema function. */
export interface ApiOperationRef {
  /** The path template as written in the document (`/orders/{orderId}`). */
  path: string;
  /** Lower-case HTTP method. */
  method: 'get' | 'put' | 'post' | 'delete' | 'patch' | 'head' | 'options';
  /** Where each top-level argument goes; a `body` argument is the whole request body. */
  parameterIn: Record<string, ApiParameterLocation>;
  /** Media type of the request body, when the operation has one. */
  bodyContentType?: string;
}

export interface AgentFunction {
  /** Unique within the action group; `[A-Za-z0-9_-]{1,64}` so every model's tool-name rules accept it. */
  name: string;
  description?: string;
  /** JSON Schema (type object) of the arguments; the loop validates the model's arguments against it. */
  inputSchema: JsonSchema;
  /** Bedrock's `requireConfirmation`: the loop returns control to ask the user before it runs. */
  requireConfirmation?: boolean;
  /** Set for functions derived from an OpenAPI document. */
  api?: ApiOperationRef;
}

/** How an action group's calls are carried out. */
export type ActionExecutor =
  | { kind: 'returnControl' }
  | {
      kind: 'http';
      /** The registered function's name, for traces and errors. */
      name?: string;
      /** Base URL; an OpenAPI function's path is appended, a functionSchema call is POSTed here as JSON. */
      url: string;
      headers?: Record<string, string>;
      timeoutMs?: number;
      maxResponseBytes?: number;
      /**
       * The operator registered this URL (agents.functions), so its own host may be an internal one; redirects to
       * other hosts are still checked. Leave unset for any URL a user chose.
       */
      trusted?: boolean;
    }
  | {
      /** A JavaScript module the operator registered under this name (Quarry's Lambda). */
      kind: 'module';
      name: string;
      /** Absolute path of the module file (AgentFunctionRegistry.resolve gives it). */
      module: string;
      timeoutMs?: number;
      /** Heap cap of the worker running it. */
      maxMemoryMb?: number;
    };

export interface AgentActionGroup {
  name: string;
  description?: string;
  /** A disabled group is left out of the prompt (Bedrock `actionGroupState`). */
  enabled?: boolean;
  functions: AgentFunction[];
  executor: ActionExecutor;
}

export interface AgentKnowledgeBase {
  knowledgeBaseId: string;
  /** Tells the model when to search it. */
  description: string;
  enabled?: boolean;
  /** Chunks per search; the knowledge module's default when absent. */
  numberOfResults?: number;
}

export interface GuardrailRef {
  guardrailId: string;
  /** `DRAFT` or a version number. */
  guardrailVersion: string;
}

export type PromptType = 'preProcessing' | 'orchestration' | 'knowledgeBaseResponseGeneration' | 'postProcessing' | 'memorySummarization';

export interface PromptInference {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stopSequences?: string[];
}

/** Bedrock's promptOverrideConfiguration, one entry per prompt type. */
export interface PromptOverride {
  /** Pre- and post-processing are off unless enabled, as in Bedrock; orchestration is always on. */
  enabled?: boolean;
  /**
   * Replaces the default template. Placeholders, Bedrock's: `$instruction$`, `$tools$`, `$knowledge_base_guideline$`,
   * `$prompt_session_attributes$`, `$question$`, `$agent_scratchpad$`, `$conversation_history$`, `$memory_content$`.
   */
  template?: string;
  inference?: PromptInference;
}

export interface AgentMemoryConfig {
  /** Summaries of ended sessions kept under the caller's memoryId (Bedrock `SESSION_SUMMARY`). */
  enabled: boolean;
  storageDays: number;
  /** How many recent summaries go into a new session's prompt. */
  maxRecentSessions?: number;
}

/** A collaborator of a supervisor agent: offered to the supervisor as a tool named `name`. */
export interface AgentCollaborator {
  name: string;
  /** Tells the supervisor when to delegate. */
  instruction: string;
  agentId: string;
  agentAliasId: string;
  /** Send the supervisor's conversation so far along with the request. */
  relayConversationHistory?: boolean;
}

export interface AgentDefinition {
  accountId: string;
  region: string;
  agentId: string;
  agentName: string;
  agentAliasId: string;
  /** `DRAFT` for the test alias, otherwise the version number the alias routes to. */
  agentVersion: string;
  instruction: string;
  /** A model id or inference-profile id, as the runtime's `converse` accepts. */
  foundationModel: string;
  actionGroups: AgentActionGroup[];
  /** Bedrock's built-in `AMAZON.UserInput` action group: the model may ask the user a question. */
  userInput: boolean;
  knowledgeBases: AgentKnowledgeBase[];
  guardrail?: GuardrailRef;
  idleSessionTtlSeconds: number;
  /** Model turns per invocation before the loop gives up; the loop's default when absent. */
  maxIterations?: number;
  /** Input plus output tokens over all model calls of one invocation. */
  maxTotalTokens?: number;
  promptOverrides?: Partial<Record<PromptType, PromptOverride>>;
  memory?: AgentMemoryConfig;
  /** `SUPERVISOR` agents may delegate to their collaborators. */
  collaboration?: 'DISABLED' | 'SUPERVISOR' | 'SUPERVISOR_ROUTER';
  collaborators?: AgentCollaborator[];
}

export const DEFAULT_MAX_ITERATIONS = 10;
export const DEFAULT_MAX_TOTAL_TOKENS = 200_000;
