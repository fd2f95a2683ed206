import { validation } from '../../core/errors.js';

/**
 * Bedrock reports each content-filter finding as a confidence level, and a filter's strength says which levels it
 * blocks. Quarry's classifiers produce a number in [0, 1]; the training script remaps each category's raw score so
 * that the same three cut points below stand for that category's LOW, MEDIUM and HIGH operating points (chosen on
 * data the final evaluation never sees; see weights/REPORT.md), which keeps this mapping one pure function.
 */
export const CONFIDENCE_LEVELS = ['NONE', 'LOW', 'MEDIUM', 'HIGH'] as const;
export type ConfidenceLevel = (typeof CONFIDENCE_LEVELS)[number];

/** A filter's strength takes the same four values as a confidence level (`GuardrailFilterStrength`). */
export type FilterStrength = ConfidenceLevel;

/** Lowest confidence that reads as LOW, MEDIUM and HIGH respectively. */
export const LEVEL_CUTS = { LOW: 0.5, MEDIUM: 0.7, HIGH: 0.9 } as const;

export function confidenceLevel(confidence: number): ConfidenceLevel {
  if (!(confidence >= LEVEL_CUTS.LOW)) return 'NONE'; // NaN included
  if (confidence < LEVEL_CUTS.MEDIUM) return 'LOW';
  if (confidence < LEVEL_CUTS.HIGH) return 'MEDIUM';
  return 'HIGH';
}

const RANK: Record<ConfidenceLevel, number> = { NONE: 0, LOW: 1, MEDIUM: 2, HIGH: 3 };

/**
 * Whether a filter of `strength` blocks content classified at `level`, as Bedrock documents it: NONE blocks nothing,
 * LOW blocks HIGH-confidence content, MEDIUM blocks MEDIUM and HIGH, HIGH blocks LOW, MEDIUM and HIGH. Content
 * classified NONE is never blocked.
 */
export function filterStrengthBlocks(strength: FilterStrength, level: ConfidenceLevel): boolean {
  switch (strength) {
    case 'NONE':
      return false;
    case 'LOW':
      return level === 'HIGH';
    case 'MEDIUM':
      return RANK[level] >= RANK.MEDIUM;
    case 'HIGH':
      return RANK[level] >= RANK.LOW;
    default: {
      const never: never = strength;
      throw validation(`Unknown filter strength: ${String(never)}`);
    }
  }
}
