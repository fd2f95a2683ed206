import { LEVEL_CUTS } from './confidence-level.js';

/**
 * A model's raw score (a logit) at which the category's LOW, MEDIUM and HIGH operating points start, in increasing
 * order; the training script chooses them (see weights/REPORT.md).
 */
export type LevelAnchors = readonly [low: number, medium: number, high: number];

/**
 * Maps a raw score onto [0, 1) so that each anchor lands on its level's cut point (`LEVEL_CUTS`): monotone, linear
 * between anchors, logistic-shaped below the LOW anchor and above the HIGH one. A model's confidence therefore reads
 * the same way in every category, while each category keeps the operating points its own data supports.
 */
export function calibrateScore(raw: number, [low, medium, high]: LevelAnchors): number {
  if (Number.isNaN(raw)) return 0;
  if (raw < low) return LEVEL_CUTS.LOW * (sigmoid(raw) / sigmoid(low));
  if (raw < medium) return between(raw, low, medium, LEVEL_CUTS.LOW, LEVEL_CUTS.MEDIUM);
  if (raw < high) return between(raw, medium, high, LEVEL_CUTS.MEDIUM, LEVEL_CUTS.HIGH);
  const top = sigmoid(high);
  return Math.min(0.9999, LEVEL_CUTS.HIGH + (1 - LEVEL_CUTS.HIGH) * ((sigmoid(raw) - top) / (1 - top || 1)));
}

function between(x: number, x0: number, x1: number, y0: number, y1: number): number {
  return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
