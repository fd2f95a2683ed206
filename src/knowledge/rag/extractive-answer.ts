import type { ScoredChunk } from '../vector/vector-store.js';
import type { CitedPart } from './citations.js';

export const EXTRACTIVE_PREFIX = 'No text-generation model is available, so this answer is extractive: the sentences below are quoted from the sources.';

interface Candidate {
  sentence: string;
  source: number;
  lexical: number;
}

/**
 * The answer when there is no model to write one (Kendra's extractive answers): the sentences of the retrieved
 * passages that best support the question, quoted verbatim with a citation each. Sentences are ranked by their
 * embedding similarity to the question plus word overlap, which favours sentences that name what was asked.
 */
export async function extractiveAnswer(
  query: string,
  chunks: ScoredChunk[],
  embed: (texts: string[]) => Promise<Float32Array[]>,
  maxSentences = 3,
): Promise<{ text: string; parts: CitedPart[] }> {
  const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
  const qTerms = terms(query);
  const candidates: Candidate[] = [];
  chunks.forEach((c, source) => {
    for (const s of segmenter.segment(c.text)) {
      const sentence = s.segment.replace(/\s+/g, ' ').trim();
      if (sentence.length < 12 || sentence.length > 600) continue;
      const words = terms(sentence);
      let hits = 0;
      for (const t of qTerms) if (words.has(t)) hits++;
      candidates.push({ sentence, source, lexical: qTerms.size ? hits / qTerms.size : 0 });
    }
  });
  if (!candidates.length) return { text: `${EXTRACTIVE_PREFIX} None of the retrieved passages has a usable sentence.`, parts: [] };
  const pool = candidates.slice(0, 200);
  const [qv, ...sv] = await embed([query, ...pool.map((c) => c.sentence)]);
  const scored = pool.map((c, i) => ({ c, score: cosine(qv!, sv[i]!) + 0.5 * c.lexical }));
  scored.sort((a, b) => b.score - a.score);
  const chosen: Candidate[] = [];
  for (const { c } of scored) {
    if (chosen.length >= maxSentences) break;
    if (!chosen.some((x) => x.sentence === c.sentence)) chosen.push(c);
  }
  let text = EXTRACTIVE_PREFIX;
  const parts: CitedPart[] = [];
  for (const c of chosen) {
    text += ' ';
    const start = text.length;
    text += c.sentence;
    parts.push({ text: c.sentence, span: { start, end: text.length - 1 }, sources: [c.source] });
  }
  return { text, parts };
}

const STOP = new Set('a an and are as at be by for from has have how in is it of on or that the this to was were what when where which who why with'.split(' '));

function terms(s: string): Set<string> {
  return new Set(
    s
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length > 1 && !STOP.has(w)),
  );
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
