import type { GuardrailRequest, InferenceConfig, Message, ModelInfo } from '../../core/index.js';
import { QuarryError } from '../../core/index.js';
import { parseModelId } from '../../models/index.js';
import type { KnowledgeService } from '../knowledge-service.js';
import type { CallContext, ModelPort } from '../model-port.js';
import { fuseReciprocalRank } from '../retrieve/index.js';
import type { RetrieveQuery } from '../retrieval/retriever.js';
import type { ScoredChunk } from '../vector/vector-store.js';
import { type CitedPart, extractCitations, MarkerStripper } from './citations.js';
import { extractiveAnswer } from './extractive-answer.js';
import { DEFAULT_RAG_TEMPLATE, renderPrompt } from './prompt-template.js';
import { guardAnswer, guardQuery, type RagGuard, type RagGuardrailAction } from './rag-guardrail.js';
import type { RagSessions, Turn } from './rag-sessions.js';

export interface RagRequest {
  query: string;
  sessionId?: string;
  knowledgeBaseId: string;
  /** Model id or ARN; absent → the first text model the server has, or an extractive answer when it has none. */
  model?: string;
  retrieval: Omit<RetrieveQuery, 'text'>;
  promptTemplate?: string;
  inferenceConfig?: InferenceConfig;
  additionalModelRequestFields?: Record<string, unknown>;
  /** Split a multi-part question into sub-questions, retrieve for each, and fuse (needs a text model). */
  queryDecomposition?: boolean;
  /** Checks the query before anything is retrieved, and the answer (grounded in the passages) before it is returned. */
  guardrail?: GuardrailRequest;
}

export interface RagCitation {
  part: CitedPart;
  references: ScoredChunk[];
}

export interface RagResult {
  sessionId: string;
  text: string;
  citations: RagCitation[];
  /** True when no model wrote the answer: it is quoted sentences. */
  extractive: boolean;
  modelId?: string;
  /** Set when the request named a guardrail: whether it blocked or masked the query or the answer. */
  guardrailAction?: RagGuardrailAction;
}

export type RagStreamEvent =
  | { type: 'session'; sessionId: string }
  | { type: 'output'; text: string }
  | { type: 'citation'; citation: RagCitation }
  | { type: 'guardrail'; action: RagGuardrailAction }
  | { type: 'done'; result: RagResult };

/**
 * RetrieveAndGenerate: retrieve from one knowledge base, have a text model answer from the numbered passages, and turn
 * its [n] markers into citations whose spans point into the answer. Follow-ups in a session see earlier turns.
 */
export class RetrieveAndGenerate {
  constructor(
    private readonly knowledge: KnowledgeService,
    private readonly models: ModelPort,
    private readonly sessions: RagSessions,
  ) {}

  async run(ctx: CallContext, scope: string, req: RagRequest): Promise<RagResult> {
    let last: RagResult | undefined;
    for await (const e of this.stream(ctx, scope, req)) if (e.type === 'done') last = e.result;
    return last!;
  }

  async *stream(ctx: CallContext, scope: string, req: RagRequest): AsyncGenerator<RagStreamEvent> {
    const session = await this.sessions.load(scope, req.sessionId);
    yield { type: 'session', sessionId: session.id };
    const guard = req.guardrail ? await this.openGuardrail(ctx, req.guardrail) : undefined;
    let question = req.query;
    let guardrailAction: RagGuardrailAction | undefined;
    if (guard) {
      // A blocked query is answered with the guardrail's message: nothing is retrieved, no model is called.
      const checked = await guardQuery(guard, req.query);
      if ('blocked' in checked) {
        yield { type: 'output', text: checked.blocked };
        yield { type: 'guardrail', action: 'INTERVENED' };
        yield { type: 'done', result: { sessionId: session.id, text: checked.blocked, citations: [], extractive: false, guardrailAction: 'INTERVENED' } };
        return;
      }
      question = checked.query;
      guardrailAction = checked.action;
    }
    const model = await this.textModel(req.model);
    const query = await this.searchQuery(ctx, model, session.turns, question);
    const chunks = await this.retrieveFor(ctx, scope, model, req, query);
    let result: RagResult;
    if (!model) {
      const kb = await this.knowledge.repo.knowledgeBase(scope, req.knowledgeBaseId);
      const embed = this.knowledge.embedderFor(kb, () => ctx);
      let answer = await extractiveAnswer(question, chunks, (texts) => embed(texts, ctx.signal));
      if (guard) {
        const g = await this.guardAnswer(guard, answer, chunks, question);
        guardrailAction = g.action === 'INTERVENED' ? g.action : guardrailAction;
        answer = g.answer;
      }
      yield { type: 'output', text: answer.text };
      result = { sessionId: session.id, text: answer.text, citations: this.cite(answer.parts, chunks), extractive: true };
      for (const c of result.citations) yield { type: 'citation', citation: c };
    } else {
      const messages = history(session.turns);
      const prompt = renderPrompt(req.promptTemplate ?? DEFAULT_RAG_TEMPLATE, question, chunks);
      messages.push({ role: 'user', content: [{ text: prompt }] });
      const handle = await this.models.converseStream(ctx, {
        modelId: model.id,
        messages,
        ...(req.inferenceConfig ? { inferenceConfig: req.inferenceConfig } : {}),
        ...(req.additionalModelRequestFields ? { additionalModelRequestFields: req.additionalModelRequestFields } : {}),
      });
      const stripper = new MarkerStripper(chunks.length);
      for await (const part of handle.parts) {
        if (part.type === 'contentBlockDelta' && 'text' in part.delta) {
          const out = stripper.push(part.delta.text);
          // With a guardrail the answer is held back until it has been checked whole.
          if (out && !guard) yield { type: 'output', text: out };
        } else if (part.type === 'error') {
          throw part.error;
        }
      }
      const rest = stripper.flush();
      if (rest.text && !guard) yield { type: 'output', text: rest.text };
      let full = extractCitations(stripper.raw(), chunks.length);
      if (guard) {
        const g = await this.guardAnswer(guard, full, chunks, question);
        guardrailAction = g.action === 'INTERVENED' ? g.action : guardrailAction;
        full = g.answer;
        yield { type: 'output', text: full.text };
      }
      const citations = this.cite(full.parts, chunks);
      for (const c of citations) yield { type: 'citation', citation: c };
      result = { sessionId: session.id, text: full.text, citations, extractive: false, modelId: model.id };
    }
    if (guardrailAction) {
      result.guardrailAction = guardrailAction;
      yield { type: 'guardrail', action: guardrailAction };
    }
    const turn: Turn = { question, answer: result.text };
    await this.sessions.append(scope, session.id, session.isNew, session.turns, turn);
    yield { type: 'done', result };
  }

  private async openGuardrail(ctx: CallContext, guardrail: GuardrailRequest): Promise<RagGuard> {
    if (!this.models.openGuardrail) throw new QuarryError('ValidationException', 'Guardrails are not available on this server; remove guardrailConfiguration.');
    return this.models.openGuardrail(ctx, guardrail);
  }

  /** A blocked answer becomes the guardrail's message with no citations; a masked one keeps its citations, masked. */
  private async guardAnswer(
    guard: RagGuard,
    answer: { text: string; parts: CitedPart[] },
    chunks: ScoredChunk[],
    question: string,
  ): Promise<{ answer: { text: string; parts: CitedPart[] }; action: RagGuardrailAction }> {
    const g = await guardAnswer(guard, answer, chunks.map((c) => c.parentText ?? c.text), question);
    if ('blocked' in g) return { answer: { text: g.blocked, parts: [] }, action: 'INTERVENED' };
    return { answer: { text: g.text, parts: g.parts }, action: g.action };
  }

  private cite(parts: CitedPart[], chunks: ScoredChunk[]): RagCitation[] {
    return parts.map((part) => ({ part, references: part.sources.map((i) => chunks[i]!) }));
  }

  /** The model to answer with, or undefined for an extractive answer (none named and none on the server). */
  private async textModel(requested: string | undefined): Promise<ModelInfo | undefined> {
    const all = await this.models.listModels();
    const text = all.filter((m) => m.kind === 'text');
    if (!requested) return text[0];
    try {
      const { model } = await this.models.resolveModel(parseModelId(requested).id);
      if (model.kind !== 'text') throw new QuarryError('ValidationException', `Model ${model.id} cannot generate text; name a text model in modelArn.`);
      return model;
    } catch (e) {
      // A server without any text model still answers, extractively; one that has models reports the wrong name.
      if (QuarryError.isInstance(e) && e.code === 'ResourceNotFoundException' && text.length === 0) return undefined;
      throw e;
    }
  }

  /** A follow-up such as "and in 2023?" is rewritten into a standalone question before it is searched for. */
  private async searchQuery(ctx: CallContext, model: ModelInfo | undefined, turns: Turn[], query: string): Promise<string> {
    if (!turns.length) return query;
    const previous = turns[turns.length - 1]!.question;
    if (!model) return `${previous} ${query}`;
    const res = await this.models.converse(ctx, {
      modelId: model.id,
      messages: [
        {
          role: 'user',
          content: [
            {
              text: `Rewrite the follow-up question as one standalone search query. Reply with the query only.\n\nConversation:\n${turns.map((t) => `Q: ${t.question}\nA: ${t.answer.slice(0, 500)}`).join('\n')}\n\nFollow-up question: ${query}`,
            },
          ],
        },
      ],
      inferenceConfig: { maxTokens: 100, temperature: 0 },
    });
    const text = res.message.content.map((b) => ('text' in b ? b.text : '')).join('').trim();
    return text && text.length < 1000 ? text : `${previous} ${query}`;
  }

  private async retrieveFor(ctx: CallContext, scope: string, model: ModelInfo | undefined, req: RagRequest, query: string): Promise<ScoredChunk[]> {
    const base = { ...req.retrieval };
    const one = async (text: string) => (await this.knowledge.retrieve(ctx, scope, req.knowledgeBaseId, { ...base, text })).chunks;
    if (!req.queryDecomposition || !model) return one(query);
    const res = await this.models.converse(ctx, {
      modelId: model.id,
      messages: [
        {
          role: 'user',
          content: [{ text: `Split this question into at most 3 simpler search queries, one per line, nothing else. If it is already simple, repeat it.\n\nQuestion: ${query}` }],
        },
      ],
      inferenceConfig: { maxTokens: 200, temperature: 0 },
    });
    const subs = res.message.content
      .map((b) => ('text' in b ? b.text : ''))
      .join('')
      .split('\n')
      .map((s) => s.replace(/^\s*(?:\d+[.)]|[-*])\s*/, '').trim())
      .filter((s) => s.length > 2)
      .slice(0, 3);
    if (subs.length <= 1) return one(query);
    const lists = await Promise.all(subs.map(one));
    return fuseReciprocalRank(lists).slice(0, base.numberOfResults);
  }
}

function history(turns: Turn[]): Message[] {
  return turns.flatMap((t): Message[] => [
    { role: 'user', content: [{ text: t.question }] },
    { role: 'assistant', content: [{ text: t.answer }] },
  ]);
}
