import type { ScoredChunk } from '../vector/vector-store.js';

/**
 * Bedrock's knowledge-base prompt placeholders: `$search_results$` (required), `$query$`, `$output_format_instructions$`.
 * Sources are numbered so the model can cite them as [1], [2]; citations.ts turns those markers into Bedrock citations.
 */
export const DEFAULT_RAG_TEMPLATE = `You are a question answering agent. Answer the user's question using only the information in the search results below. If the search results do not contain the answer, say that you could not find it; do not make one up.

Search results:
$search_results$

$output_format_instructions$

Question: $query$`;

export const OUTPUT_FORMAT_INSTRUCTIONS =
  'After each sentence that uses a search result, cite it with its number in square brackets, for example [1] or [2][3]. Do not list the sources at the end.';

export function renderSearchResults(chunks: ScoredChunk[]): string {
  return chunks.map((c, i) => `[${i + 1}] (source: ${c.location.uri}${c.location.pageNumber ? `, page ${c.location.pageNumber}` : ''})\n${c.text.trim()}`).join('\n\n');
}

export function renderPrompt(template: string, query: string, chunks: ScoredChunk[]): string {
  const results = renderSearchResults(chunks);
  // Function replacements: a `$&` or `$1` inside a document or question must stay literal text.
  return template
    .replaceAll('$search_results$', () => results)
    .replaceAll('$output_format_instructions$', () => OUTPUT_FORMAT_INSTRUCTIONS)
    .replaceAll('$query$', () => query);
}
