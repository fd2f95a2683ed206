/**
 * `Llama-3.2-1B-Instruct-Q4_K_M.gguf` → `local.llama-3.2-1b-instruct-q4-k-m`: lowercase, and only characters that are
 * safe in a Bedrock-style model id and inside an ARN.
 */
export function localModelId(fileName: string): string {
  const base = fileName
    .replace(/\.gguf$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return `local.${base || 'model'}`;
}
