import type { Logger } from '../../../core/index.js';
import { CALIBRATION_PAIRS } from './calibration-pairs.js';
import { cosine, type EmbedTexts, embedInBatches } from './embed-texts.js';
import { type LinearFit, linearFit } from './linear-fit.js';

/** Below this correlation with the encoder's cosines a model's cosines are not mapped: a line would mean nothing. */
const MIN_CORRELATION = 0.6;

/** The line, and the Pearson correlation of the model's cosines with the encoder's over the pairs. */
export type CosineLine = LinearFit;

/**
 * The line from a model's cosines to the embedded encoder's, fitted by least squares on the calibration pairs (sentence
 * pairs from paraphrases to unrelated, whose encoder cosines are stored). Denied topics and grounding measured their
 * similarity floors in the encoder's scale; another model puts unrelated texts at 0.1 or at 0.7 depending on how it was
 * trained, so its cosines are mapped before they are compared with those floors.
 */
export async function fitCosineLine(embed: EmbedTexts): Promise<CosineLine> {
  const vectors = await embedInBatches(
    embed,
    CALIBRATION_PAIRS.flatMap((pair) => [pair[0], pair[1]]),
  );
  const xs = CALIBRATION_PAIRS.map((_, i) => cosine(vectors[2 * i]!, vectors[2 * i + 1]!));
  const ys = CALIBRATION_PAIRS.map(([, , encoder]) => encoder);
  // A model that gives every pair the same cosine has nothing to map (linearFit: slope 1, correlation 0).
  return linearFit(xs, ys);
}

/**
 * `embed` with `toEncoderCosine` set from its own fitted line, worked out on the first call (one extra embedding call of
 * the pairs' 60 sentences, once per server) and again after a failed attempt. A model whose cosines barely follow the
 * encoder's keeps them as they are, with a warning: its guardrails then run on unmapped cosines.
 */
export function calibratedEmbedder(embed: EmbedTexts, modelId: string, log: Logger): EmbedTexts {
  let line: Promise<CosineLine> | undefined;
  const calibrated: EmbedTexts = async (texts) => {
    line ??= fitCosineLine(embed).then(
      (l) => {
        if (l.correlation >= MIN_CORRELATION && l.slope > 0) {
          calibrated.toEncoderCosine = (cos) => Math.max(-1, Math.min(1, l.slope * cos + l.intercept));
          log.info({ modelId, ...l }, 'guardrail embeddings calibrated to the encoder scale');
        } else {
          log.warn({ modelId, ...l }, 'guardrail embedding model disagrees with the encoder on the calibration pairs; its cosines are used unmapped');
        }
        return l;
      },
      (e) => {
        line = undefined;
        throw e;
      },
    );
    await line;
    return embed(texts);
  };
  return calibrated;
}
