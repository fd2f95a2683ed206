/**
 * Places a category's LOW, MEDIUM and HIGH anchors from out-of-fold scores: each is the lowest raw score at which no
 * reference negative set has more than 5%, 2% and 0.5% of its texts flagged. The worst set decides, so an anchor holds
 * on the hardest harmless text the data has (offensive-but-not-hateful tweets for HATE, harmless persona prompts for
 * PROMPT_ATTACK, sentences full of names and addresses for the harm categories), not merely on average.
 *
 * Reference sets are the negative sets with at least 30 texts, less two kinds whose "negatives" are not harmless
 * traffic: for the five harm categories, prompts from the hazard sets (a request for a weapon is a MISCONDUCT and
 * VIOLENCE positive, and their categories overlap: a "non-violent crime" prompt about arson is violent), and for
 * PROMPT_ATTACK, Tensor Trust outputs that leak nothing (answers given under attack, which restate rules much as
 * leaks do). Their rates at the chosen anchors are still reported.
 */
import type { ContentCategory } from '../../src/guardrails/classifiers/content-category.js';
import { thresholdForFpr } from './binary-metrics.js';

export const LEVEL_FPR = [0.05, 0.02, 0.005] as const;
const MIN_SET = 30;

export interface AnchorFit {
  anchors: [number, number, number];
  /** The set that placed each anchor. */
  setBy: [string, string, string];
}

export function isReferenceSet(category: ContentCategory, set: string): boolean {
  if (category === 'PROMPT_ATTACK') return set !== 'tensor-trust-extraction/no-extraction';
  return set !== 'ailuminate' && set !== 'harmbench';
}

export function chooseAnchors(category: ContentCategory, negativesBySet: ReadonlyMap<string, readonly number[]>): AnchorFit {
  const anchors: [number, number, number] = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
  const setBy: [string, string, string] = ['', '', ''];
  for (const [set, negatives] of negativesBySet) {
    if (negatives.length < MIN_SET || !isReferenceSet(category, set)) continue;
    LEVEL_FPR.forEach((fpr, level) => {
      const t = thresholdForFpr(negatives, fpr);
      if (t > anchors[level]!) {
        anchors[level] = t;
        setBy[level] = set;
      }
    });
  }
  if (!anchors.every(Number.isFinite)) throw new Error(`${category}: no reference negative set to place anchors on`);
  anchors[1] = Math.max(anchors[1], anchors[0]);
  anchors[2] = Math.max(anchors[2], anchors[1]);
  return { anchors, setBy };
}
