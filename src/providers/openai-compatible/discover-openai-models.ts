import type { ModelInfo } from '../../core/index.js';
import type { CallDeadline } from './call-deadline.js';
import { upstreamReturned } from './map-openai-error.js';
import type { OpenAIHttp } from './openai-http.js';
import { openAIModelsResponseSchema } from './openai-schemas.js';

/**
 * Reads `GET /models`. The listing says nothing about capabilities, so a model is taken to be an embedding model
 * when its name says so (`text-embedding-3-small`, `nomic-embed-text`, `bge-m3` …) and a chat model otherwise.
 */
export async function discoverOpenAIModels(http: OpenAIHttp, providerId: string, deadline: CallDeadline): Promise<ModelInfo[]> {
  const text = await http.fetchText('GET', '/models', undefined, deadline);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw upstreamReturned(`a model list that is not JSON: ${text.slice(0, 120)}`, e);
  }
  const parsed = openAIModelsResponseSchema.safeParse(json);
  if (!parsed.success) throw upstreamReturned('a model list without `data`', parsed.error);
  return parsed.data.data.map((m) => {
    const embedding = /embed|bge-|e5-|gte-/i.test(m.id);
    return {
      id: m.id,
      name: m.id,
      providerId,
      upstreamModel: m.id,
      family: 'generic',
      kind: embedding ? 'embedding' : 'text',
      inputModalities: ['TEXT'],
      outputModalities: embedding ? ['EMBEDDING'] : ['TEXT'],
      contextWindow: m.max_model_len ?? undefined,
      runsOn: 'remote',
      supportsTools: !embedding,
      supportsStreaming: !embedding,
    } satisfies ModelInfo;
  });
}
