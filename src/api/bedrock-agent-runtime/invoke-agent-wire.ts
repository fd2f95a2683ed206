import { z } from 'zod';
import type { AgentCitation, AgentEvent, AgentTrace, InvokeAgentInput, TraceMetadata } from '../../agents/orchestration/index.js';
import type { ErrorCode, Message } from '../../core/index.js';
import { metadataFilterSchema } from '../../knowledge/index.js';
import { encodeEvent, encodeExceptionMessage } from '../bedrock/event-stream.js';
import { wireReference } from './retrieval-wire.js';

/** InvokeAgent of `@aws-sdk/client-bedrock-agent-runtime`: the request body, and the response's event stream. */

const attributes = z.record(z.string().max(1024), z.string().max(100_000)).refine((r) => Object.keys(r).length <= 100, 'at most 100 attributes');
const responseBody = z.record(z.string().max(100), z.object({ body: z.string().max(10_000_000).optional() }).passthrough());
const resultCommon = {
  actionGroup: z.string().min(1).max(200),
  responseBody: responseBody.optional(),
  responseState: z.enum(['FAILURE', 'REPROMPT']).optional(),
  confirmationState: z.enum(['CONFIRM', 'DENY']).optional(),
  agentId: z.string().optional(),
};
const invocationResult = z.union([
  z.object({ functionResult: z.object({ ...resultCommon, function: z.string().max(200).optional() }).passthrough() }),
  z.object({
    apiResult: z
      .object({ ...resultCommon, apiPath: z.string().max(1000).optional(), httpMethod: z.string().max(10).optional(), httpStatusCode: z.number().int().min(100).max(599).optional() })
      .passthrough(),
  }),
]);

const historyMessage = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.array(z.object({ text: z.string().max(100_000) })).min(1),
});

export const invokeAgentBody = z
  .object({
    inputText: z.string().max(1_000_000).optional(),
    sessionState: z
      .object({
        sessionAttributes: attributes.optional(),
        promptSessionAttributes: attributes.optional(),
        invocationId: z.string().max(200).optional(),
        returnControlInvocationResults: z.array(invocationResult).min(1).max(100).optional(),
        knowledgeBaseConfigurations: z
          .array(
            z.object({
              knowledgeBaseId: z.string().min(1).max(10),
              retrievalConfiguration: z.object({
                vectorSearchConfiguration: z
                  .object({
                    numberOfResults: z.number().int().min(1).max(100).optional(),
                    overrideSearchType: z.enum(['HYBRID', 'SEMANTIC', 'KEYWORD']).optional(),
                    filter: metadataFilterSchema.optional(),
                  })
                  .passthrough(),
              }),
            }),
          )
          .max(20)
          .optional(),
        conversationHistory: z.object({ messages: z.array(historyMessage).max(200) }).optional(),
        files: z.array(z.unknown()).max(0, 'files (code interpreter input) are not supported').optional(),
      })
      .passthrough()
      .optional(),
    endSession: z.boolean().optional(),
    enableTrace: z.boolean().optional(),
    memoryId: z
      .string()
      .regex(/^[0-9a-zA-Z._:-]{2,100}$/, 'memoryId is 2-100 letters, digits, ".", "_", ":" or "-"')
      .optional(),
    bedrockModelConfigurations: z.unknown().optional(),
    streamingConfigurations: z.object({ streamFinalResponse: z.boolean().optional(), applyGuardrailInterval: z.number().int().min(1).max(1_000_000).optional() }).strict().optional(),
    promptCreationConfigurations: z.unknown().optional(),
  })
  .strict();

export type InvokeAgentBody = z.infer<typeof invokeAgentBody>;

export function invokeAgentInput(sessionId: string, b: InvokeAgentBody): InvokeAgentInput {
  const st = b.sessionState;
  const history: Message[] | undefined = st?.conversationHistory?.messages.map((m) => ({ role: m.role, content: m.content.map((c) => ({ text: c.text })) }));
  return {
    sessionId,
    ...(b.inputText ? { inputText: b.inputText } : {}),
    ...(b.endSession ? { endSession: true } : {}),
    ...(b.memoryId ? { memoryId: b.memoryId } : {}),
    ...(b.streamingConfigurations ? { streaming: b.streamingConfigurations } : {}),
    ...(st
      ? {
          sessionState: {
            ...(st.sessionAttributes ? { sessionAttributes: st.sessionAttributes } : {}),
            ...(st.promptSessionAttributes ? { promptSessionAttributes: st.promptSessionAttributes } : {}),
            ...(st.invocationId ? { invocationId: st.invocationId } : {}),
            ...(st.returnControlInvocationResults ? { returnControlInvocationResults: st.returnControlInvocationResults as never } : {}),
            ...(st.knowledgeBaseConfigurations ? { knowledgeBaseConfigurations: st.knowledgeBaseConfigurations } : {}),
            ...(history ? { conversationHistory: history } : {}),
          },
        }
      : {}),
  };
}



// The exception members of InvokeAgent's ResponseStream. Model-side failures are Bedrock's dependencyFailedException.
const STREAM_EXCEPTION: Partial<Record<ErrorCode, string>> = {
  ValidationException: 'validationException',
  RequestEntityTooLargeException: 'validationException',
  ResourceNotFoundException: 'resourceNotFoundException',
  ServiceQuotaExceededException: 'serviceQuotaExceededException',
  ThrottlingException: 'throttlingException',
  AccessDeniedException: 'accessDeniedException',
  UnrecognizedClientException: 'accessDeniedException',
  ConflictException: 'conflictException',
  ModelNotReadyException: 'modelNotReadyException',
  ModelTimeoutException: 'dependencyFailedException',
  ModelErrorException: 'dependencyFailedException',
  ModelStreamErrorException: 'dependencyFailedException',
  ServiceUnavailableException: 'dependencyFailedException',
};

export function encodeAgentException(code: ErrorCode, message: string): Uint8Array {
  const type = STREAM_EXCEPTION[code] ?? 'internalServerException';
  return encodeExceptionMessage(type, { message, ...(type === 'dependencyFailedException' ? { resourceName: 'model' } : {}) });
}

const wireCitation = (c: AgentCitation) => ({
  generatedResponsePart: { textResponsePart: { text: c.part.text, span: c.part.span } },
  retrievedReferences: c.references.map(wireReference),
});

/** Dates as RFC 3339 strings (what this service's SDK reads), search results in Bedrock's reference shape. */
function wireMetadata(m: TraceMetadata | undefined) {
  if (!m) return undefined;
  return {
    ...(m.startTime ? { startTime: m.startTime.toISOString() } : {}),
    ...(m.endTime ? { endTime: m.endTime.toISOString() } : {}),
    ...(m.totalTimeMs !== undefined ? { totalTimeMs: m.totalTimeMs } : {}),
    ...(m.usage ? { usage: m.usage } : {}),
  };
}

function wireTrace(t: AgentTrace): unknown {
  if (!('orchestrationTrace' in t)) return t;
  const o = t.orchestrationTrace;
  if ('observation' in o) {
    const ob = o.observation;
    const kb = ob.knowledgeBaseLookupOutput;
    const ag = ob.actionGroupInvocationOutput;
    const co = ob.agentCollaboratorInvocationOutput;
    return {
      orchestrationTrace: {
        observation: {
          ...ob,
          ...(kb ? { knowledgeBaseLookupOutput: { retrievedReferences: kb.retrievedReferences.map(wireReference), metadata: wireMetadata(kb.metadata) } } : {}),
          ...(ag ? { actionGroupInvocationOutput: { text: ag.text, metadata: wireMetadata(ag.metadata) } } : {}),
          ...(co ? { agentCollaboratorInvocationOutput: { ...co, metadata: wireMetadata(co.metadata) } } : {}),
        },
      },
    };
  }
  if ('modelInvocationOutput' in o) return { orchestrationTrace: { modelInvocationOutput: { ...o.modelInvocationOutput, metadata: wireMetadata(o.modelInvocationOutput.metadata) } } };
  return t;
}

/** One loop event as an event-stream frame, or nothing (traces when the caller did not ask for them). */
export function encodeAgentEvent(e: AgentEvent, enableTrace: boolean): Uint8Array | undefined {
  switch (e.type) {
    case 'chunk':
      return encodeEvent('chunk', {
        bytes: Buffer.from(e.text, 'utf8').toString('base64'),
        ...(e.citations.length ? { attribution: { citations: e.citations.map(wireCitation) } } : {}),
      });
    case 'trace':
      if (!enableTrace) return undefined;
      return encodeEvent('trace', {
        sessionId: e.agent.sessionId,
        agentId: e.agent.agentId,
        agentAliasId: e.agent.agentAliasId,
        agentVersion: e.agent.agentVersion,
        eventTime: new Date().toISOString(),
        callerChain: e.callerChain.map((agentAliasArn) => ({ agentAliasArn })),
        ...(e.collaboratorName ? { collaboratorName: e.collaboratorName } : {}),
        trace: wireTrace(e.trace),
      });
    case 'returnControl':
      return encodeEvent('returnControl', { invocationId: e.invocationId, invocationInputs: e.invocationInputs });
    default: {
      const never: never = e;
      throw new Error(`unknown agent event ${(never as { type: string }).type}`);
    }
  }
}
