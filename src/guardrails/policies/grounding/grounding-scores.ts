import { validation } from '../../../core/errors.js';
import { type ContentTerm, contentTerms } from '../text/content-terms.js';
import { cosine, type EmbedTexts, embedInBatches, encoderCosine, similarityScore } from '../text/embed-texts.js';
import { keyPrefix } from '../text/key-prefix.js';
import { sentenceSpans } from '../text/sentence-spans.js';
import { PARTIAL, PREFIX, SourceIndex } from './source-index.js';

export interface GroundingInput {
  /** The reference text the answer should rest on (Bedrock's `grounding_source` qualifier). */
  source: string;
  /** The user's question (`query` qualifier). */
  query: string;
  /** The model's answer (`guard_content`). */
  response: string;
}

/** How well one sentence of the response is supported by the source. */
export interface ClaimSupport {
  start: number;
  end: number;
  text: string;
  /** 0–1, after penalties. */
  support: number;
  lexical: number;
  semantic?: number;
  /** Figures and names the claim states that appear in neither the source nor the query. */
  unsupportedNumbers: string[];
  unsupportedNames: string[];
}

export interface GroundingScores {
  /** 0–1: how much of what the response claims the source supports. */
  grounding: number;
  /** 0–1: how well the response addresses the query. */
  relevance: number;
  claims: ClaimSupport[];
}

/**
 * A claim rests mostly on its figures and names: a wrong number is a hallucination even if every other word is in
 * the source. So they weigh more, and each one the source lacks cuts the claim's support hard.
 */
const WEIGHT = { number: 3, name: 2, word: 1 } as const;
const MISSING_NUMBER = 0.3;
const MISSING_NAME = 0.6;
/** Embedding cosines that map to 0 and 1 (measured for the embedded Universal Sentence Encoder). */
const CLAIM_SIMILARITY = { floor: 0.3, ceiling: 0.8 };
const ANSWER_SIMILARITY = { floor: 0.1, ceiling: 0.6 };
/** With at most this many source windows every one is embedded; beyond it, each claim's best few by vocabulary. */
const EMBED_ALL_WINDOWS = 24;
const CANDIDATES_PER_CLAIM = 3;

const weight = (t: ContentTerm): number => (t.kind === 'number' && isDigits(t) ? WEIGHT.number : t.kind === 'name' ? WEIGHT.name : WEIGHT.word);
const isDigits = (t: ContentTerm): boolean => t.text.charCodeAt(0) >= 0x30 && t.text.charCodeAt(0) <= 0x39;

/**
 * Bedrock's contextual grounding scores, offline. Grounding: each response sentence with content is a claim, scored
 * by the share of its (weighted) content words found in the best three-sentence window of the source and in the
 * source at all, blended with embedding similarity to the closest windows when `embed` is given, and cut for every
 * number or name the source and query lack; the response's grounding is half the weighted mean and half the weakest
 * claim, so one invented figure drags it down. Relevance: the query's content words the response repeats, or the
 * response's overlap with the source passage that answers the query ("Paris." to "What is the capital of France?"),
 * blended with query–response embedding similarity.
 */
export async function groundingScores(input: GroundingInput, embed?: EmbedTexts): Promise<GroundingScores> {
  for (const key of ['source', 'query', 'response'] as const) {
    if (typeof input?.[key] !== 'string') throw validation(`Contextual grounding needs ${key} text (a string).`);
  }
  const { source, query, response } = input;
  const index = new SourceIndex(source);
  const queryTerms = contentTerms(query);
  const queryKeys = new Set(queryTerms.map((t) => t.key));

  const responseTerms = contentTerms(response);
  const claims = termsBySpan(responseTerms, sentenceSpans(response))
    .map(({ span: [start, end], terms }) => ({ start, end, terms }))
    .filter((c) => c.terms.length > 0)
    .map((c) => {
      const total = c.terms.reduce((n, t) => n + weight(t), 0);
      const scores = index.windowScores(c.terms, weight);
      let best = -1;
      let bestScore = 0;
      for (const [w, s] of scores) if (s > bestScore) [best, bestScore] = [w, s];
      const global = c.terms.reduce((n, t) => n + weight(t) * index.presence(t), 0) / total;
      const lexical = 0.7 * (bestScore / total) + 0.3 * global;
      const candidates = embed ? topWindows(scores, CANDIDATES_PER_CLAIM) : [];
      const unsupportedNumbers = c.terms.filter((t) => t.kind === 'number' && isDigits(t) && !index.presence(t) && !queryKeys.has(t.key)).map((t) => t.text);
      const unsupportedNames = c.terms.filter((t) => t.kind === 'name' && !index.presence(t) && !queryKeys.has(t.key)).map((t) => t.text);
      // Spelt out, not `{ ...c, total, … }`: once warm, V8 (Node 20) gives every object a spread-plus-new-properties
      // literal makes a map of its own, and with those the claims outlived scavenges and were promoted (grounding
      // checks: 3 MB promoted per 16 MB scavenge, spelt out 10 KB), which made each scavenge cost milliseconds.
      return { start: c.start, end: c.end, terms: c.terms, total, lexical, best, candidates, unsupportedNumbers, unsupportedNames };
    });

  let claimSemantic: number[] | undefined;
  let answerSemantic: number | undefined;
  if (embed && response.trim() && (claims.length > 0 || query.trim())) {
    const windows = new Set<number>();
    if (index.windowCount <= EMBED_ALL_WINDOWS) for (let w = 0; w < index.windowCount; w++) windows.add(w);
    else for (const c of claims) for (const w of c.candidates) windows.add(w);
    const windowList = [...windows];
    // In order: the claims, the source windows, then the query and the whole response when there is a query.
    let vectors: ArrayLike<number>[];
    if (embed.spans) {
      // A pooling embedder reads the response and the source once each, whatever their spans.
      const [ofResponse, ofSource, ofQuery] = await Promise.all([
        embed.spans(response, [...claims.map((c): [number, number] => [c.start, c.end]), [0, response.length]]),
        embed.spans(source, windowList.map((w) => index.window(w))),
        query.trim() ? embed([query]) : Promise.resolve([]),
      ]);
      vectors = [...ofResponse.slice(0, claims.length), ...ofSource, ...(query.trim() ? [ofQuery[0]!, ofResponse[claims.length]!] : [])];
    } else {
      const texts = [
        ...claims.map((c) => response.slice(c.start, c.end)),
        ...windowList.map((w) => source.slice(...index.window(w))),
        ...(query.trim() ? [query, response] : []),
      ];
      vectors = await embedInBatches(embed, texts);
    }
    const windowVector = new Map(windowList.map((w, i) => [w, vectors[claims.length + i]!]));
    claimSemantic = claims.map((c, i) => {
      const own = index.windowCount <= EMBED_ALL_WINDOWS ? windowList : c.candidates;
      let cos = 0;
      for (const w of own) cos = Math.max(cos, cosine(vectors[i]!, windowVector.get(w)!));
      return similarityScore(encoderCosine(embed, cos), CLAIM_SIMILARITY.floor, CLAIM_SIMILARITY.ceiling);
    });
    if (query.trim()) {
      const at = claims.length + windowList.length;
      answerSemantic = similarityScore(encoderCosine(embed, cosine(vectors[at]!, vectors[at + 1]!)), ANSWER_SIMILARITY.floor, ANSWER_SIMILARITY.ceiling);
    }
  }

  const supports: ClaimSupport[] = claims.map((c, i) => {
    const semantic = claimSemantic?.[i];
    // Embeddings can add support (a paraphrase of the source) but not take away what the words show: a two-word
    // claim ("Jane Smith.") embeds poorly against a whole passage, yet every word of it is there.
    let support = semantic === undefined ? c.lexical : Math.max(c.lexical, 0.5 * c.lexical + 0.5 * semantic);
    support *= MISSING_NUMBER ** c.unsupportedNumbers.length * MISSING_NAME ** c.unsupportedNames.length;
    const claim: ClaimSupport = {
      start: c.start,
      end: c.end,
      text: response.slice(c.start, c.end),
      support: round(support),
      lexical: round(c.lexical),
      unsupportedNumbers: c.unsupportedNumbers,
      unsupportedNames: c.unsupportedNames,
    };
    if (semantic !== undefined) claim.semantic = round(semantic);
    return claim;
  });

  let grounding = 1;
  if (supports.length > 0) {
    const totalWeight = claims.reduce((n, c) => n + c.total, 0);
    const mean = claims.reduce((n, c, i) => n + c.total * supports[i]!.support, 0) / totalWeight;
    const weakest = Math.min(...supports.map((s) => s.support));
    grounding = 0.5 * mean + 0.5 * weakest;
  }

  return {
    grounding: round(grounding),
    relevance: round(relevanceScore(index, query, queryTerms, responseTerms, answerSemantic)),
    claims: supports,
  };
}

function relevanceScore(
  index: SourceIndex,
  query: string,
  queryTerms: readonly ContentTerm[], responseTerms: readonly ContentTerm[], semantic?: number): number {
  if (responseTerms.length === 0) return 0;
  if (queryTerms.length === 0) return semantic === undefined ? 0 : 0.5 * semantic;
  const responseKeys = new Set(responseTerms.map((t) => t.key));
  const responsePrefixes = new Set(responseTerms.filter((t) => t.key.length >= PREFIX).map((t) => keyPrefix(t.key, PREFIX)));
  const queryWeight = queryTerms.reduce((n, t) => n + weight(t), 0);
  let covered = 0;
  for (const t of queryTerms) {
    if (responseKeys.has(t.key)) covered += weight(t);
    else if (t.key.length >= PREFIX && responsePrefixes.has(keyPrefix(t.key, PREFIX))) covered += PARTIAL * weight(t);
  }
  const coverage = covered / queryWeight;

  // The source passage that answers the query, and how much of the response comes from it.
  let bridge = 0;
  // One sentence, not three: in a short source three sentences are most of it, and everything would "answer".
  const byQuery = index.windowScores(queryTerms, weight, 0);
  let best = -1;
  let bestScore = 0;
  for (const [w, s] of byQuery) if (s > bestScore) [best, bestScore] = [w, s];
  if (best >= 0) {
    const passage = new SourceIndex(index.text.slice(...index.window(best, 0)));
    const responseWeight = responseTerms.reduce((n, t) => n + weight(t), 0);
    const fromPassage = responseTerms.reduce((n, t) => n + weight(t) * passage.presence(t), 0) / responseWeight;
    bridge = (bestScore / queryWeight) * fromPassage;
  }
  let lexical = Math.max(coverage, bridge);
  if (EXPECTS_NUMBER.test(query) && responseTerms.some((t) => t.kind === 'number')) lexical = Math.min(1, lexical + 0.15);
  return semantic === undefined ? lexical : Math.max(lexical, 0.5 * lexical + 0.5 * semantic);
}

/** The terms inside each span (spans in order, not overlapping), from one pass over the whole text. */
function termsBySpan(terms: readonly ContentTerm[], spans: Array<[number, number]>): Array<{ span: [number, number]; terms: ContentTerm[] }> {
  let from = 0;
  return spans.map((span) => {
    while (from < terms.length && terms[from]!.start < span[0]) from++;
    let to = from;
    while (to < terms.length && terms[to]!.end <= span[1]) to++;
    const slice = terms.slice(from, to);
    from = to;
    return { span, terms: slice };
  });
}

/** The `k` best-scoring windows, best first (ties: the earlier window first, as a stable sort of the map's order). */
function topWindows(scores: Map<number, number>, k: number): number[] {
  const top: number[] = [];
  const topScores: number[] = [];
  for (const [w, s] of scores) {
    let at = top.length;
    while (at > 0 && topScores[at - 1]! < s) at--;
    if (at >= k) continue;
    top.splice(at, 0, w);
    topScores.splice(at, 0, s);
    if (top.length > k) {
      top.pop();
      topScores.pop();
    }
  }
  return top;
}

/** "How many …", "what year …", "when …": questions a figure answers. */
const EXPECTS_NUMBER = /\b(how (many|much|long|old|far|often|big|large)|what (year|percentage|percent|number|amount|price)|when)\b/i;

const round = (x: number): number => Math.round(x * 1000) / 1000;
