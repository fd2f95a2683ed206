import { QuarryError } from '../../core/index.js';
import type { PageSpan } from '../parse/parsed-document.js';
import type { Chunk, EmbedTexts } from './chunk.js';
import { type DocumentTokens, tokenContaining, tokenStartingAtOrAfter } from './document-tokens.js';
import { splitSentences } from './split-sentences.js';
import { splitTokenRange } from './split-token-range.js';
import { toChunk } from './to-chunk.js';

/** Texts per call to the embedder: large enough to batch well, small enough to keep one request reasonable. */
const EMBED_BATCH = 128;

interface Sentence {
  start: number;
  end: number;
  tokenStart: number;
  tokenEnd: number;
}

/**
 * Bedrock's semantic chunking: each sentence is embedded together with `bufferSize` neighbours on each side, and the
 * text is cut between consecutive sentences whose cosine distance is above the `breakpointPercentileThreshold`
 * percentile of all consecutive distances (90 → the 10% least similar pairs are cut). Runs longer than `maxTokens`
 * are packed again sentence by sentence; a single sentence longer than that is cut by tokens first.
 */
export async function chunkSemantic(
  tokens: DocumentTokens,
  pages: readonly PageSpan[] | undefined,
  config: { maxTokens: number; bufferSize: number; breakpointPercentileThreshold: number },
  embed: EmbedTexts,
): Promise<Chunk[]> {
  const sentences = sentencesWithin(tokens, config.maxTokens);
  if (sentences.length === 0) return [];
  const runs: Sentence[][] = [];
  if (sentences.length === 1) runs.push(sentences);
  else {
    const distances = await consecutiveDistances(tokens.text, sentences, config.bufferSize, embed);
    const threshold = percentile(distances, config.breakpointPercentileThreshold);
    let run: Sentence[] = [sentences[0]!];
    for (let i = 1; i < sentences.length; i++) {
      if (distances[i - 1]! > threshold) {
        runs.push(run);
        run = [];
      }
      run.push(sentences[i]!);
    }
    runs.push(run);
  }
  const chunks: Chunk[] = [];
  for (const run of runs) {
    for (const [first, last] of packByTokens(run, config.maxTokens)) {
      const c = toChunk(tokens.text, first.start, last.end, pages);
      if (c) chunks.push(c);
    }
  }
  return chunks;
}

/** Sentences with their token spans; any sentence over `maxTokens` becomes several token windows. */
function sentencesWithin(tokens: DocumentTokens, maxTokens: number): Sentence[] {
  const out: Sentence[] = [];
  for (const s of splitSentences(tokens.text)) {
    const tokenStart = tokenContaining(tokens, s.start);
    const tokenEnd = Math.max(tokenStart + 1, tokenStartingAtOrAfter(tokens, s.end));
    if (tokenEnd - tokenStart <= maxTokens) {
      out.push({ ...s, tokenStart, tokenEnd });
      continue;
    }
    for (const w of splitTokenRange(tokens, tokenStart, tokenEnd, maxTokens)) {
      const start = Math.max(s.start, tokens.starts[w.start]!);
      const end = Math.min(s.end, tokens.starts[w.end]!);
      if (end > start) out.push({ start, end, tokenStart: w.start, tokenEnd: w.end });
    }
  }
  return out;
}

/** Greedy runs of whole sentences whose token span stays within `maxTokens`, as [first, last] pairs. */
function packByTokens(run: Sentence[], maxTokens: number): Array<[Sentence, Sentence]> {
  const out: Array<[Sentence, Sentence]> = [];
  let first = run[0]!;
  let last = first;
  for (let i = 1; i < run.length; i++) {
    const s = run[i]!;
    if (s.tokenEnd - first.tokenStart > maxTokens) {
      out.push([first, last]);
      first = s;
    }
    last = s;
  }
  out.push([first, last]);
  return out;
}

async function consecutiveDistances(text: string, sentences: Sentence[], buffer: number, embed: EmbedTexts): Promise<number[]> {
  const n = sentences.length;
  const groups = sentences.map((_, i) => text.slice(sentences[Math.max(0, i - buffer)]!.start, sentences[Math.min(n - 1, i + buffer)]!.end));
  const vectors: Float32Array[] = [];
  for (let i = 0; i < n; i += EMBED_BATCH) {
    const batch = groups.slice(i, i + EMBED_BATCH);
    const got = await embed(batch);
    if (!Array.isArray(got) || got.length !== batch.length) {
      throw new QuarryError('ModelErrorException', `The embedder returned ${Array.isArray(got) ? got.length : 'no'} vectors for ${batch.length} sentences`);
    }
    vectors.push(...got);
  }
  const dim = vectors[0]!.length;
  const distances = new Array<number>(n - 1);
  for (let i = 0; i + 1 < n; i++) {
    const a = vectors[i]!;
    const b = vectors[i + 1]!;
    if (a.length !== dim || b.length !== dim || dim === 0) {
      throw new QuarryError('ModelErrorException', `The embedder returned vectors of different lengths (${a.length}, ${b.length})`);
    }
    distances[i] = 1 - cosine(a, b);
  }
  return distances;
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
  // A zero vector (or NaN from a broken embedder) is taken as unrelated to its neighbour.
  const sim = dot / Math.sqrt(na * nb);
  return Number.isFinite(sim) ? sim : 0;
}

/** The p-th percentile with linear interpolation between ranks (numpy's default). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}
