import type { ModelInfo } from '../../core/index.js';

/**
 * OpenAI's Model object. The catalog keeps no creation date, so `created` is when this server started: stable for a
 * process, and honest about not knowing better.
 */
export function modelObject(m: ModelInfo, created: number) {
  return { id: m.id, object: 'model' as const, created, owned_by: m.providerId };
}
