import { type Logger, textOf } from '../core/index.js';
import { calibratedEmbedder, type EmbedTexts, type GuardrailJudge, GuardrailModule } from '../guardrails/index.js';
import type { Principal } from '../iam/index.js';
import type { ModelCatalog } from '../models/index.js';
import { STATIC_MODEL_ID, staticEmbedder, USE_MODEL_ID } from '../providers/embedded/index.js';
import type { Runtime } from '../runtime/index.js';
import type { Store } from '../store/index.js';
import type { QuarryConfig } from './config.js';

/** Who the guardrails' own model calls (embeddings, the judge) are metered to: the engine's work, not the caller's model use. */
const GUARDRAIL_PRINCIPAL: Principal = { id: 'system:guardrails', name: 'guardrails', keyId: '-', isAdmin: true, authMethod: 'bearer' };

/**
 * Guardrails for this server. Denied topics and contextual grounding compare text by embeddings: by default the static
 * table distilled from the embedded Universal Sentence Encoder, in-process (a check must cost milliseconds, and the
 * encoder costs about a second of CPU per KB); `guardrails.embeddingModelId` names any other catalog model, called
 * through the runtime. Without a usable model they are lexical only.
 * With `guardrails.judge` configured, policies of tier STANDARD are judged by that model, called through the runtime
 * like any other invocation (so any provider, routing and metering apply). The store must already be migrated with
 * guardrailMigrations.
 */
export async function buildGuardrails(opts: {
  store: Store;
  /** Late-bound, so the module can be built before the runtime that will enforce its guardrails. */
  runtime: () => Pick<Runtime, 'embed' | 'converse'>;
  catalog: ModelCatalog;
  region: string;
  log: Logger;
  judge?: NonNullable<QuarryConfig['guardrails']['judge']>;
  embeddingModelId?: string;
}): Promise<GuardrailModule> {
  const models = await opts.catalog.list();
  const context = (api: string, signal: AbortSignal) => ({ requestId: 'guardrails', principal: GUARDRAIL_PRINCIPAL, api, signal, log: opts.log });
  let embed: EmbedTexts | undefined;
  const embeddingModelId = opts.embeddingModelId ?? STATIC_MODEL_ID;
  if (embeddingModelId === STATIC_MODEL_ID) {
    try {
      embed = staticEmbedder();
    } catch (e) {
      opts.log.warn({ err: e }, 'the static embedding table did not load; denied topics and grounding are lexical only');
    }
  } else {
    // Not refused at start, like the judge: a model behind Ollama or an upstream may come later; a check that needs it fails until then.
    if (!models.some((m) => m.id === embeddingModelId)) opts.log.warn({ modelId: embeddingModelId }, 'guardrails.embeddingModelId is not in the model catalog (yet)');
    const viaRuntime: EmbedTexts = async (texts) =>
      (await opts.runtime().embed(context('guardrails.embed', new AbortController().signal), { modelId: embeddingModelId, inputs: texts, normalize: true })).embeddings;
    // The policies' similarity floors are in the encoder's cosine scale: the encoder itself needs no mapping, any
    // other model gets its line fitted on first use.
    embed = embeddingModelId === USE_MODEL_ID ? viaRuntime : calibratedEmbedder(viaRuntime, embeddingModelId, opts.log);
  }
  let judge: GuardrailJudge | undefined;
  if (opts.judge) {
    const { modelId, ...bounds } = opts.judge;
    // Not refused at start: a model behind Ollama or an upstream may come later. Each check that needs it says so.
    if (!models.some((m) => m.id === modelId)) opts.log.warn({ modelId }, 'guardrails.judge.modelId is not in the model catalog (yet); STANDARD-tier checks fail until it is');
    judge = {
      modelId,
      ...bounds,
      model: async (call) => {
        const result = await opts.runtime().converse(context('guardrails.judge', call.signal), {
          modelId,
          ...(call.system ? { system: [{ text: call.system }] } : {}),
          messages: call.messages.map((m) => ({ role: m.role, content: [{ text: m.text }] })),
          inferenceConfig: { maxTokens: call.maxTokens, temperature: 0 },
          ...(call.jsonSchema ? { jsonSchema: call.jsonSchema } : {}),
        });
        return textOf(result.message.content);
      },
    };
  }
  return new GuardrailModule({ db: opts.store.db, region: opts.region, embed, judge });
}
