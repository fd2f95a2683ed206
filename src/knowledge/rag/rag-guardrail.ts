import type { CitedPart } from './citations.js';

type Qualifier = 'grounding_source' | 'query' | 'guard_content';

/**
 * What RetrieveAndGenerate needs of a guardrail: a check of some text blocks, as ApplyGuardrail does. The runtime
 * opens one (found, authorized) through the model port; this domain never imports the runtime or the engine.
 */
export interface RagGuard {
  check(
    source: 'INPUT' | 'OUTPUT',
    content: { text: { text: string; qualifiers?: Qualifier[] } }[],
  ): Promise<{ blocked: boolean; blockedMessage?: string; blocks: { text: string; masked: boolean }[] }>;
}

export type RagGuardrailAction = 'INTERVENED' | 'NONE';

/** The query check: blocked, or the query to search and answer with (masked where it had to be). */
export async function guardQuery(guard: RagGuard, query: string): Promise<{ blocked: string } | { query: string; action: RagGuardrailAction }> {
  const o = await guard.check('INPUT', [{ text: { text: query } }]);
  if (o.blocked) return { blocked: o.blockedMessage ?? '' };
  const masked = o.blocks[0]?.masked === true;
  return { query: masked ? o.blocks[0]!.text : query, action: masked ? 'INTERVENED' : 'NONE' };
}

/**
 * The answer check, with the retrieved passages as `grounding_source` and the query as `query`, so contextual
 * grounding can judge whether the answer is supported by what was retrieved and relevant to what was asked. The answer
 * goes in as segments (each cited part, and the text between parts) so masks keep the citation spans exact.
 */
export async function guardAnswer(
  guard: RagGuard,
  answer: { text: string; parts: CitedPart[] },
  passages: string[],
  query: string,
): Promise<{ blocked: string } | { text: string; parts: CitedPart[]; action: RagGuardrailAction }> {
  const segments: { text: string; part?: number }[] = [];
  let pos = 0;
  answer.parts.forEach((p, i) => {
    if (p.span.start > pos) segments.push({ text: answer.text.slice(pos, p.span.start) });
    segments.push({ text: answer.text.slice(p.span.start, p.span.end + 1), part: i });
    pos = p.span.end + 1;
  });
  if (pos < answer.text.length) segments.push({ text: answer.text.slice(pos) });
  // Whitespace between parts is kept as it is: nothing to judge, and each checked block is a billed text unit.
  const checked = segments.map((s, i) => ({ s, i })).filter(({ s }) => s.text.trim());
  const o = await guard.check('OUTPUT', [
    ...checked.map(({ s }) => ({ text: { text: s.text } })),
    ...passages.map((text) => ({ text: { text, qualifiers: ['grounding_source' as const] } })),
    { text: { text: query, qualifiers: ['query' as const] } },
  ]);
  if (o.blocked) return { blocked: o.blockedMessage ?? '' };
  checked.forEach(({ i }, k) => {
    if (o.blocks[k]?.masked) segments[i] = { ...segments[i]!, text: o.blocks[k]!.text };
  });
  const masked = o.blocks.some((b) => b.masked);
  if (!masked) return { text: answer.text, parts: answer.parts, action: 'NONE' };
  let text = '';
  const parts: CitedPart[] = [];
  for (const s of segments) {
    if (s.part !== undefined && s.text.length) parts.push({ ...answer.parts[s.part]!, text: s.text, span: { start: text.length, end: text.length + s.text.length - 1 } });
    text += s.text;
  }
  return { text, parts, action: 'INTERVENED' };
}
