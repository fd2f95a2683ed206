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
  const cuts = [...new Set(spans.flat())].sort((a, b) => a - b);
  // Segment k holds the words starting in [cuts[k], cuts[k + 1]).
  const segments = cuts.map(() => new Float32Array(dims));
  let k = 0;
  for (let w = 0; w < starts.length; w++) {
    while (k + 1 < cuts.length && cuts[k + 1]! <= starts[w]!) k++;
    if (starts[w]! >= cuts[0]! && k + 1 < cuts.length) addRows(model.table, pieces[w]!, segments[k]!);
  }
  return spans.map(([start, end]) => {
    const out = new Float32Array(dims);
    for (let j = cuts.indexOf(start); cuts[j]! < end; j++) {
      const seg = segments[j]!;
      for (let d = 0; d < dims; d++) out[d]! += seg[d]!;
    }
    return l2Normalize(out);
  });
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
