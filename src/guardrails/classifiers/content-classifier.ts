import { validation } from '../../core/errors.js';
import { calibrateScore } from './calibrate-score.js';
import { CATEGORY_RULES } from './category-rules.js';
import { classificationViews } from './classification-views.js';
import { windowsAtScales } from './classification-windows.js';
import { type CategoryModel, type ClassifierWeights, quantize } from './classifier-weights.js';
import { type ConfidenceLevel, confidenceLevel } from './confidence-level.js';
import { type ContentCategory, isContentCategory } from './content-category.js';
import { FeatureExtractor, type SparseFeatures } from './text-features.js';

export interface ContentFinding {
  category: ContentCategory;
  /** In [0, 1); 0.5, 0.7 and 0.9 are where LOW, MEDIUM and HIGH start (`LEVEL_CUTS`). */
  confidence: number;
  level: ConfidenceLevel;
}

export interface ClassifyContentOptions {
  /** Categories to assess, in this order; every category the weights hold when absent. */
  categories?: readonly ContentCategory[];
}

/**
 * Linear models over hashed text features, one per category. Text is read in every form it may hide in
 * (`classificationViews`), each reading is cut into overlapping windows at two scales (`windowsAtScales`), and a category's
 * score is the highest any window earns: an attack hidden in a long document, an encoding or invisible characters
 * counts as much as one in plain sight, and nothing is truncated. A few hand-written rules (`CATEGORY_RULES`) can raise
 * a category's confidence where the training data is thin. Cost is linear in the text's length.
 */
export class ContentClassifier {
  private readonly weights: ClassifierWeights;
  private readonly byCategory: ReadonlyMap<ContentCategory, CategoryModel>;
  private readonly extractor: FeatureExtractor;
  /**
   * All models' weights for one slot side by side (slot·models + m), one byte each (`quantize`'s codes; the stored
   * weights are already on that grid, so nothing is lost): scoring a window touches one cache line per feature instead
   * of one per feature and model, and the whole table is 1.5 MB instead of 6. Memory traffic is most of the cost.
   */
  private readonly codes: Uint8Array;
  /** 256 weights per model, model m at m·256. */
  private readonly codebooks: Float32Array;
  private readonly biases: Float64Array;
  private readonly rules: ReadonlyArray<{ model: number; pattern: RegExp; confidence: number }>;

  constructor(weights: ClassifierWeights) {
    this.weights = weights;
    this.byCategory = new Map(weights.models.map((m) => [m.category, m]));
    this.extractor = new FeatureExtractor(weights.bits, weights.lexicon);
    const count = weights.models.length;
    this.codes = new Uint8Array((1 << weights.bits) * count);
    this.codebooks = new Float32Array(256 * count);
    weights.models.forEach((m, k) => {
      const { codebook, codes } = quantize(m.weights);
      this.codebooks.set(codebook, k * 256);
      for (let i = 0; i < codes.length; i++) this.codes[i * count + k] = codes[i]!;
    });
    this.biases = Float64Array.from(weights.models, (m) => m.bias);
    this.rules = CATEGORY_RULES.flatMap((r) => {
      const model = weights.models.findIndex((m) => m.category === r.category);
      return model < 0 ? [] : [{ model, pattern: r.pattern, confidence: r.confidence }];
    });
  }

  get categories(): ContentCategory[] {
    return this.weights.models.map((m) => m.category);
  }

  /** The models, in assessment order, with their level anchors (for evaluation code). */
  get models(): readonly CategoryModel[] {
    return this.weights.models;
  }

  classify(text: string, options: ClassifyContentOptions = {}): ContentFinding[] {
    if (typeof text !== 'string') throw validation('Content classification needs text (a string).');
    const models = this.modelsFor(options.categories);
    const all = this.confidences(text);
    return models.map((m) => {
      const confidence = round(all[this.weights.models.indexOf(m)]!);
      return { category: m.category, confidence, level: confidenceLevel(confidence) };
    });
  }

  /**
   * Each model's confidence for `text`, in `models` order: its best window's calibrated score, or the confidence of a
   * category rule that matched some window (`CATEGORY_RULES`), whichever is higher.
   */
  confidences(text: string): Float64Array {
    const { raw, rules } = this.assess(text);
    return Float64Array.from(this.weights.models, (m, k) => Math.max(calibrateScore(raw[k]!, m.anchors), rules[k]!));
  }

  /**
   * The highest raw score (logit) each model gives any window of any reading of `text`, in `models` order; -Infinity
   * for empty text. Rules play no part. For the training script and the benchmark, which choose and sweep thresholds.
   */
  maxRawScores(text: string): Float64Array {
    return this.assess(text).raw;
  }

  private assess(text: string): { raw: Float64Array; rules: Float64Array } {
    const count = this.weights.models.length;
    const best = new Float64Array(count).fill(Number.NEGATIVE_INFINITY);
    const rules = new Float64Array(count);
    const sums = new Float64Array(count);
    for (const view of classificationViews(text)) {
      const windows = windowsAtScales(view, this.weights.windows);
      // With several windows (each character is read about three times), one pass over the whole view first finds
      // the cue patterns and rules that match nowhere in it; those cannot match a window cut at spaces either, so
      // they are skipped there. Only a window cut hard (a run with no space) runs every pattern. Scores are unchanged.
      const several = windows.length > 1;
      const cues = several ? this.extractor.possibleCues(view) : undefined;
      const rulesPossible = several ? this.rules.map((r) => r.pattern.test(view)) : undefined;
      this.extractor.prepare(view);
      for (const [start, end] of windows) {
        let window: string | undefined;
        const soft = several && (start === 0 || view.charCodeAt(start - 1) === 0x20) && (end === view.length || view.charCodeAt(end) === 0x20);
        for (let r = 0; r < this.rules.length; r++) {
          const rule = this.rules[r]!;
          if (soft && !rulesPossible![r]) continue;
          if (rule.confidence <= rules[rule.model]!) continue;
          window ??= view.slice(start, end);
          if (rule.pattern.test(window)) rules[rule.model] = rule.confidence;
        }
        this.score(this.extractor.extractWindow(view, start, end, soft ? cues : undefined), sums);
        for (let m = 0; m < count; m++) if (sums[m]! > best[m]!) best[m] = sums[m]!;
      }
    }
    return { raw: best, rules };
  }

  /** Every model's raw score for one window's features, into `sums`. */
  private score({ indices, values }: SparseFeatures, sums: Float64Array): void {
    const count = sums.length;
    const codes = this.codes;
    const books = this.codebooks;
    if (count === 6) {
      // The usual case, unrolled: six running sums in registers instead of six stores per feature.
      let s0 = this.biases[0]!;
      let s1 = this.biases[1]!;
      let s2 = this.biases[2]!;
      let s3 = this.biases[3]!;
      let s4 = this.biases[4]!;
      let s5 = this.biases[5]!;
      for (let k = 0; k < indices.length; k++) {
        const base = indices[k]! * 6;
        const v = values[k]!;
        s0 += books[codes[base]!]! * v;
        s1 += books[256 | codes[base + 1]!]! * v;
        s2 += books[512 | codes[base + 2]!]! * v;
        s3 += books[768 | codes[base + 3]!]! * v;
        s4 += books[1024 | codes[base + 4]!]! * v;
        s5 += books[1280 | codes[base + 5]!]! * v;
      }
      sums[0] = s0;
      sums[1] = s1;
      sums[2] = s2;
      sums[3] = s3;
      sums[4] = s4;
      sums[5] = s5;
      return;
    }
    sums.set(this.biases);
    for (let k = 0; k < indices.length; k++) {
      const base = indices[k]! * count;
      const v = values[k]!;
      for (let m = 0; m < count; m++) sums[m] += books[(m << 8) | codes[base + m]!]! * v;
    }
  }

  /** The features of one window of canonical text, as the models see them. */
  features(canonicalWindow: string): SparseFeatures {
    return this.extractor.extract(canonicalWindow);
  }

  private modelsFor(categories: readonly ContentCategory[] | undefined): CategoryModel[] {
    if (categories === undefined) return this.weights.models;
    const models: CategoryModel[] = [];
    const seen = new Set<string>();
    for (const c of categories) {
      if (!isContentCategory(c)) throw validation(`Unknown content filter category: ${String(c)}`);
      const model = this.byCategory.get(c);
      if (!model) throw validation(`No classifier is trained for ${c}.`);
      if (!seen.has(c)) models.push(model);
      seen.add(c);
    }
    return models;
  }
}

export function rawScore(model: Pick<CategoryModel, 'bias' | 'weights'>, features: SparseFeatures): number {
  let sum = model.bias;
  const { indices, values } = features;
  const w = model.weights;
  for (let k = 0; k < indices.length; k++) sum += w[indices[k]!]! * values[k]!;
  return sum;
}

const round = (x: number): number => Math.round(x * 10000) / 10000;
