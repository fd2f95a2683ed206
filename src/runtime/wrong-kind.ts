import type { ModelInfo, ModelKind } from '../core/index.js';

/** Why a model cannot serve this API, naming the API that does. */
export function wrongKind(model: ModelInfo, wanted: ModelKind): string {
  if (wanted === 'embedding') return `Model ${model.id} is ${model.kind === 'image' ? 'an image' : 'a text'} model and does not produce embeddings.`;
  if (wanted === 'image') return `Model ${model.id} is ${model.kind === 'embedding' ? 'an embedding' : 'a text'} model and does not generate images.`;
  return model.kind === 'embedding'
    ? `Model ${model.id} is an embedding model; call it through the embeddings API (or InvokeModel), not chat.`
    : `Model ${model.id} is an image model; call it through the images API (or InvokeModel), not chat.`;
}
