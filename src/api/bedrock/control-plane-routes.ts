import { Hono } from 'hono';
import type { ModelInfo } from '../../core/index.js';
import { modelArn } from '../../models/index.js';
import type { ApiDeps, ApiEnv } from '../shared/api-env.js';
import { authorizeRequest, modelResource } from '../shared/authorize-request.js';

/** The read side of the Bedrock control plane (`@aws-sdk/client-bedrock`): ListFoundationModels, GetFoundationModel. */
export function bedrockControlRoutes(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get('/foundation-models', async (c) => {
    await authorizeRequest(c, 'bedrock:ListFoundationModels', '*');
    const q = c.req.query();
    let models = await deps.runtime.listModels();
    if (q.byProvider) models = models.filter((m) => providerName(m).toLowerCase() === q.byProvider!.toLowerCase());
    if (q.byOutputModality) models = models.filter((m) => m.outputModalities.includes(q.byOutputModality as ModelInfo['outputModalities'][number]));
    // Nothing here is fine-tunable or provisioned (yet): those filters select no model, as Bedrock's do for such models.
    if ((q.byInferenceType && q.byInferenceType !== 'ON_DEMAND') || q.byCustomizationType) models = [];
    return c.json({ modelSummaries: models.map((m) => summary(deps.region, m)) });
  });

  app.get('/foundation-models/:modelIdentifier', async (c) => {
    const requested = c.req.param('modelIdentifier');
    const found = await deps.runtime.resolveModel(requested).then(
      (r) => r.model,
      (e: unknown) => ({ missing: e }),
    );
    // Decided before a missing model is reported, as AWS does: a caller who may not read models learns nothing of
    // which exist, and the call is audited under its action whichever way it ends.
    await authorizeRequest(c, 'bedrock:GetFoundationModel', modelResource(deps.region, 'missing' in found ? requested : found.id));
    if ('missing' in found) throw found.missing;
    return c.json({ modelDetails: summary(deps.region, found) });
  });

  return app;
}

// Bedrock's display names for the vendors its ids start with; other prefixes are shown as they are.
const VENDOR: Record<string, string> = {
  anthropic: 'Anthropic',
  meta: 'Meta',
  amazon: 'Amazon',
  mistral: 'Mistral AI',
  cohere: 'Cohere',
  ai21: 'AI21 Labs',
  deepseek: 'DeepSeek',
  openai: 'OpenAI',
  qwen: 'Qwen',
  stability: 'Stability AI',
  writer: 'Writer',
  quarry: 'Quarry',
  local: 'Local',
};

/** Bedrock names the vendor (Anthropic, Meta …) from the id's first segment; for our own models the provider is the vendor. */
function providerName(m: ModelInfo): string {
  const prefix = m.id.includes('.') ? m.id.split('.')[0]! : m.providerId;
  return VENDOR[prefix] ?? prefix;
}

function summary(region: string, m: ModelInfo) {
  return {
    modelArn: modelArn(region, m.id),
    modelId: m.id,
    modelName: m.name,
    providerName: providerName(m),
    inputModalities: m.inputModalities,
    outputModalities: m.outputModalities,
    responseStreamingSupported: m.supportsStreaming,
    customizationsSupported: [],
    inferenceTypesSupported: ['ON_DEMAND'],
    modelLifecycle: { status: 'ACTIVE' },
  };
}
