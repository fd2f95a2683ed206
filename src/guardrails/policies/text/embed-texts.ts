/**
 * Turns texts into embedding vectors, one per text, in order. The server passes the static table distilled from the
 * embedded Universal Sentence Encoder, or any configured embedding model; tests pass a deterministic fake. Policies
 * never load a model themselves, so they stay offline and cheap to test.
 */
export interface EmbedTexts {
  (texts: string[]): Promise<ArrayLike<number>[]>;
  /**
   * This embedder's cosine on the encoder's scale, in which the policies' similarity floors and ceilings were measured
   * (the static table's line, fitted when it was distilled). Absent: cosines are read as they are.
   */
  toEncoderCosine?: (cos: number) => number;
  /**
   * Vectors of spans of one text, as the texts alone would embed. An embedder that pools (the static table) reads the
   * text once for all of them; policies use it for overlapping windows when it is there.
   */
  spans?: (text: string, spans: ReadonlyArray<readonly [number, number]>) => Promise<ArrayLike<number>[]>;
}

/** Vectors of spans of `text`: one pass where the embedder can, else each span's text in batches. */
export function embedSpans(embed: EmbedTexts, text: string, spans: ReadonlyArray<readonly [number, number]>): Promise<ArrayLike<number>[]> {
  if (embed.spans) return embed.spans(text, spans);
  return embedInBatches(
    embed,
    spans.map(([s, e]) => text.slice(s, e)),
  );
}

/** A cosine of `embed`'s vectors, on the encoder's scale. */
export function encoderCosine(embed: EmbedTexts, cos: number): number {
  return embed.toEncoderCosine ? embed.toEncoderCosine(cos) : cos;
}

/** Cosine similarity; 0 when either vector is all zeros. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Maps a cosine onto [0, 1] between a floor (unrelated texts) and a ceiling (paraphrases) measured for the model. */
export function similarityScore(cos: number, floor: number, ceiling: number): number {
  return Math.min(1, Math.max(0, (cos - floor) / (ceiling - floor)));
}

/** Embeds in batches of 64, checking that the embedder kept its promise of one vector per text. */
export async function embedInBatches(embed: EmbedTexts, texts: string[]): Promise<ArrayLike<number>[]> {
  const out: ArrayLike<number>[] = [];
  for (let i = 0; i < texts.length; i += 64) {
    const batch = texts.slice(i, i + 64);
    const vectors = await embed(batch);
    if (!Array.isArray(vectors) || vectors.length !== batch.length) {
      throw new Error(`The embedder returned ${Array.isArray(vectors) ? vectors.length : 'no'} vectors for ${batch.length} texts.`);
    }
    out.push(...vectors);
  }
  return out;
}
