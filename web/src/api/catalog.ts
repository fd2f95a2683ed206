import type { Pricing } from '../lib/format';
import type { ApiClient } from './api-client';
import { ApiError } from './api-error';

export type ModelKind = 'text' | 'embedding' | 'image' | 'other';

/** One model as the console shows it: Bedrock's summary, OpenAI's listing and the server's catalog details merged. */
export interface CatalogModel {
  id: string;
  arn: string | undefined;
  name: string;
  /** The vendor, as Bedrock names it (Anthropic, Meta, …). */
  provider: string;
  /** The provider instance of this server that serves it (OpenAI's `owned_by`). */
  servedBy: string | undefined;
  kind: ModelKind;
  inputModalities: string[];
  outputModalities: string[];
  streaming: boolean;
  contextWindow: number | undefined;
  maxOutputTokens: number | undefined;
  embeddingDimensions: number | undefined;
  pricing: Pricing | undefined;
  runsOn: 'local' | 'remote' | undefined;
  supportsTools: boolean | undefined;
}

interface FoundationModelSummary {
  modelId: string;
  modelArn?: string;
  modelName?: string;
  providerName?: string;
  inputModalities?: string[];
  outputModalities?: string[];
  responseStreamingSupported?: boolean;
}

interface OpenAiModel {
  id: string;
  owned_by?: string;
}

/** What `GET /quarry/models` adds: the catalog facts neither Bedrock's nor OpenAI's listing carries. */
interface ModelDetails {
  id: string;
  kind?: 'text' | 'embedding' | 'image';
  contextWindow?: number;
  maxOutputTokens?: number;
  embeddingDimensions?: number;
  pricing?: Pricing;
  runsOn?: 'local' | 'remote';
  supportsTools?: boolean;
}

function kindOf(outputs: string[], details: ModelDetails | undefined): ModelKind {
  if (details?.kind) return details.kind;
  if (outputs.includes('TEXT')) return 'text';
  if (outputs.includes('EMBEDDING')) return 'embedding';
  if (outputs.includes('IMAGE')) return 'image';
  return 'other';
}

/** Every model the server offers, text models first, then by provider and id. */
export async function loadCatalog(api: ApiClient, signal?: AbortSignal): Promise<CatalogModel[]> {
  const [bedrock, openai, details] = await Promise.all([
    api.json<{ modelSummaries: FoundationModelSummary[] }>('/foundation-models', { signal }),
    api.json<{ data: OpenAiModel[] }>('/v1/models', { signal }),
    // A server without the details route (or a key not allowed it) still gets what the standard listings carry.
    api.json<{ models: ModelDetails[] }>('/quarry/models', { signal }).catch((e: unknown) => {
      if (e instanceof ApiError && (e.status === 404 || e.code === 'AccessDeniedException')) return { models: [] as ModelDetails[] };
      throw e;
    }),
  ]);
  const owners = new Map(openai.data.map((m) => [m.id, m.owned_by]));
  const extra = new Map(details.models.map((m) => [m.id, m]));
  const out: CatalogModel[] = bedrock.modelSummaries.map((s) => {
    const d = extra.get(s.modelId);
    const outputs = s.outputModalities ?? [];
    return {
      id: s.modelId,
      arn: s.modelArn,
      name: s.modelName ?? s.modelId,
      provider: s.providerName ?? 'unknown',
      servedBy: owners.get(s.modelId),
      kind: kindOf(outputs, d),
      inputModalities: s.inputModalities ?? [],
      outputModalities: outputs,
      streaming: s.responseStreamingSupported ?? false,
      contextWindow: d?.contextWindow,
      maxOutputTokens: d?.maxOutputTokens,
      embeddingDimensions: d?.embeddingDimensions,
      pricing: d?.pricing,
      runsOn: d?.runsOn,
      supportsTools: d?.supportsTools,
    };
  });
  // A model only OpenAI's listing names is still worth showing (and using), with what little is known of it.
  const seen = new Set(out.map((m) => m.id));
  for (const m of openai.data) {
    if (seen.has(m.id)) continue;
    const d = extra.get(m.id);
    out.push({
      id: m.id,
      arn: undefined,
      name: m.id,
      provider: m.owned_by ?? 'unknown',
      servedBy: m.owned_by,
      kind: d?.kind ?? 'other',
      inputModalities: [],
      outputModalities: [],
      streaming: false,
      contextWindow: d?.contextWindow,
      maxOutputTokens: d?.maxOutputTokens,
      embeddingDimensions: d?.embeddingDimensions,
      pricing: d?.pricing,
      runsOn: d?.runsOn,
      supportsTools: d?.supportsTools,
    });
  }
  const rank: Record<ModelKind, number> = { text: 0, image: 1, embedding: 2, other: 3 };
  return out.sort((a, b) => rank[a.kind] - rank[b.kind] || a.provider.localeCompare(b.provider) || a.id.localeCompare(b.id));
}
