import { z } from 'zod';
import { type ConverseRequest, QuarryError } from '../../core/index.js';

/**
 * Bedrock's defaults for Meta Llama models (temperature 0.5, top_p 0.9), since Quarry answers as Bedrock does;
 * temperature 0 is greedy decoding.
 */
const DEFAULT_TEMPERATURE = 0.5;
const DEFAULT_TOP_P = 0.9;

/** Engine knobs Bedrock passes through `additionalModelRequestFields` for open models; other fields are ignored. */
const extraFields = z
  .object({
    top_k: z.number().int().min(0).nullish(),
    min_p: z.number().min(0).max(1).nullish(),
    seed: z.number().int().min(0).nullish(),
    repeat_penalty: z.number().min(0).nullish(),
  })
  .passthrough();

export interface SamplingOptions {
  temperature: number;
  topP: number;
  topK?: number;
  minP?: number;
  seed?: number;
  repeatPenalty?: false | { penalty: number };
}

export function samplingOptions(req: Pick<ConverseRequest, 'inferenceConfig' | 'additionalModelRequestFields'>): SamplingOptions {
  const cfg = req.inferenceConfig ?? {};
  const extra = extraFields.safeParse(req.additionalModelRequestFields ?? {});
  if (!extra.success) {
    const issue = extra.error.issues[0];
    throw new QuarryError('ValidationException', `additionalModelRequestFields.${issue.path.join('.')}: ${issue.message}`);
  }
  const x = extra.data;
  const out: SamplingOptions = { temperature: cfg.temperature ?? DEFAULT_TEMPERATURE, topP: cfg.topP ?? DEFAULT_TOP_P };
  if (x.top_k != null) out.topK = x.top_k;
  if (x.min_p != null) out.minP = x.min_p;
  if (x.seed != null) out.seed = x.seed;
  if (x.repeat_penalty != null) out.repeatPenalty = x.repeat_penalty === 1 ? false : { penalty: x.repeat_penalty };
  return out;
}
