import type { ModelFamily } from '../core/index.js';

/** The family decides InvokeModel's native body format; Bedrock ids name it in their first segment. */
export function inferFamily(id: string): ModelFamily {
  const bare = id.replace(/^(us|eu|apac|global)\./, '');
  if (bare.startsWith('anthropic.')) return 'anthropic';
  if (bare.startsWith('meta.')) return 'meta';
  if (bare.startsWith('amazon.titan-embed')) return 'amazon-titan-embed';
  if (bare.startsWith('amazon.titan-image')) return 'amazon-titan-image';
  if (bare.startsWith('amazon.titan-text') || bare.startsWith('amazon.titan-tg1')) return 'amazon-titan-text';
  if (bare.startsWith('amazon.nova')) return 'amazon-nova';
  if (bare.startsWith('mistral.')) return 'mistral';
  if (bare.startsWith('cohere.')) return 'cohere';
  return 'generic';
}
