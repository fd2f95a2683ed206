/**
 * Scores texts the models never trained on through the serving classifier and summarises them per set and category:
 * for a set's positives the share flagged at each level (true-positive rate), for its negatives the same share (false-
 * positive rate), per category the ROC AUC of all such positives against all such negatives, and for Davidson the
 * precision, recall and F1 of HATE and INSULTS at each level. Shared by the training report and the benchmark.
 */
import { LEVEL_CUTS } from '../../src/guardrails/classifiers/confidence-level.js';
import type { ContentClassifier } from '../../src/guardrails/classifiers/content-classifier.js';
import type { ContentCategory } from '../../src/guardrails/classifiers/content-category.js';
import { bestF1, type PrecisionRecall, precisionRecall, rocAuc } from './binary-metrics.js';
import { type LabelledText, setName } from './guardrail-training-data.js';

export const LEVEL_NAMES = ['LOW', 'MEDIUM', 'HIGH'] as const;

export interface SetResult {
  set: string;
  category: ContentCategory;
  label: 0 | 1;
  n: number;
  /** Share of the set at or above each level's anchor (LOW, MEDIUM, HIGH). */
  flagged: [number, number, number];
}

export interface ToxicityResult {
  category: 'HATE' | 'INSULTS';
  n: number;
  positives: number;
  atLevel: [PrecisionRecall, PrecisionRecall, PrecisionRecall];
  /** Best F1 over all thresholds of the model's score on this same data (no rules): an upper bound, not a shipped operating point. */
  oracle: PrecisionRecall;
  auc: number;
}

export interface HeldOutEvaluation {
  sets: SetResult[];
  auc: Partial<Record<ContentCategory, { auc: number; positives: number; negatives: number }>>;
  toxicity: ToxicityResult[];
  lines: string[];
}

export function evaluateHeldOut(classifier: ContentClassifier, texts: readonly LabelledText[]): HeldOutEvaluation {
  const models = classifier.models;
  // Raw model scores rank (AUC, best threshold); confidences, which include the category rules, decide levels.
  const scores = texts.map((t) => classifier.maxRawScores(t.text));
  const confidence = texts.map((t) => classifier.confidences(t.text));
  const cuts = [LEVEL_CUTS.LOW, LEVEL_CUTS.MEDIUM, LEVEL_CUTS.HIGH];
  const sets: SetResult[] = [];
  const auc: HeldOutEvaluation['auc'] = {};
  const lines: string[] = [];
  models.forEach((model, c) => {
    const category = model.category;
    const groups = new Map<string, number[]>();
    const pooled: [number[], number[]] = [[], []];
    texts.forEach((t, r) => {
      const y = t.labels[category];
      if (y === undefined) return;
      const key = `${setName(t)}\u0000${y}`;
      const list = groups.get(key) ?? [];
      list.push(confidence[r]![c]!);
      groups.set(key, list);
      pooled[y].push(scores[r]![c]!);
    });
    for (const [key, list] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
      const [set, y] = key.split('\u0000') as [string, string];
      const flagged = cuts.map((cut) => list.filter((s) => s >= cut).length / list.length) as SetResult['flagged'];
      sets.push({ set, category, label: y === '1' ? 1 : 0, n: list.length, flagged });
    }
    auc[category] = { auc: rocAuc(pooled[1], pooled[0]), positives: pooled[1].length, negatives: pooled[0].length };
    lines.push(`${category}: held-out AUC ${fmt(auc[category]!.auc)} (${pooled[1].length} positive, ${pooled[0].length} negative)`);
    for (const s of sets.filter((x) => x.category === category)) {
      lines.push(
        `  ${s.label === 1 ? 'TPR' : 'FPR'} ${s.set.padEnd(38)} n=${String(s.n).padStart(5)}  ${s.flagged.map(fmt).join(' / ')}`,
      );
    }
  });

  const toxicity: ToxicityResult[] = [];
  for (const category of ['HATE', 'INSULTS'] as const) {
    const c = models.findIndex((m) => m.category === category);
    if (c < 0) continue;
    const pos: number[] = [];
    const neg: number[] = [];
    const posConfidence: number[] = [];
    const negConfidence: number[] = [];
    texts.forEach((t, r) => {
      if (t.source !== 'davidson') return;
      (t.labels[category] === 1 ? pos : neg).push(scores[r]![c]!);
      (t.labels[category] === 1 ? posConfidence : negConfidence).push(confidence[r]![c]!);
    });
    const atLevel = cuts.map((cut) => precisionRecall(posConfidence, negConfidence, cut)) as ToxicityResult['atLevel'];
    const oracle = bestF1(pos, neg);
    toxicity.push({ category, n: pos.length + neg.length, positives: pos.length, atLevel, oracle, auc: rocAuc(pos, neg) });
    lines.push(
      `${category} on held-out Davidson (n=${pos.length + neg.length}, ${pos.length} positive): F1 at LOW/MEDIUM/HIGH ${atLevel
        .map((x) => fmt(x.f1))
        .join(' / ')}, best possible ${fmt(oracle.f1)}`,
    );
  }
  return { sets, auc, toxicity, lines };
}

export function fmt(x: number): string {
  return Number.isNaN(x) ? '–' : x.toFixed(3);
}


