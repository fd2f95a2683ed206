import type { ScoredChunk } from '../../knowledge/index.js';
import type { AgentCitation } from './agent-events.js';

const MARKER = /\s?\[(\d+(?:\s*,\s*\d+)*)\]/g;

/**
 * The answer without its `[n]` markers, and a citation per sentence that carried some, pointing at the search
 * results by their 1-based numbers in this invocation. Spans are offsets into the cleaned text with an inclusive
 * end, as Bedrock sends them. Numbers that name no result are dropped rather than trusted. A model that used search
 * results but cited none still gets one citation over the whole answer listing them, so the sources are not lost.
 */
export function extractCitations(answer: string, references: readonly ScoredChunk[]): { text: string; citations: AgentCitation[] } {
  if (!references.length) return { text: answer, citations: [] };
  const sentences = answer.match(/[^.!?\n]+[.!?]*[\])"']*\s*|\n+/g) ?? [answer];
  let text = '';
  const citations: AgentCitation[] = [];
  for (const sentence of sentences) {
    const cited = new Set<number>();
    const clean = sentence.replace(MARKER, (_m, list: string) => {
      for (const n of list.split(',')) {
        const i = Number(n.trim()) - 1;
        if (i >= 0 && i < references.length) cited.add(i);
      }
      return '';
    });
    const start = text.length;
    text += clean;
    const part = clean.trimEnd();
    if (cited.size && part.trim()) {
      citations.push({ part: { text: part.trim(), span: { start: start + (part.length - part.trimStart().length), end: start + part.length - 1 } }, references: [...cited].sort((a, b) => a - b).map((i) => references[i]!) });
    }
  }
  if (!citations.length && text.trim()) {
    const lead = text.length - text.trimStart().length;
    const part = text.trim();
    citations.push({ part: { text: part, span: { start: lead, end: lead + part.length - 1 } }, references: [...references] });
  }
  return { text, citations };
}
