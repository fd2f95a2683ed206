import { randomUUID } from 'node:crypto';
import { type ConverseRequest, type ConverseResult, type Message, QuarryError, textOf, toQuarryError } from '../../core/index.js';
import type { ScoredChunk } from '../../knowledge/index.js';
import type { ActionRunner } from './action-runner.js';
import { type AgentCollaborator, type AgentDefinition, DEFAULT_MAX_ITERATIONS, DEFAULT_MAX_TOTAL_TOKENS } from './agent-definition.js';
import { extractCitations } from './agent-citations.js';
import type { AgentCitation, AgentEvent, AgentTrace, ReturnControlInput, TraceEvent } from './agent-events.js';
import { type AgentGuard, type GuardResolver, NO_GUARD } from './agent-guard.js';
import { AgentMemory } from './agent-memory.js';
import { AnswerGate } from './answer-gate.js';
import { DEFAULT_GUARDRAIL_INTERVAL, GuardedRelease, splitAnswer } from './guarded-release.js';
import type { AgentMemoryStore, AgentSessionStore } from './agent-session-store.js';
import type { AgentCallContext, AgentModelPort, KnowledgeSearch } from './agent-ports.js';
import { orchestrationPrompt } from './agent-prompt.js';
import { type AgentSession, AgentSessions, type PendingCall, trimHistory } from './agent-sessions.js';
import { type AgentTool, agentTools } from './agent-tools.js';
import { type ModelDialect, nativeDialect, reactDialect, type ToolResultEntry } from './model-dialect.js';
import { runPostProcessing, runPreProcessing, summariseSession } from './processing-steps.js';
import { type InvocationResult, matchResults } from './return-control.js';
import { streamTurn } from './streamed-turn.js';
import { type Dispatched, dispatchToolCall, guarded } from './tool-dispatch.js';
import { truncateObservation } from './tool-observation.js';

export interface InvokeAgentInput {
  sessionId: string;
  inputText?: string;
  sessionState?: {
    sessionAttributes?: Record<string, string>;
    promptSessionAttributes?: Record<string, string>;
    invocationId?: string;
    returnControlInvocationResults?: InvocationResult[];
    /** Replaces the session's history (Bedrock's sessionState.conversationHistory): user and assistant text turns. */
    conversationHistory?: Message[];
    knowledgeBaseConfigurations?: {
      knowledgeBaseId: string;
      retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults?: number; overrideSearchType?: 'HYBRID' | 'SEMANTIC' | 'KEYWORD'; filter?: unknown } };
    }[];
  };
  endSession?: boolean;
  memoryId?: string;
  /** Bedrock's streamingConfigurations: the final answer as several chunks, guarded every `applyGuardrailInterval` characters. */
  streaming?: { streamFinalResponse?: boolean; applyGuardrailInterval?: number };
}

/** Resolves a collaborator's alias to its definition (the control plane's resolver). */
export type AgentResolver = (accountId: string, agentId: string, aliasId: string) => Promise<AgentDefinition>;

export interface AgentOrchestratorDeps {
  models: AgentModelPort;
  /** Where sessions live between invocations; this process's memory when absent. */
  sessions?: AgentSessionStore;
  /** Where session summaries live across sessions; this process's memory when absent. */
  memory?: AgentMemoryStore;
  runner?: ActionRunner;
  knowledge?: KnowledgeSearch;
  guardFor?: GuardResolver;
  resolveAgent?: AgentResolver;
}

/** A supervisor may delegate to collaborators that delegate in turn, but not without end (a cycle of aliases). */
const MAX_COLLABORATION_DEPTH = 3;
/** What the prompt trace shows of a model request; the request itself is not cut. */
const MAX_TRACE_PROMPT_CHARS = 25_000;

interface LoopState {
  messages: Message[];
  iterations: number;
  tokens: number;
  references: ScoredChunk[];
  repeats: Map<string, number>;
  inputText: string;
}

interface Invocation {
  ctx: AgentCallContext;
  agent: AgentDefinition;
  input: InvokeAgentInput;
  session: AgentSession;
  /** Set by endSession: the session is forgotten rather than saved when the invocation lets go of it. */
  ended: boolean;
  guard: AgentGuard;
  tools: Map<string, AgentTool>;
  dialect: ModelDialect;
  /** The model's own output limit, when the catalog knows it. */
  maxOutputTokens?: number;
  chain: string[];
  collaboratorName?: string;
  trace: (t: AgentTrace) => TraceEvent;
  /** Set when the caller asked for the final answer streamed: the guardrail interval, in characters. */
  streamInterval?: number;
}

/**
 * The agent runtime: one InvokeAgent call from the input (or the caller's return-control results) to the answer.
 * It asks the model, runs the tools it calls — in parallel when it asks for several at once — feeds the results
 * back, and repeats until the model answers, within caps on model turns and tokens. Every step is traced in
 * Bedrock's trace vocabulary. Model calls go through the runtime port, so they are authorized, metered and routed
 * like any other invocation.
 */
export class AgentOrchestrator {
  readonly sessions: AgentSessionStore;
  readonly memory: AgentMemoryStore;

  constructor(private readonly deps: AgentOrchestratorDeps) {
    this.sessions = deps.sessions ?? new AgentSessions();
    this.memory = deps.memory ?? new AgentMemory();
  }

  invoke(ctx: AgentCallContext, agent: AgentDefinition, input: InvokeAgentInput): AsyncGenerator<AgentEvent> {
    return this.invokeAs(ctx, agent, input, [aliasArn(agent)]);
  }

  private async *invokeAs(ctx: AgentCallContext, agent: AgentDefinition, input: InvokeAgentInput, chain: string[], collaboratorName?: string): AsyncGenerator<AgentEvent> {
    const results = input.sessionState?.returnControlInvocationResults;
    if (!input.inputText && !results?.length && !input.endSession) {
      throw new QuarryError('ValidationException', 'inputText is required unless sessionState carries returnControlInvocationResults or endSession is true.');
    }
    const held = await this.sessions.acquire(
      { accountId: agent.accountId, agentId: agent.agentId, aliasId: agent.agentAliasId, sessionId: input.sessionId },
      agent.idleSessionTtlSeconds * 1000,
      agent,
    );
    const { session } = held;
    let ended = false;
    try {
      const st = input.sessionState;
      if (st?.sessionAttributes) session.sessionAttributes = { ...st.sessionAttributes };
      if (st?.promptSessionAttributes) session.promptSessionAttributes = { ...st.promptSessionAttributes };
      if (st?.conversationHistory) session.history = trimHistory(st.conversationHistory);
      if (input.memoryId && agent.memory?.enabled && session.memoryId !== input.memoryId) {
        session.memoryId = input.memoryId;
        const recent = await this.memory.recent({ accountId: agent.accountId, agentId: agent.agentId, memoryId: input.memoryId }, agent.memory.storageDays, agent.memory.maxRecentSessions ?? 5);
        session.memoryContent = recent.map((s) => `- ${s.summary}`).join('\n') || undefined;
      }
      const { model } = await this.deps.models.resolveModel(agent.foundationModel);
      const agentIds = { agentId: agent.agentId, agentAliasId: agent.agentAliasId, agentVersion: agent.agentVersion, sessionId: input.sessionId };
      const inv: Invocation = {
        ctx,
        agent,
        input,
        session,
        ended: false,
        guard: agent.guardrail ? await this.guardOf(ctx, agent) : NO_GUARD,
        tools: agentTools(agent),
        dialect: model.supportsTools ? nativeDialect : reactDialect,
        ...(model.maxOutputTokens ? { maxOutputTokens: model.maxOutputTokens } : {}),
        chain,
        ...(collaboratorName ? { collaboratorName } : {}),
        trace: (trace) => ({ type: 'trace', trace, agent: agentIds, callerChain: chain, ...(collaboratorName ? { collaboratorName } : {}) }),
        ...(input.streaming?.streamFinalResponse ? { streamInterval: input.streaming.applyGuardrailInterval ?? DEFAULT_GUARDRAIL_INTERVAL } : {}),
      };
      if (results?.length) yield* this.resume(inv, results);
      else if (input.inputText) yield* this.start(inv, input.inputText);
      if (input.endSession) await this.endSession(inv);
      ended = inv.ended;
    } finally {
      await (ended ? held.end() : held.save());
    }
  }

  private async guardOf(ctx: AgentCallContext, agent: AgentDefinition): Promise<AgentGuard> {
    if (!this.deps.guardFor) {
      // An agent configured with a guardrail must not run unguarded because the engine is missing.
      throw new QuarryError('ValidationException', `Agent ${agent.agentId} uses guardrail ${agent.guardrail!.guardrailId}, but guardrails are not available on this server.`);
    }
    return this.deps.guardFor(ctx, agent.accountId, agent.guardrail!);
  }

  private async *start(inv: Invocation, inputText: string): AsyncGenerator<AgentEvent> {
    const { session } = inv;
    // New input abandons a return of control the caller never answered.
    session.pending = undefined;
    const traceId = `${inv.ctx.requestId}-input`;
    const v = await inv.guard.checkInput(inputText);
    if (v.action === 'INTERVENED') {
      yield inv.trace({ guardrailTrace: { traceId, action: 'INTERVENED', inputAssessments: v.assessments ?? [] } });
      if (v.blocked !== false) {
        yield* this.finish(inv, inputText, v.text, []);
        return;
      }
    }
    const text = v.text;
    const pre = await runPreProcessing(this.deps.models, inv, text);
    for (const t of pre.traces) yield inv.trace(t);
    if (pre.rejection) {
      yield* this.finish(inv, text, pre.rejection, []);
      return;
    }
    const state: LoopState = {
      messages: [...session.history, { role: 'user', content: [{ text }] }],
      iterations: 0,
      tokens: pre.tokens,
      references: [],
      repeats: new Map(),
      inputText: text,
    };
    yield* this.loop(inv, state);
  }

  private async *resume(inv: Invocation, results: InvocationResult[]): AsyncGenerator<AgentEvent> {
    const pending = inv.session.pending;
    const answers = matchResults(pending, inv.input.sessionState?.invocationId, results);
    inv.session.pending = undefined;
    const p = pending!;
    const state: LoopState = { messages: p.messages, iterations: p.iterations, tokens: p.tokens, references: p.references, repeats: p.repeats, inputText: p.inputText };
    const byId = new Map(p.done);
    const traceId = `${inv.ctx.requestId}-resume`;
    const d = this.dispatchContext(inv, state, traceId);
    for (const a of answers) {
      const events: AgentEvent[] = [];
      let entry: { text: string; status: 'success' | 'error' };
      if (a.kind === 'denied') entry = { text: `The user declined to run ${a.call.group.name}.${a.call.fn.name}.`, status: 'error' };
      else if (a.kind === 'confirmed') {
        const r = await this.runConfirmed(inv, state, a.call, traceId);
        events.push(...r.events);
        entry = r.result ?? { text: 'The action returned nothing.', status: 'success' };
      } else {
        entry = { text: await guarded(d, { events }, a.text, `${a.call.group.name}.${a.call.fn.name}`), status: a.ok ? 'success' : 'error' };
        events.push(
          inv.trace({ orchestrationTrace: { observation: { traceId, type: 'ACTION_GROUP', actionGroupInvocationOutput: { text: truncateObservation(entry.text) } } } }),
        );
      }
      yield* events;
      byId.set(a.call.toolUseId, entry);
    }
    const entries: ToolResultEntry[] = p.toolUseIds.map((id) => {
      const call = p.calls.find((c) => c.toolUseId === id);
      const r = byId.get(id) ?? { text: 'No result.', status: 'error' as const };
      return { call: { toolUseId: id, name: call?.toolName ?? toolNameOf(p.messages, id), input: call?.args ?? {} }, ...r };
    });
    state.messages = [...state.messages, inv.dialect.results(entries)];
    yield* this.loop(inv, state);
  }

  /** A call the user confirmed runs like any server-side action, now. */
  private async runConfirmed(inv: Invocation, state: LoopState, call: PendingCall, traceId: string): Promise<Dispatched> {
    const fn = { ...call.fn, requireConfirmation: false };
    const group = { ...call.group, functions: [fn] };
    const tools = new Map<string, AgentTool>([[call.toolName, { kind: 'action', spec: { name: call.toolName, inputSchema: { json: fn.inputSchema } }, group, fn }]]);
    const d = { ...this.dispatchContext(inv, state, traceId), tools, repeats: new Map<string, number>() };
    return dispatchToolCall(d, { toolUseId: call.toolUseId, name: call.toolName, input: call.args });
  }

  private dispatchContext(inv: Invocation, state: LoopState, traceId: string) {
    const kbOverrides = new Map(
      (inv.input.sessionState?.knowledgeBaseConfigurations ?? []).map((k) => {
        const v = k.retrievalConfiguration.vectorSearchConfiguration;
        return [k.knowledgeBaseId, { numberOfResults: v.numberOfResults, searchType: v.overrideSearchType, filter: v.filter }] as const;
      }),
    );
    return {
      ctx: inv.ctx,
      agent: inv.agent,
      tools: inv.tools,
      guard: inv.guard,
      runner: this.deps.runner,
      knowledge: this.deps.knowledge,
      collaborate: (c: AgentCollaborator, text: string) => this.delegate(inv, c, text),
      kbOverrides,
      sessionId: inv.input.sessionId,
      inputText: state.inputText,
      sessionAttributes: inv.session.sessionAttributes,
      promptSessionAttributes: inv.session.promptSessionAttributes,
      references: state.references,
      repeats: state.repeats,
      trace: inv.trace,
      traceId,
    };
  }

  private async *loop(inv: Invocation, state: LoopState): AsyncGenerator<AgentEvent> {
    const { agent, dialect, ctx } = inv;
    const maxIterations = agent.maxIterations ?? DEFAULT_MAX_ITERATIONS;
    const maxTokens = agent.maxTotalTokens ?? DEFAULT_MAX_TOTAL_TOKENS;
    const specs = [...inv.tools.values()].map((t) => t.spec);
    const inference = agent.promptOverrides?.orchestration?.inference;
    for (;;) {
      if (state.iterations >= maxIterations) {
        yield* this.fail(inv, state, `The agent reached its limit of ${maxIterations} steps without finishing.`, 'I could not complete this request within the number of steps I am allowed.');
        return;
      }
      if (state.tokens >= maxTokens) {
        yield* this.fail(inv, state, `The agent used ${state.tokens} tokens, reaching its limit of ${maxTokens}.`, 'I could not complete this request within the amount of work I am allowed.');
        return;
      }
      state.iterations++;
      const traceId = `${ctx.requestId}-${state.iterations}`;
      const prompt = orchestrationPrompt({
        agent,
        tools: specs,
        react: dialect.react,
        promptSessionAttributes: inv.session.promptSessionAttributes,
        memoryContent: inv.session.memoryContent,
        question: state.inputText,
      });
      const toolConfig = dialect.toolConfig(specs);
      const stops = [...(inference?.stopSequences ?? []), ...dialect.stopSequences];
      const req: ConverseRequest = {
        modelId: agent.foundationModel,
        system: [{ text: prompt.text }],
        messages: state.messages,
        ...(toolConfig ? { toolConfig } : {}),
        inferenceConfig: {
          // The output of one turn may not take the invocation past its token cap.
          maxTokens: Math.max(1, Math.min(inference?.maxTokens ?? 2048, inv.maxOutputTokens ?? Number.POSITIVE_INFINITY, maxTokens - state.tokens)),
          ...(inference?.temperature !== undefined ? { temperature: inference.temperature } : {}),
          ...(inference?.topP !== undefined ? { topP: inference.topP } : {}),
          ...(stops.length ? { stopSequences: stops } : {}),
        },
      };
      yield inv.trace({
        orchestrationTrace: {
          modelInvocationInput: {
            traceId,
            text: promptTrace(req),
            type: 'ORCHESTRATION',
            promptCreationMode: prompt.overridden ? 'OVERRIDDEN' : 'DEFAULT',
            inferenceConfiguration: { maximumLength: req.inferenceConfig!.maxTokens, ...(stops.length ? { stopSequences: stops } : {}) },
            foundationModel: agent.foundationModel,
          },
        },
      });
      const started = Date.now();
      let res: ConverseResult;
      const live = this.liveRelease(inv, state, specs);
      if (live) {
        const s = yield* this.streamTurnLive(inv, state, req, traceId, live, started);
        if (!s) return;
        res = s;
      } else res = await this.deps.models.converse(ctx, req);
      state.tokens += res.usage.inputTokens + res.usage.outputTokens;
      yield inv.trace(modelOutputTrace(traceId, res, started));
      const turn = dialect.read(res.message, traceId);
      if (turn.rationale) yield inv.trace({ orchestrationTrace: { rationale: { traceId, text: turn.rationale } } });
      if (turn.kind === 'invalid') {
        yield inv.trace({ orchestrationTrace: { observation: { traceId, type: 'REPROMPT', repromptResponse: { text: turn.problem, source: 'PARSER' } } } });
        state.messages = [...state.messages, dialect.assistant(res.message), dialect.reprompt(turn.problem)];
        continue;
      }
      if (turn.kind === 'final') {
        yield* this.answer(inv, state, turn.text, traceId);
        return;
      }
      state.messages = [...state.messages, dialect.assistant(res.message)];
      const d = this.dispatchContext(inv, state, traceId);
      // Several calls in one turn run at once; their traces are emitted in the order the model asked for them.
      const done = await Promise.all(turn.calls.map((call) => dispatchToolCall(d, call)));
      for (const r of done) yield* r.events;
      for (const r of done) {
        if (r.sessionAttributes) inv.session.sessionAttributes = r.sessionAttributes;
        if (r.promptSessionAttributes) inv.session.promptSessionAttributes = r.promptSessionAttributes;
      }
      const handOff = done.filter((r) => r.pending);
      const question = done.find((r) => r.question !== undefined)?.question;
      if (handOff.length) {
        const invocationId = randomUUID();
        inv.session.pending = {
          invocationId,
          messages: state.messages,
          done: new Map(done.filter((r) => r.result || r.question !== undefined).map((r) => [r.toolUseId, r.result ?? { text: 'The question was not asked: other actions were waiting; ask again if it still matters.', status: 'error' }])),
          toolUseIds: turn.calls.map((c) => c.toolUseId),
          calls: handOff.map((r) => r.pending!),
          iterations: state.iterations,
          tokens: state.tokens,
          references: state.references,
          repeats: state.repeats,
          inputText: state.inputText,
        };
        const invocationInputs: ReturnControlInput[] = handOff.map((r) => r.pending!.input);
        yield { type: 'returnControl', invocationId, invocationInputs };
        return;
      }
      if (question !== undefined) {
        // The question is the answer of this turn; the user's reply arrives as the next invocation's input.
        yield* this.finish(inv, state.inputText, question, []);
        return;
      }
      const entries = turn.calls.map((call, i) => ({ call, ...(done[i]!.result ?? { text: 'No result.', status: 'error' as const }) }));
      state.messages = [...state.messages, dialect.results(entries)];
    }
  }

  /**
   * The release for a turn streamed as the model writes it, when the caller asked for streaming. A native model's
   * turn is streamed only when no tools are offered (it can write text and then call one, so its text is not known
   * to be the answer until it stops); a ReAct model's is, its answer gated by the protocol's own markers. A turn whose
   * answer post-processing will rewrite, or that cites search results, is read whole. Turns not streamed still answer
   * in pieces (`finish`).
   */
  private liveRelease(inv: Invocation, state: LoopState, specs: unknown[]): GuardedRelease | undefined {
    if (inv.streamInterval === undefined || !this.deps.models.converseStream) return undefined;
    if ((!inv.dialect.react && specs.length) || inv.agent.promptOverrides?.postProcessing?.enabled) return undefined;
    // Search results were used: the answer's [n] markers become citations, which needs the whole answer.
    if (state.references.length) return undefined;
    return new GuardedRelease(inv.agent.guardrail ? inv.guard : undefined, inv.streamInterval);
  }

  /**
   * One turn streamed: chunks as the gate and the guardrail release them, then the traces a whole answer would have
   * had. Returns the turn when none of it was answer text (a tool call, or an answer the gate could not recognise
   * early), for the loop to go on as with a non-streamed call; nothing once it answered.
   */
  private async *streamTurnLive(inv: Invocation, state: LoopState, req: ConverseRequest, traceId: string, release: GuardedRelease, started: number): AsyncGenerator<AgentEvent, ConverseResult | undefined> {
    const handle = await this.deps.models.converseStream!(inv.ctx, req);
    const turn = streamTurn(handle.parts, new AnswerGate(inv.dialect.react), release);
    let sent = false;
    let r: IteratorResult<string, ConverseResult | undefined>;
    try {
      for (r = await turn.next(); !r.done; r = await turn.next()) {
        sent = true;
        yield { type: 'chunk', text: r.value, citations: [] };
      }
    } finally {
      // A client that went away mid-answer closes the model's stream too.
      await turn.return(undefined);
    }
    const res = r.value;
    if (!sent && res) return res;
    if (res) {
      state.tokens += res.usage.inputTokens + res.usage.outputTokens;
      yield inv.trace(modelOutputTrace(traceId, res, started));
      const rationale = inv.dialect.read(res.message, traceId).rationale;
      if (rationale) yield inv.trace({ orchestrationTrace: { rationale: { traceId, text: rationale } } });
    }
    if (release.intervened) yield inv.trace({ guardrailTrace: { traceId, action: 'INTERVENED', outputAssessments: release.assessments } });
    const text = release.released + (release.blocked?.text ?? '');
    yield inv.trace({ orchestrationTrace: { observation: { traceId, type: 'FINISH', finalResponse: { text } } } });
    this.remember(inv, state.inputText, text);
    return undefined;
  }

  /** The model's final answer: citations, the output guardrail, optional post-processing, then the chunk. */
  private async *answer(inv: Invocation, state: LoopState, raw: string, traceId: string): AsyncGenerator<AgentEvent> {
    let { text, citations } = extractCitations(raw, state.references);
    const v = await inv.guard.checkOutput(text);
    if (v.action === 'INTERVENED') {
      yield inv.trace({ guardrailTrace: { traceId, action: 'INTERVENED', outputAssessments: v.assessments ?? [] } });
      text = v.text;
      citations = [];
    }
    yield inv.trace({ orchestrationTrace: { observation: { traceId, type: 'FINISH', finalResponse: { text } } } });
    if (v.action === 'NONE') {
      const post = await runPostProcessing(this.deps.models, inv, state.inputText, text);
      for (const t of post.traces) yield inv.trace(t);
      if (post.text !== undefined && post.text !== text) {
        text = post.text;
        citations = [];
      }
    }
    yield* this.finish(inv, state.inputText, text, citations);
  }

  private async *finish(inv: Invocation, question: string, text: string, citations: AgentCitation[]): AsyncGenerator<AgentEvent> {
    this.remember(inv, question, text);
    if (inv.streamInterval === undefined) {
      yield { type: 'chunk', text, citations };
      return;
    }
    // An answer that was whole before it could be sent still arrives in the streamed shape; the citations, whose
    // spans are offsets into the whole answer, ride on the last piece, once all the text they point into is out.
    const pieces = splitAnswer(text, inv.streamInterval);
    for (const [i, piece] of pieces.entries()) yield { type: 'chunk', text: piece, citations: i === pieces.length - 1 ? citations : [] };
  }

  private remember(inv: Invocation, question: string, text: string): void {
    inv.session.history = trimHistory([...inv.session.history, { role: 'user', content: [{ text: question }] }, { role: 'assistant', content: [{ text: text || '(no answer)' }] }]);
  }

  private async *fail(inv: Invocation, state: LoopState, reason: string, answer: string): AsyncGenerator<AgentEvent> {
    yield inv.trace({ failureTrace: { traceId: `${inv.ctx.requestId}-failure`, failureReason: reason } });
    yield* this.finish(inv, state.inputText, answer, []);
  }

  private async endSession(inv: Invocation): Promise<void> {
    const { agent, session, input } = inv;
    if (input.memoryId && agent.memory?.enabled && session.history.length) {
      try {
        const summary = await summariseSession(this.deps.models, inv, session.history);
        if (summary) await this.memory.add({ accountId: agent.accountId, agentId: agent.agentId, memoryId: input.memoryId }, { sessionId: input.sessionId, summary });
      } catch (e) {
        // A summary is a convenience: failing to write one must not fail the invocation that ends the session.
        inv.ctx.log.warn({ err: e }, 'agent session summary failed');
      }
    }
    inv.ended = true;
  }

  /** Runs a collaborator on its own session under the supervisor's, relaying its traces with the caller chain. */
  private async *delegate(inv: Invocation, c: AgentCollaborator, text: string): AsyncGenerator<AgentEvent, { text: string; ok: boolean }> {
    if (inv.chain.length > MAX_COLLABORATION_DEPTH) return { text: `Delegation to ${c.name} refused: collaborators are nested more than ${MAX_COLLABORATION_DEPTH} deep.`, ok: false };
    if (!this.deps.resolveAgent) return { text: `The collaborator ${c.name} cannot be reached from here.`, ok: false };
    try {
      const sub = await this.deps.resolveAgent(inv.agent.accountId, c.agentId, c.agentAliasId);
      const arn = aliasArn(sub);
      if (inv.chain.includes(arn)) return { text: `Delegation to ${c.name} refused: it is already part of this delegation chain.`, ok: false };
      const history = c.relayConversationHistory ? inv.session.history.map((m) => `${m.role}: ${textOf(m.content)}`).join('\n') : '';
      const inputText = history ? `Conversation so far:\n${history}\n\nRequest: ${text}` : text;
      let answer = '';
      for await (const ev of this.invokeAs(inv.ctx, sub, { sessionId: `${inv.input.sessionId}-${c.name}`.slice(0, 100), inputText }, [...inv.chain, arn], c.name)) {
        if (ev.type === 'chunk') answer += ev.text;
        else if (ev.type === 'returnControl') return { text: `${c.name} asked to return control to the caller, which collaborators cannot do here.`, ok: false };
        else yield ev;
      }
      return { text: answer, ok: true };
    } catch (e) {
      return { text: `${c.name} failed: ${toQuarryError(e).message}`, ok: false };
    }
  }
}

function aliasArn(a: AgentDefinition): string {
  return `arn:aws:bedrock:${a.region}:${a.accountId}:agent-alias/${a.agentId}/${a.agentAliasId}`;
}

function modelOutputTrace(traceId: string, res: ConverseResult, started: number): AgentTrace {
  return {
    orchestrationTrace: {
      modelInvocationOutput: {
        traceId,
        rawResponse: { content: truncateObservation(JSON.stringify(res.message.content), MAX_TRACE_PROMPT_CHARS) },
        metadata: { totalTimeMs: Date.now() - started, usage: { inputTokens: res.usage.inputTokens, outputTokens: res.usage.outputTokens } },
      },
    },
  };
}

function promptTrace(req: ConverseRequest): string {
  const text = JSON.stringify({ system: req.system?.map((s) => ('text' in s ? s.text : '')).join('\n'), messages: req.messages, tools: req.toolConfig?.tools.map((t) => t.toolSpec.name) });
  return truncateObservation(text, MAX_TRACE_PROMPT_CHARS);
}

function toolNameOf(messages: Message[], toolUseId: string): string {
  for (const m of messages) for (const b of m.content) if ('toolUse' in b && b.toolUse.toolUseId === toolUseId) return b.toolUse.name;
  return 'tool';
}
