/**
 * Trains Quarry's offline content-filter models and writes them, with a report, to src/guardrails/classifiers/weights/.
 *
 *   node --import tsx scripts/train/train-guardrail-classifiers.ts [--data ../shared/datasets] [--dry-run]
 *
 * Deterministic: fixed data order, fixed split and fold hashes, a fixed shuffling seed; two runs write the same bytes
 * (apart from the date in the report). What is trained on what, and how levels are chosen, is in weights/REPORT.md,
 * which this script writes from the figures it prints.
 *
 * 1. Read the labelled sets (`loadLabelledTexts`); the held-out 20% and the Giskard injections are set aside unseen.
 * 2. Turn each training text into canonical windows and hashed features, exactly as classification does.
 * 3. Four-fold cross-validation on the training part (folds by near-duplicate group) gives every training text an
 *    out-of-fold score; each category's LOW/MEDIUM/HIGH anchors are the lowest scores at which no reference negative
 *    set has more than 5% / 2% / 0.5% of its out-of-fold scores at or above them (`chooseAnchors`).
 * 4. Train the final models on the whole training part, store them, read the file back and score the held-out part
 *    through the same `ContentClassifier` that serves requests.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { WINDOW_SCALES } from '../../src/guardrails/classifiers/classification-windows.js';
import {
  type CategoryModel,
  decodeClassifierWeights,
  encodeClassifierWeights,
} from '../../src/guardrails/classifiers/classifier-weights.js';
import { ContentClassifier } from '../../src/guardrails/classifiers/content-classifier.js';
import { CONTENT_CATEGORIES, type ContentCategory } from '../../src/guardrails/classifiers/content-category.js';
import { FeatureExtractor } from '../../src/guardrails/classifiers/text-features.js';
import { rateAtOrAbove } from './binary-metrics.js';
import { chooseAnchors } from './choose-anchors.js';
import { NEVER_TRAINED, defaultDatasetsDir, isHeldOut, type LabelledText, loadLabelledTexts, setName } from './guardrail-training-data.js';
import { evaluateHeldOut } from './evaluate-held-out.js';
import { guardrailLexicon } from './guardrail-lexicon.js';
import { DEFAULT_FTRL, type LinearModel, trainFtrl } from './train-ftrl.js';
import { balancedPositiveWeights, trainingWindows } from './training-windows.js';
import { writeTrainingReport } from './write-training-report.js';

const FEATURE_BITS = 18;
const FOLDS = 4;

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i]!;
  if (a === '--dry-run') args.set('dry-run', '1');
  else args.set(a.replace(/^--/, ''), process.argv[++i] ?? '');
}
const datasetsDir = args.get('data') ?? defaultDatasetsDir();
const outDir = join(process.cwd(), 'src/guardrails/classifiers/weights');
const started = Date.now();
const log = (message: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);

const rows = loadLabelledTexts(datasetsDir);
const lexicon = guardrailLexicon(datasetsDir);
const training = rows.filter((r) => !r.heldOut && !NEVER_TRAINED.has(r.source));
log(`${rows.length} texts: ${training.length} for training, ${rows.length - training.length} held out or never trained on`);

const { windows, owner } = trainingWindows(training, new FeatureExtractor(FEATURE_BITS, lexicon));
log(`${windows.length} windows, ${lexicon.entries.size} lexicon keys`);

const positiveWeight = balancedPositiveWeights(windows);
const options = { ...DEFAULT_FTRL, positiveWeight };
const dimension = 1 << FEATURE_BITS;

// Out-of-fold scores: each training text scored, exactly as classification scores it (every reading, every window),
// by models that did not see its fold.
const foldOf = training.map((r) => foldFor(r.group));
const oof = training.map(() => new Float64Array(CONTENT_CATEGORIES.length));
for (let f = 0; f < FOLDS; f++) {
  const models = trainFtrl(
    windows.filter((_, w) => foldOf[owner[w]!] !== f),
    CONTENT_CATEGORIES.length,
    dimension,
    options,
  );
  const scorer = classifierFrom(models, CONTENT_CATEGORIES.map(() => [0, 0, 0] as [number, number, number]));
  training.forEach((row, r) => {
    if (foldOf[r] === f) oof[r]!.set(scorer.maxRawScores(row.text));
  });
  log(`fold ${f + 1}/${FOLDS} trained and scored`);
}

const anchors = CONTENT_CATEGORIES.map((category, c) => anchorsFor(training, oof, category, c));
for (const [c, a] of anchors.entries()) {
  log(`${CONTENT_CATEGORIES[c]} anchors ${a.anchors.map((x) => x.toFixed(2)).join(' / ')}; out-of-fold TPR ${a.tpr.map((x) => x.toFixed(3)).join(' / ')}`);
  for (const f of a.fpr) log(`    FPR ${f.set.padEnd(38)} n=${String(f.n).padStart(5)} ${f.rates.map((x) => x.toFixed(3)).join(' / ')}`);
}
const final = trainFtrl(windows, CONTENT_CATEGORIES.length, dimension, options);
log('final models trained');

const models = categoryModels(final, anchors.map((a) => a.anchors));
const about = {
  trainedBy: 'scripts/train/train-guardrail-classifiers.ts',
  data: '../shared/datasets (see weights/REPORT.md)',
  trainingTexts: training.length,
  trainingWindows: windows.length,
  ftrl: { ...DEFAULT_FTRL, positiveWeight: positiveWeight.map((w) => Number(w.toFixed(3))) },
};
const bytes = encodeClassifierWeights({ bits: FEATURE_BITS, windows: [...WINDOW_SCALES], lexicon, models, about });
const shipped = new ContentClassifier(decodeClassifierWeights(bytes));
log(`weights: ${(bytes.length / 1024).toFixed(0)} KB gzipped; ${nonZero(final)} non-zero weights`);

const heldOut = evaluateHeldOut(shipped, rows.filter((r) => r.heldOut || NEVER_TRAINED.has(r.source)));
const oofSummary = CONTENT_CATEGORIES.map((category, c) => ({ category, ...anchors[c]! }));
for (const line of heldOut.lines) console.log(line);

if (args.has('dry-run')) {
  log('dry run: nothing written');
} else {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'content-classifiers.bin.gz'), bytes);
  writeTrainingReport(join(outDir, 'REPORT.md'), {
    rows,
    training,
    windows: windows.length,
    bytes: bytes.length,
    nonZero: nonZero(final),
    positiveWeight,
    oof: oofSummary,
    heldOut,
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`,
    seconds: (Date.now() - started) / 1000,
  });
  log(`wrote ${join(outDir, 'content-classifiers.bin.gz')} and REPORT.md`);
}

function categoryModels(trained: LinearModel[], levelAnchors: Array<[number, number, number]>): CategoryModel[] {
  return CONTENT_CATEGORIES.map((category, c) => ({
    category,
    bias: trained[c]!.bias,
    weights: trained[c]!.weights,
    anchors: levelAnchors[c]!,
  }));
}

function classifierFrom(trained: LinearModel[], levelAnchors: Array<[number, number, number]>): ContentClassifier {
  return new ContentClassifier({ bits: FEATURE_BITS, windows: [...WINDOW_SCALES], lexicon, models: categoryModels(trained, levelAnchors) });
}

function foldFor(group: string): number {
  // Reuses the split hash with another prefix, so folds are independent of the held-out choice.
  for (let f = 0; f < FOLDS - 1; f++) if (isHeldOut(`fold${f}:${group}`)) return f;
  return FOLDS - 1;
}

interface AnchorChoice {
  anchors: [number, number, number];
  setBy: [string, string, string];
  positives: number;
  /** Out-of-fold share of positives at or above each anchor. */
  tpr: [number, number, number];
  /** Out-of-fold share of each negative set at or above each anchor. */
  fpr: Array<{ set: string; n: number; rates: [number, number, number] }>;
}

function anchorsFor(texts: LabelledText[], scores: Float64Array[], category: ContentCategory, c: number): AnchorChoice {
  const negativesBySet = new Map<string, number[]>();
  const positives: number[] = [];
  texts.forEach((t, r) => {
    const y = t.labels[category];
    if (y === 1) positives.push(scores[r]![c]!);
    else if (y === 0) {
      const set = setName(t);
      const list = negativesBySet.get(set) ?? [];
      list.push(scores[r]![c]!);
      negativesBySet.set(set, list);
    }
  });
  const fit = chooseAnchors(category, negativesBySet);
  const rates = (list: number[]) => fit.anchors.map((a) => rateAtOrAbove(list, a)) as [number, number, number];
  return {
    ...fit,
    positives: positives.length,
    tpr: rates(positives),
    fpr: [...negativesBySet].sort(([a], [b]) => a.localeCompare(b)).map(([set, list]) => ({ set, n: list.length, rates: rates(list) })),
  };
}

function nonZero(models: LinearModel[]): number {
  let n = 0;
  for (const m of models) for (const w of m.weights) if (w !== 0) n++;
  return n;
}
