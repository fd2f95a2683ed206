import { type ConverseRequest, QuarryError, textOf } from '../core/index.js';
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
  /** The passages the turn was grounded in, when the chatbot has a knowledge base. */
  citations: { text: string; source?: string }[];
}

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
  let citations: { text: string; source?: string }[] = [];
  let grounding = '';
  if (w.knowledgeBaseId) {
    if (!deps.knowledge) throw new QuarryError('ValidationException', `Chatbot "${w.name}" uses a knowledge base, and this server has none.`);
    citations = await deps.knowledge(ctx, app.accountId, w.knowledgeBaseId, turn.messages.at(-1)!.text, PASSAGES);
    grounding = citations.length
      ? `\n\nAnswer from these passages of the knowledge base; if they do not hold the answer, say so.\n${citations.map((c, i) => `<passage id="${i + 1}">${c.text}</passage>`).join('\n')}`
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
  return {
    message: { role: 'assistant', text: textOf(r.message.content) },
    modelId: r.model.id,
    usage: { inputTokens: r.usage.inputTokens, outputTokens: r.usage.outputTokens, totalTokens: r.usage.totalTokens },
    latencyMs: r.latencyMs,
    costUsd: deps.costOf?.(r.model, r.usage) ?? 0,
    citations,
  };
}
