import type { Logger } from '../core/index.js';
import { type EmbedTexts, GuardrailModule } from '../guardrails/index.js';
import type { Principal } from '../iam/index.js';
import type { ModelCatalog } from '../models/index.js';
import { USE_MODEL_ID } from '../providers/embedded/index.js';
import type { Runtime } from '../runtime/index.js';
import type { Store } from '../store/index.js';

/** Who the guardrails' own embedding calls are metered to: the engine's work, not the caller's model use. */
const GUARDRAIL_PRINCIPAL: Principal = { id: 'system:guardrails', name: 'guardrails', keyId: '-', isAdmin: true, authMethod: 'bearer' };

/**
 * Guardrails for this server. Denied topics and contextual grounding use the embedded Universal Sentence Encoder
 * through the runtime when the catalog has it (a zero-configuration server does); without it they are lexical only.
 * The store must already be migrated with guardrailMigrations.
 */
export async function buildGuardrails(opts: {
  store: Store;
  /** Late-bound, so the module can be built before the runtime that will enforce its guardrails. */
  runtime: () => Pick<Runtime, 'embed'>;
  catalog: ModelCatalog;
  region: string;
  log: Logger;
}): Promise<GuardrailModule> {
  const models = await opts.catalog.list();
  let embed: EmbedTexts | undefined;
  if (models.some((m) => m.id === USE_MODEL_ID)) {
    embed = async (texts) => {
      const ctx = { requestId: 'guardrails', principal: GUARDRAIL_PRINCIPAL, api: 'guardrails.embed', signal: new AbortController().signal, log: opts.log };
      return (await opts.runtime().embed(ctx, { modelId: USE_MODEL_ID, inputs: texts, normalize: true })).embeddings;
    };
  }
  return new GuardrailModule({ db: opts.store.db, region: opts.region, embed });
}
