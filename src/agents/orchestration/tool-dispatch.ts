import { toQuarryError } from '../../core/index.js';
import type { ScoredChunk } from '../../knowledge/index.js';
import type { ActionRunner } from './action-runner.js';
import type { AgentCollaborator, AgentDefinition } from './agent-definition.js';
import type { AgentEvent, AgentTrace, ReturnControlInput } from './agent-events.js';
import type { AgentGuard } from './agent-guard.js';
import type { AgentCallContext, KnowledgeSearch } from './agent-ports.js';
import type { PendingCall } from './agent-sessions.js';
import type { AgentTool } from './agent-tools.js';
import { callKey, namedValues, truncateObservation } from './tool-observation.js';
import { argumentProblems } from './validate-arguments.js';

export interface ToolCall {
  toolUseId: string;
  name: string;
  input: unknown;
}

/** What one tool call came to: trace events in order, and either a result for the model, a hand-off, or a question. */
export interface Dispatched {
  toolUseId: string;
  events: AgentEvent[];
  result?: { text: string; status: 'success' | 'error' };
  pending?: PendingCall;
  question?: string;
  sessionAttributes?: Record<string, string>;
  promptSessionAttributes?: Record<string, string>;
}

/** A supervisor's delegation: the collaborator's events as they come, ending with its answer (or a failure). */
export type CollaboratorInvoker = (collaborator: AgentCollaborator, text: string) => AsyncGenerator<AgentEvent, { text: string; ok: boolean }>;

/** A call identical to an earlier one this many times is answered from the rule, not run again: a loop guard. */
const MAX_IDENTICAL_CALLS = 2;

export interface DispatchContext {
  ctx: AgentCallContext;
  agent: AgentDefinition;
  tools: Map<string, AgentTool>;
  guard: AgentGuard;
  runner?: ActionRunner;
  knowledge?: KnowledgeSearch;
  collaborate?: CollaboratorInvoker;
  /** Per-invocation overrides of knowledge-base retrieval (sessionState.knowledgeBaseConfigurations). */
  kbOverrides: Map<string, { numberOfResults?: number; searchType?: 'HYBRID' | 'SEMANTIC' | 'KEYWORD'; filter?: unknown }>;
  sessionId: string;
  inputText: string;
  sessionAttributes: Record<string, string>;
  promptSessionAttributes: Record<string, string>;
  /** Search results of this invocation so far; their 1-based positions are the numbers the model cites. */
  references: ScoredChunk[];
  repeats: Map<string, number>;
  trace: (t: AgentTrace) => AgentEvent;
  traceId: string;
}

/** Runs one tool call. Nothing the model or a tool does makes this throw: every failure becomes an observation. */
export async function dispatchToolCall(d: DispatchContext, call: ToolCall): Promise<Dispatched> {
  const out: Dispatched = { toolUseId: call.toolUseId, events: [] };
  const reprompt = (text: string): Dispatched => {
    out.events.push(d.trace({ orchestrationTrace: { observation: { traceId: d.traceId, type: 'REPROMPT', repromptResponse: { text, source: 'PARSER' } } } }));
    out.result = { text, status: 'error' };
    return out;
  };
  const tool = d.tools.get(call.name);
  if (!tool) {
    return reprompt(`There is no tool named "${call.name}". The tools are: ${[...d.tools.keys()].join(', ') || 'none'}. Call one of them, or answer without a tool.`);
  }
  const problems = argumentProblems(tool.spec.inputSchema.json, call.input);
  if (problems.length) return reprompt(`The arguments for ${call.name} do not match its schema: ${problems.join('; ')}. Call it again with corrected arguments.`);
  const args = call.input as Record<string, unknown>;
  const key = callKey(call.name, args);
  const seen = d.repeats.get(key) ?? 0;
  d.repeats.set(key, seen + 1);
  if (seen >= MAX_IDENTICAL_CALLS) {
    return reprompt(`You already called ${call.name} with exactly these arguments ${seen} times; the result will not change. Use the results you have, try something different, or answer.`);
  }
  try {
    switch (tool.kind) {
      case 'action':
        return await runAction(d, out, tool, args);
      case 'knowledgeBase':
        return await searchKnowledgeBase(d, out, tool, String(args.searchQuery ?? ''));
      case 'userInput':
        out.question = String(args.question ?? '');
        out.events.push(d.trace({ orchestrationTrace: { observation: { traceId: d.traceId, type: 'ASK_USER', finalResponse: { text: out.question } } } }));
        return out;
      case 'collaborator':
        return await delegate(d, out, tool.collaborator, String(args.input ?? ''));
      default: {
        const never: never = tool;
        throw new Error(`unknown tool kind ${(never as AgentTool).kind}`);
      }
    }
  } catch (e) {
    // An executor or the knowledge module failing unexpectedly is still the model's observation, not a crash.
    const err = toQuarryError(e);
    d.ctx.log.warn({ err: e, tool: call.name }, 'agent tool failed');
    out.result = { text: `${call.name} failed: ${err.message}`, status: 'error' };
    out.events.push(d.trace({ orchestrationTrace: { observation: { traceId: d.traceId, type: 'ACTION_GROUP', actionGroupInvocationOutput: { text: out.result.text } } } }));
    return out;
  }
}

async function runAction(d: DispatchContext, out: Dispatched, tool: Extract<AgentTool, { kind: 'action' }>, args: Record<string, unknown>): Promise<Dispatched> {
  const { group, fn } = tool;
  const returnsControl = group.executor.kind === 'returnControl';
  const handOff = returnsControl || fn.requireConfirmation === true;
  out.events.push(
    d.trace({
      orchestrationTrace: {
        invocationInput: {
          traceId: d.traceId,
          invocationType: 'ACTION_GROUP',
          actionGroupInvocationInput: {
            actionGroupName: group.name,
            ...(fn.api ? { apiPath: fn.api.path, verb: fn.api.method } : { function: fn.name }),
            parameters: namedValues(fn, args, fn.api ? (k) => fn.api!.parameterIn[k] !== 'body' : undefined),
            ...(fn.api && Object.values(fn.api.parameterIn).includes('body')
              ? { requestBody: { content: { [fn.api.bodyContentType ?? 'application/json']: namedValues(fn, args, (k) => fn.api!.parameterIn[k] === 'body') } } }
              : {}),
            executionType: returnsControl ? 'RETURN_CONTROL' : 'LAMBDA',
          },
        },
      },
    }),
  );
  if (handOff) {
    out.pending = { toolUseId: out.toolUseId, toolName: tool.spec.name, group, fn, args, input: returnControlInput(d.agent.agentId, tool, args, returnsControl), confirmation: !returnsControl };
    return out;
  }
  if (!d.runner) {
    out.result = { text: `${group.name} cannot run on this server: no executor is configured for it.`, status: 'error' };
  } else {
    const started = Date.now();
    const outcome = await d.runner.run(
      { agent: d.agent, group, fn, args, sessionId: d.sessionId, inputText: d.inputText, sessionAttributes: d.sessionAttributes, promptSessionAttributes: d.promptSessionAttributes },
      d.ctx.signal,
    );
    // Cut before the guardrail sees it: the model only ever gets the cut, and a guardrail need not scan megabytes.
    const text = await guarded(d, out, truncateObservation(outcome.text, undefined, outcome.totalChars), `${group.name}.${fn.name}`);
    out.result = { text, status: outcome.ok ? 'success' : 'error' };
    if (outcome.sessionAttributes) out.sessionAttributes = outcome.sessionAttributes;
    if (outcome.promptSessionAttributes) out.promptSessionAttributes = outcome.promptSessionAttributes;
    out.events.push(
      d.trace({
        orchestrationTrace: {
          observation: { traceId: d.traceId, type: 'ACTION_GROUP', actionGroupInvocationOutput: { text: out.result.text, metadata: { totalTimeMs: Date.now() - started } } },
        },
      }),
    );
  }
  return out;
}

/** Bedrock's return-control payload for one call: a function's parameters, or an API operation's parameters and body. */
export function returnControlInput(agentId: string, tool: Extract<AgentTool, { kind: 'action' }>, args: Record<string, unknown>, returnsControl: boolean): ReturnControlInput {
  const { group, fn } = tool;
  const actionInvocationType = returnsControl ? 'RESULT' : 'USER_CONFIRMATION';
  if (!fn.api) return { functionInvocationInput: { actionGroup: group.name, function: fn.name, parameters: namedValues(fn, args), actionInvocationType, agentId } };
  const api = fn.api;
  const body = namedValues(fn, args, (k) => api.parameterIn[k] === 'body');
  return {
    apiInvocationInput: {
      actionGroup: group.name,
      httpMethod: api.method.toUpperCase(),
      apiPath: api.path,
      parameters: namedValues(fn, args, (k) => api.parameterIn[k] !== 'body'),
      ...(body.length ? { requestBody: { content: { [api.bodyContentType ?? 'application/json']: { properties: body } } } } : {}),
      actionInvocationType,
      agentId,
    },
  };
}

async function searchKnowledgeBase(d: DispatchContext, out: Dispatched, tool: Extract<AgentTool, { kind: 'knowledgeBase' }>, query: string): Promise<Dispatched> {
  const kbId = tool.kb.knowledgeBaseId;
  out.events.push(d.trace({ orchestrationTrace: { invocationInput: { traceId: d.traceId, invocationType: 'KNOWLEDGE_BASE', knowledgeBaseLookupInput: { text: query, knowledgeBaseId: kbId } } } }));
  if (!d.knowledge) {
    out.result = { text: `Knowledge base ${kbId} cannot be searched: knowledge bases are not available on this server.`, status: 'error' };
  } else {
    const o = d.kbOverrides.get(kbId);
    const started = Date.now();
    const chunks = await d.knowledge(d.ctx, d.agent.accountId, kbId, {
      text: query,
      numberOfResults: o?.numberOfResults ?? tool.kb.numberOfResults ?? 5,
      searchType: o?.searchType ?? 'HYBRID',
      ...(o?.filter ? { filter: o.filter as never } : {}),
    });
    const first = d.references.length + 1;
    d.references.push(...chunks);
    const listing = chunks.map((c, i) => `<result number="${first + i}" source="${c.location.uri}">\n${c.parentText ?? c.text}\n</result>`).join('\n');
    const text = chunks.length ? `<search_results knowledge_base="${kbId}">\n${listing}\n</search_results>` : `No results in knowledge base ${kbId} for "${query}".`;
    out.result = { text: await guarded(d, out, truncateObservation(text), `knowledge base ${kbId}`), status: 'success' };
    out.events.push(
      d.trace({
        orchestrationTrace: { observation: { traceId: d.traceId, type: 'KNOWLEDGE_BASE', knowledgeBaseLookupOutput: { retrievedReferences: chunks, metadata: { totalTimeMs: Date.now() - started } } } },
      }),
    );
  }
  return out;
}

async function delegate(d: DispatchContext, out: Dispatched, collaborator: AgentCollaborator, text: string): Promise<Dispatched> {
  const aliasArn = `arn:aws:bedrock:${d.agent.region}:${d.agent.accountId}:agent-alias/${collaborator.agentId}/${collaborator.agentAliasId}`;
  out.events.push(
    d.trace({
      orchestrationTrace: {
        invocationInput: {
          traceId: d.traceId,
          invocationType: 'AGENT_COLLABORATOR',
          agentCollaboratorInvocationInput: { agentCollaboratorName: collaborator.name, agentCollaboratorAliasArn: aliasArn, input: { type: 'TEXT', text } },
        },
      },
    }),
  );
  if (!d.collaborate) {
    out.result = { text: `The collaborator ${collaborator.name} cannot be reached from here.`, status: 'error' };
    return out;
  }
  const started = Date.now();
  const it = d.collaborate(collaborator, text);
  let r = await it.next();
  while (!r.done) {
    out.events.push(r.value);
    r = await it.next();
  }
  const answer = await guarded(d, out, truncateObservation(r.value.text), `collaborator ${collaborator.name}`);
  out.result = { text: answer, status: r.value.ok ? 'success' : 'error' };
  out.events.push(
    d.trace({
      orchestrationTrace: {
        observation: {
          traceId: d.traceId,
          type: 'AGENT_COLLABORATOR',
          agentCollaboratorInvocationOutput: { agentCollaboratorName: collaborator.name, agentCollaboratorAliasArn: aliasArn, output: { type: 'TEXT', text: out.result.text }, metadata: { totalTimeMs: Date.now() - started } },
        },
      },
    }),
  );
  return out;
}

/** A tool's output through the guardrail: what the model may see of it, with a guardrail trace when it intervened. */
export async function guarded(d: Pick<DispatchContext, 'guard' | 'trace' | 'traceId'>, out: { events: AgentEvent[] }, text: string, source: string): Promise<string> {
  const v = await d.guard.checkToolResult(text, source);
  if (v.action === 'NONE') return v.text;
  out.events.push(d.trace({ guardrailTrace: { traceId: d.traceId, action: 'INTERVENED', inputAssessments: v.assessments ?? [] } }));
  return v.blocked === false ? v.text : `[The guardrail withheld the result of ${source}: ${v.text}]`;
}
