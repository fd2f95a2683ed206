import type { ScoredChunk } from '../../knowledge/index.js';

/**
 * What an invocation produces, in order: traces as it works, then either the answer (`chunk`) or a request for the
 * caller to run actions (`returnControl`). Trace payloads use Bedrock's member names (orchestrationTrace, rationale,
 * invocationInput, observation …) because they are the vocabulary users of agents already read; the wire layer
 * only adds framing, ids and timestamps.
 */
export type AgentEvent = ChunkEvent | TraceEvent | ReturnControlEvent;

export interface ChunkEvent {
  type: 'chunk';
  text: string;
  citations: AgentCitation[];
}

export interface TraceEvent {
  type: 'trace';
  trace: AgentTrace;
  /** The agent that produced it: a collaborator's own ids when a supervisor delegated. */
  agent: { agentId: string; agentAliasId: string; agentVersion: string; sessionId: string };
  /** Alias ARNs from the supervisor down to the agent that produced the trace. */
  callerChain: string[];
  collaboratorName?: string;
}

export interface ReturnControlEvent {
  type: 'returnControl';
  invocationId: string;
  invocationInputs: ReturnControlInput[];
}

/** A part of the answer and the knowledge-base chunks it rests on. */
export interface AgentCitation {
  part: { text: string; span: { start: number; end: number } };
  references: ScoredChunk[];
}

export interface NamedValue {
  name: string;
  type: string;
  value: string;
}

export type ReturnControlInput =
  | { functionInvocationInput: { actionGroup: string; function: string; parameters: NamedValue[]; actionInvocationType: 'RESULT' | 'USER_CONFIRMATION'; agentId: string } }
  | {
      apiInvocationInput: {
        actionGroup: string;
        httpMethod: string;
        apiPath: string;
        parameters: NamedValue[];
        requestBody?: { content: Record<string, { properties: NamedValue[] }> };
        actionInvocationType: 'RESULT' | 'USER_CONFIRMATION';
        agentId: string;
      };
    };

export interface TraceUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface TraceMetadata {
  startTime?: Date;
  endTime?: Date;
  totalTimeMs?: number;
  usage?: TraceUsage;
}

export interface InvocationInputTrace {
  traceId: string;
  invocationType: 'ACTION_GROUP' | 'KNOWLEDGE_BASE' | 'FINISH' | 'ACTION_GROUP_CODE_INTERPRETER' | 'AGENT_COLLABORATOR';
  actionGroupInvocationInput?: {
    actionGroupName: string;
    function?: string;
    apiPath?: string;
    verb?: string;
    parameters?: NamedValue[];
    requestBody?: { content: Record<string, NamedValue[]> };
    executionType: 'LAMBDA' | 'RETURN_CONTROL';
    invocationId?: string;
  };
  knowledgeBaseLookupInput?: { text: string; knowledgeBaseId: string };
  agentCollaboratorInvocationInput?: { agentCollaboratorName: string; agentCollaboratorAliasArn: string; input: { type: 'TEXT'; text: string } };
}

export interface ObservationTrace {
  traceId: string;
  type: 'ACTION_GROUP' | 'AGENT_COLLABORATOR' | 'KNOWLEDGE_BASE' | 'FINISH' | 'ASK_USER' | 'REPROMPT';
  actionGroupInvocationOutput?: { text: string; metadata?: TraceMetadata };
  knowledgeBaseLookupOutput?: { retrievedReferences: ScoredChunk[]; metadata?: TraceMetadata };
  agentCollaboratorInvocationOutput?: { agentCollaboratorName: string; agentCollaboratorAliasArn: string; output: { type: 'TEXT'; text: string }; metadata?: TraceMetadata };
  finalResponse?: { text: string; metadata?: TraceMetadata };
  repromptResponse?: { text: string; source: 'ACTION_GROUP' | 'KNOWLEDGE_BASE' | 'PARSER' };
}

export interface ModelInvocationInputTrace {
  traceId: string;
  text: string;
  type: 'PRE_PROCESSING' | 'ORCHESTRATION' | 'POST_PROCESSING' | 'KNOWLEDGE_BASE_RESPONSE_GENERATION' | 'MEMORY_SUMMARIZATION';
  promptCreationMode: 'DEFAULT' | 'OVERRIDDEN';
  inferenceConfiguration?: { temperature?: number; topP?: number; maximumLength?: number; stopSequences?: string[] };
  foundationModel: string;
}

export interface ModelInvocationOutputTrace {
  traceId: string;
  rawResponse: { content: string };
  metadata?: TraceMetadata;
}

export type OrchestrationTrace =
  | { rationale: { traceId: string; text: string } }
  | { invocationInput: InvocationInputTrace }
  | { observation: ObservationTrace }
  | { modelInvocationInput: ModelInvocationInputTrace }
  | { modelInvocationOutput: ModelInvocationOutputTrace };

export type ProcessingTrace =
  | { modelInvocationInput: ModelInvocationInputTrace }
  | { modelInvocationOutput: ModelInvocationOutputTrace & { parsedResponse?: { text?: string; rationale?: string; isValid?: boolean } } };

export interface GuardrailTrace {
  traceId: string;
  action: 'NONE' | 'INTERVENED';
  inputAssessments?: unknown[];
  outputAssessments?: unknown[];
}

export type AgentTrace =
  | { preProcessingTrace: ProcessingTrace }
  | { orchestrationTrace: OrchestrationTrace }
  | { postProcessingTrace: ProcessingTrace }
  | { guardrailTrace: GuardrailTrace }
  | { failureTrace: { traceId: string; failureReason: string; failureCode?: number } };
