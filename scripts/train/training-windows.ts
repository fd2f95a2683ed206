/**
 * Training examples from labelled texts, built exactly as classification reads text: Unicode folding, canonical form,
 * windows at every trained scale, hashed features. A long text's windows share its weight (1/√windows each), so one
 * long jailbreak does not count as much as twenty tweets.
 */
import { canonicalText } from '../../src/guardrails/classifiers/canonical-text.js';
import { WINDOW_SCALES, windowsAtScales } from '../../src/guardrails/classifiers/classification-windows.js';
import { CONTENT_CATEGORIES } from '../../src/guardrails/classifiers/content-category.js';
import { foldUnicode } from '../../src/guardrails/classifiers/fold-unicode.js';
import type { FeatureExtractor } from '../../src/guardrails/classifiers/text-features.js';
import type { LabelledText } from './guardrail-training-data.js';
import type { TrainingWindow } from './train-ftrl.js';

export function trainingWindows(
  texts: readonly LabelledText[],
  extractor: FeatureExtractor,
): { windows: TrainingWindow[]; owner: number[] } {
  const windows: TrainingWindow[] = [];
  const owner: number[] = [];
  texts.forEach((row, r) => {
    const canonical = canonicalText(foldUnicode(row.text).text);
    const cuts = windowsAtScales(canonical, WINDOW_SCALES);
    const labels = Int8Array.from(CONTENT_CATEGORIES, (c) => row.labels[c] ?? -1);
    const weight = 1 / Math.sqrt(cuts.length);
    for (const [start, end] of cuts) {
      windows.push({ ...extractor.extract(canonical.slice(start, end)), labels, weight });
      owner.push(r);
    }
  });
  return { windows, owner };
}

/**
 * Per category, how much more a positive window counts than a negative one: √(negatives/positives), by weight. The
 * square root rather than the full ratio: rare classes (HATE is 6% of Davidson) are heard without the model learning
 * to flag everything that shares a word with them.
 */
export function balancedPositiveWeights(windows: readonly TrainingWindow[]): number[] {
  return CONTENT_CATEGORIES.map((_, c) => {
    let pos = 0;
    let neg = 0;
    for (const w of windows) {
      if (w.labels[c] === 1) pos += w.weight;
      else if (w.labels[c] === 0) neg += w.weight;
    }
    return Math.sqrt(neg / Math.max(pos, 1));
  });
}
