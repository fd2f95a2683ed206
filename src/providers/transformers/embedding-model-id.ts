/**
 * `all-MiniLM-L6-v2` → `local.embed.all-minilm-l6-v2`: lowercase, and only characters that are safe in a Bedrock-style
 * model id and inside an ARN.
 */
export function embeddingModelId(folder: string): string {
  const base = folder
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return `local.embed.${base || 'model'}`;
}
