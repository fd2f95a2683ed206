import { l2Normalize } from './l2-normalize.js';
import { loadStaticModel } from './load-static-model.js';
import { addRows } from './static-embedding-table.js';
import { staticWords } from './static-words.js';

/**
 * Unit vectors of the static model for `texts`, in-process and synchronous: what the guardrails call on every check,
 * where a round through the runtime (routing, metering a usage record) would cost more than the lookup itself. Each is
 * the mean of its pieces' rows, normalized. An empty text gets a zero vector (cosine 0 with everything) rather than an
 * error: a policy decides what empty means.
 */
export function embedStatic(texts: readonly string[]): Float32Array[] {
  const model = loadStaticModel();
  return texts.map((text) => {
    const out = new Float32Array(model.table.dims);
    for (const ids of staticWords(model, text).pieces) addRows(model.table, ids, out);
    return l2Normalize(out);
  });
}

/**
 * Unit vectors of spans of one text (each the words that start inside it), reading each word once: the text is cut
 * at every span's start and end, each piece between two cuts is summed once, and a span is the sum of its pieces. A
 * sentence and the pair of sentences around it (denied topics look at both) cost one addition instead of reading the
 * words again.
 */
export function embedStaticSpans(text: string, spans: ReadonlyArray<readonly [number, number]>): Float32Array[] {
  const model = loadStaticModel();
  const dims = model.table.dims;
  const { starts, pieces } = staticWords(model, text);
  const cuts = sortedCuts(spans);
  // Segment k holds the words starting in [cuts[k], cuts[k + 1]), at k * dims in `sums`. The segments are scratch,
  // dropped when the call returns: a fresh array per segment was half of what this function allocated per guardrail
  // check, so they live in buffers kept between calls (the call is synchronous: no other call shares them). A segment
  // is summed in `segment` from zero, as before, and copied out when the words move past it; a long document's
  // segments get a buffer of their own, so the one kept stays small.
  const size = cuts.length * dims;
  if (segment.length !== dims) segment = new Float32Array(dims);
  if (size > MAX_KEPT_SEGMENTS * dims) sums = new Float32Array(size);
  else {
    if (keptSums.length < MAX_KEPT_SEGMENTS * dims) keptSums = new Float32Array(MAX_KEPT_SEGMENTS * dims);
    else keptSums.fill(0, 0, size);
    sums = keptSums;
  }
  segment.fill(0);
  let k = 0;
  let summed = false;
  for (let w = 0; w < starts.length; w++) {
    while (k + 1 < cuts.length && cuts[k + 1]! <= starts[w]!) {
      if (summed) flushSegment(k * dims);
      summed = false;
      k++;
    }
    if (starts[w]! >= cuts[0]! && k + 1 < cuts.length) {
      addRows(model.table, pieces[w]!, segment);
      summed = true;
    }
  }
  if (summed) flushSegment(k * dims);
  const spanSums = sums;
  sums = keptSums; // a long document's buffer is not kept
  return spans.map(([start, end]) => {
    const out = new Float32Array(dims);
    for (let j = cuts.indexOf(start); cuts[j]! < end; j++) {
      const at = j * dims;
      for (let d = 0; d < dims; d++) out[d]! += spanSums[at + d]!;
    }
    return l2Normalize(out);
  });
}

const MAX_KEPT_SEGMENTS = 512;
let keptSums = new Float32Array(0);
let sums = keptSums;
let segment = new Float32Array(0);

/** Copies the segment summed so far to `at` in `sums`, and starts the next from zero. */
function flushSegment(at: number): void {
  sums.set(segment, at);
  segment.fill(0);
}

/** Every span's start and end, once each, ascending (what `[...new Set(spans.flat())].sort()` gives, without the copies). */
function sortedCuts(spans: ReadonlyArray<readonly [number, number]>): number[] {
  const all: number[] = [];
  for (const [start, end] of spans) all.push(start, end);
  all.sort((a, b) => a - b);
  let n = 0;
  for (let i = 0; i < all.length; i++) if (n === 0 || all[i] !== all[n - 1]) all[n++] = all[i]!;
  all.length = n;
  return all;
}

/** An embedder over the static table, in the shape the guardrails take: async, with its cosine line to the encoder's scale. */
export interface StaticEmbedder {
  (texts: string[]): Promise<Float32Array[]>;
  spans(text: string, spans: ReadonlyArray<readonly [number, number]>): Promise<Float32Array[]>;
  toEncoderCosine(cos: number): number;
}

/** Loads the table (throwing if it cannot) and returns the guardrails' embedder over it. */
export function staticEmbedder(): StaticEmbedder {
  const { slope, intercept } = loadStaticModel().table.cosineToTeacher;
  return Object.assign(async (texts: string[]) => embedStatic(texts), {
    spans: async (text: string, spans: ReadonlyArray<readonly [number, number]>) => embedStaticSpans(text, spans),
    toEncoderCosine: (cos: number) => slope * cos + intercept,
  });
}
