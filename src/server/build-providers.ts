import type { Logger, Modality, ModelFamily, ModelInfo, ModelKind, ModelProvider, Pricing, ProviderFactory, ProviderSettings } from '../core/index.js';
import { inferFamily } from '../models/index.js';
import { PROVIDER_TYPES } from '../providers/registry.js';
import type { ModelEntry, ProviderEntry, QuarryConfig } from './config.js';

export interface BuildProvidersOptions {
  config: QuarryConfig;
  dataDir: string;
  log: Logger;
  /** Provider types beyond the registry; tests inject the scripted provider this way. */
  extraTypes?: Record<string, ProviderFactory>;
  /** The zero-configuration providers: local GGUF files, the embedded embedding model, Ollama if it answers. */
  autoProviders?: boolean;
}

const LOCAL_TYPES = new Set(['llama', 'embedded', 'transformers', 'scripted']);

function toModelInfo(m: ModelEntry, p: ProviderEntry): ModelInfo {
  const family = m.family ?? inferFamily(m.id);
  const kind = m.kind ?? kindOf(m.id, family);
  return {
    id: m.id,
    name: m.name ?? m.id,
    providerId: p.id,
    upstreamModel: m.upstreamModel ?? m.id,
    family,
    kind,
    inputModalities: kind === 'text' ? ['TEXT', 'IMAGE', 'DOCUMENT'] : ['TEXT'],
    outputModalities: [OUTPUT_MODALITY[kind]],
    contextWindow: m.contextWindow,
    maxOutputTokens: m.maxOutputTokens,
    embeddingDimensions: m.embeddingDimensions,
    pricing: pricingOf(m.pricing),
    runsOn: LOCAL_TYPES.has(p.type) ? 'local' : 'remote',
    supportsTools: m.supportsTools ?? kind === 'text',
    supportsStreaming: kind === 'text',
  };
}

const OUTPUT_MODALITY: Record<ModelKind, Modality> = { text: 'TEXT', embedding: 'EMBEDDING', image: 'IMAGE' };

/** Bedrock's ids say what a model does; any other id is a text model unless configuration says otherwise. */
function kindOf(id: string, family: ModelFamily): ModelKind {
  if (family === 'amazon-titan-image') return 'image';
  return family === 'amazon-titan-embed' || /embed/i.test(id) ? 'embedding' : 'text';
}

/** An image model priced only by the image has no token prices: those are zero, not unknown. */
function pricingOf(p: ModelEntry['pricing']): Pricing | undefined {
  if (!p) return undefined;
  return { inputPer1k: p.inputPer1k ?? 0, outputPer1k: p.outputPer1k ?? 0, ...(p.imagePerImage !== undefined ? { imagePerImage: p.imagePerImage } : {}) };
}

async function factoryFor(type: string, extra: Record<string, ProviderFactory> | undefined): Promise<ProviderFactory> {
  const f = extra?.[type];
  if (f) return f;
  const load = PROVIDER_TYPES[type];
  if (!load) throw new Error(`Unknown provider type "${type}". Known types: ${[...Object.keys(PROVIDER_TYPES), ...Object.keys(extra ?? {})].join(', ')}.`);
  return load();
}

/** Configured providers first (they win id clashes in the catalog), then the zero-configuration ones. */
export async function buildProviders(opts: BuildProvidersOptions): Promise<ModelProvider[]> {
  const { config, dataDir } = opts;
  const providers: ModelProvider[] = [];
  for (const entry of config.providers) {
    const { id, type, baseUrl, apiKey, region, timeoutMs, ...options } = entry;
    const settings: ProviderSettings = {
      id,
      type,
      baseUrl,
      apiKey,
      region: region ?? config.region,
      models: config.models.filter((m) => m.provider === id).map((m) => toModelInfo(m, entry)),
      options,
      dataDir,
      timeoutMs: timeoutMs ?? config.limits.invocationTimeoutMs,
    };
    providers.push((await factoryFor(type, opts.extraTypes))(settings));
  }
  if (opts.autoProviders === false) return providers;
  const configuredTypes = new Set(config.providers.map((p) => p.type));
  const auto = async (type: string, id: string, baseUrl?: string) => {
    if (configuredTypes.has(type) || !PROVIDER_TYPES[type]) return;
    try {
      const factory = await factoryFor(type, opts.extraTypes);
      providers.push(factory({ id, type, baseUrl, models: [], options: {}, dataDir, region: config.region, timeoutMs: config.limits.invocationTimeoutMs }));
    } catch (e) {
      opts.log.warn({ err: e, type }, `the ${type} provider is unavailable`);
    }
  };
  await auto('llama', 'local');
  await auto('embedded', 'embedded');
  await auto('transformers', 'local-embeddings');
  if (config.ollama.autoDetect && PROVIDER_TYPES.ollama && !configuredTypes.has('ollama')) {
    const { probeOllama } = (await import('../providers/ollama/index.js')) as { probeOllama?: (u: string, t: number) => Promise<boolean> };
    if (probeOllama && (await probeOllama(config.ollama.baseUrl, 300).catch(() => false))) await auto('ollama', 'ollama', config.ollama.baseUrl);
  }
  return providers;
}
