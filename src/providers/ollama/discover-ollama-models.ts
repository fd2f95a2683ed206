import type { Ollama } from 'ollama';
import type { ModelInfo } from '../../core/index.js';
import { upstreamReturned } from './map-ollama-error.js';
import { ollamaShowSchema, ollamaTagsSchema } from './ollama-schemas.js';

/**
 * Lists the pulled models (`/api/tags`) and asks `/api/show` about each for what the catalog needs: context length,
 * embedding size, and capabilities (tools, vision, embedding). `show` answers are cached by digest, since a model's
 * metadata cannot change without its digest changing.
 */
export async function discoverOllamaModels(client: Ollama, providerId: string, cache: Map<string, ModelInfo>): Promise<ModelInfo[]> {
  const tags = ollamaTagsSchema.safeParse(await client.list());
  if (!tags.success) throw upstreamReturned('a model list without `models`', tags.error);
  return Promise.all(
    tags.data.models.map(async (m) => {
      const key = `${m.name}@${m.digest ?? ''}`;
      const cached = cache.get(key);
      if (cached) return cached;
      const info = toModelInfo(m.name, providerId, await client.show({ model: m.name }).catch(() => undefined));
      cache.set(key, info);
      return info;
    }),
  );
}

function toModelInfo(name: string, providerId: string, showResponse: unknown): ModelInfo {
  const show = ollamaShowSchema.safeParse(showResponse);
  const caps = show.success ? show.data.capabilities : undefined;
  const info = (show.success ? show.data.model_info : undefined) ?? {};
  // Keys are prefixed with the architecture: `llama.context_length`, `qwen3.context_length`, `bert.embedding_length`.
  const arch = typeof info['general.architecture'] === 'string' ? info['general.architecture'] : undefined;
  const num = (key: string) => {
    const v = arch ? info[`${arch}.${key}`] : undefined;
    return typeof v === 'number' ? v : undefined;
  };
  // Older Ollama versions report no capabilities; fall back to the name.
  const embedding = caps ? caps.includes('embedding') && !caps.includes('completion') : /embed/i.test(name);
  return {
    id: name,
    name,
    providerId,
    upstreamModel: name,
    family: 'generic',
    kind: embedding ? 'embedding' : 'text',
    inputModalities: caps?.includes('vision') ? ['TEXT', 'IMAGE'] : ['TEXT'],
    outputModalities: embedding ? ['EMBEDDING'] : ['TEXT'],
    contextWindow: num('context_length'),
    embeddingDimensions: embedding ? num('embedding_length') : undefined,
    runsOn: 'remote',
    supportsTools: embedding ? false : (caps?.includes('tools') ?? true),
    supportsStreaming: !embedding,
  };
}
