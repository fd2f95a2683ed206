import { type ConverseRequest, QuarryError, textOf } from '../core/index.js';
import { extractCitations } from '../knowledge/index.js';
import type { AppCallContext, AppCostOf, AppKnowledgeSearch, AppModelPort } from './app-model-port.js';
import type { AppRecord } from './app-repository.js';
import type { ChatbotWidget, ChatTurnInput } from './app-schemas.js';

/** Passages a grounded turn puts before the model: enough to answer from, few enough to leave room for the chat. */
const PASSAGES = 5;

export interface ChatReply {
  message: { role: 'assistant'; text: string };
  modelId: string;
  usage: { inputTokens: number; outputTokens: number; totalTokens: number };
  latencyMs: number;
  costUsd: number;
  /** The passages the answer cites with [n] markers (removed from the text), best-ranked first; none when it cites none. */
  citations: Passage[];
  /** Every passage the knowledge base gave the model for this turn, best first, cited or not. */
  passages: Passage[];
}

interface Passage {
  text: string;
  source?: string;
}

/**
 * Why citations follow the answer's own [n] markers rather than a relevance floor on retrieval: retrieval always
 * returns its top k, and no score separates "about the question" from "not" across knowledge bases. Hybrid scores are
 * reciprocal-rank fusions (ranks, so the 5th passage of an unanswerable question scores as the 5th of a good one);
 * cosine similarity sits on a different scale for each embedding model, so a floor tuned on one encoder drops good
 * passages or keeps bad ones under another. Only the answer knows which passages it used, and RetrieveAndGenerate
 * already turns [n] markers into citations (extractCitations), so the chatbot asks for them the same way.
 */
const CITE = 'After each sentence that uses a passage, cite it with its id in square brackets, for example [1] or [2][3]; cite nothing you did not use, and do not list the sources at the end.';

export interface AppChatDeps {
  models: AppModelPort;
  costOf?: AppCostOf;
  knowledge?: AppKnowledgeSearch;
}

export function chatbotOf(app: AppRecord, name: string): ChatbotWidget {
  const w = app.widgets.find((x) => x.name === name);
  if (!w || w.type !== 'chatbot') throw new QuarryError('ResourceNotFoundException', `App ${app.id} has no chatbot named "${name.slice(0, 64)}".`);
  return w;
}

/**
 * One turn of a chatbot widget: the whole conversation comes with each request (the server keeps none), the model is
 * called through the runtime as the caller, and with a knowledge base the user's latest message is searched first and
 * the passages found are given to the model as the only facts to answer from.
 */
export async function chatTurn(deps: AppChatDeps, ctx: AppCallContext, app: AppRecord, w: ChatbotWidget, turn: ChatTurnInput): Promise<ChatReply> {
  let passages: Passage[] = [];
  let grounding = '';
  if (w.knowledgeBaseId) {
    if (!deps.knowledge) throw new QuarryError('ValidationException', `Chatbot "${w.name}" uses a knowledge base, and this server has none.`);
    passages = await deps.knowledge(ctx, app.accountId, w.knowledgeBaseId, turn.messages.at(-1)!.text, PASSAGES);
    grounding = passages.length
      ? `\n\nAnswer from these passages of the knowledge base; if they do not hold the answer, say so. ${CITE}\n${passages.map((c, i) => `<passage id="${i + 1}">${c.text}</passage>`).join('\n')}`
      : '\n\nThe knowledge base has nothing on this question; say so rather than guess.';
  }
  const system = `${w.system ?? ''}${grounding}`.trim();
  const req: ConverseRequest = {
    modelId: w.modelId,
    messages: turn.messages.map((m) => ({ role: m.role, content: [{ text: m.text }] })),
    ...(system ? { system: [{ text: system }] } : {}),
    ...(w.inferenceConfig ? { inferenceConfig: w.inferenceConfig } : {}),
    ...(app.guardrail ? { guardrail: { identifier: app.guardrail.guardrailIdentifier, version: app.guardrail.guardrailVersion, trace: 'disabled' as const } } : {}),
  };
  const r = await deps.models.converse(ctx, req);
  const raw = textOf(r.message.content);
  // Without passages there is nothing to cite, and a "[1]" in the answer is the model's own text.
  const answer = passages.length ? extractCitations(raw, passages.length) : { text: raw, parts: [] };
  const cited = new Set(answer.parts.flatMap((p) => p.sources));
  return {
    message: { role: 'assistant', text: answer.text },
    modelId: r.model.id,
    usage: { inputTokens: r.usage.inputTokens, outputTokens: r.usage.outputTokens, totalTokens: r.usage.totalTokens },
    latencyMs: r.latencyMs,
    costUsd: deps.costOf?.(r.model, r.usage) ?? 0,
    citations: passages.filter((_, i) => cited.has(i)),
    passages,
  };
}
