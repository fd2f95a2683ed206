/**
 * Compares training options for the content-filter models without touching the held-out split or XSTest:
 *
 *   node --import tsx scripts/train/tune-guardrail-classifiers.ts [--data ../shared/datasets] [--options '{"alpha":0.6}']
 *
 * Trains on 80% of the training part (groups chosen by the same hash the folds use) and prints each category's ROC AUC
 * on the other 20%, and for HATE and INSULTS the AUC and best F1 on its Davidson tweets. `--options` overrides
 * `DEFAULT_FTRL` fields. This is how `DEFAULT_FTRL` was chosen (see its comment); nothing is written.
 */
import { WINDOW_SCALES } from '../../src/guardrails/classifiers/classification-windows.js';
import { ContentClassifier } from '../../src/guardrails/classifiers/content-classifier.js';
import { CONTENT_CATEGORIES } from '../../src/guardrails/classifiers/content-category.js';
import { FeatureExtractor } from '../../src/guardrails/classifiers/text-features.js';
import { bestF1, rocAuc } from './binary-metrics.js';
import { defaultDatasetsDir, isHeldOut, loadLabelledTexts, NEVER_TRAINED } from './guardrail-training-data.js';
import { guardrailLexicon } from './guardrail-lexicon.js';
import { DEFAULT_FTRL, type FtrlOptions, trainFtrl } from './train-ftrl.js';
import { balancedPositiveWeights, trainingWindows } from './training-windows.js';

const FEATURE_BITS = 18;
const args = new Map<string, string>();
for (let i = 2; i + 1 < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1]!);
const datasetsDir = args.get('data') ?? defaultDatasetsDir();
const overrides = JSON.parse(args.get('options') ?? '{}') as Partial<FtrlOptions>;

const rows = loadLabelledTexts(datasetsDir);
const lexicon = guardrailLexicon(datasetsDir);
const training = rows.filter((r) => !r.heldOut && !NEVER_TRAINED.has(r.source));
// The first cross-validation fold of the training script: a fifth of the training groups.
const isValidation = (group: string) => isHeldOut(`fold0:${group}`);
const fit = training.filter((r) => !isValidation(r.group));
const validation = training.filter((r) => isValidation(r.group));
const { windows } = trainingWindows(fit, new FeatureExtractor(FEATURE_BITS, lexicon));
const options: FtrlOptions = { ...DEFAULT_FTRL, positiveWeight: balancedPositiveWeights(windows), ...overrides };
const started = Date.now();
const trained = trainFtrl(windows, CONTENT_CATEGORIES.length, 1 << FEATURE_BITS, options);
console.log(`${JSON.stringify({ ...options, positiveWeight: undefined })}: trained in ${((Date.now() - started) / 1000).toFixed(0)} s`);
const classifier = new ContentClassifier({
  bits: FEATURE_BITS,
  windows: [...WINDOW_SCALES],
  lexicon,
  models: CONTENT_CATEGORIES.map((category, c) => ({ category, ...trained[c]!, anchors: [0, 0, 0] as const })),
});
const scores = validation.map((r) => classifier.maxRawScores(r.text));
CONTENT_CATEGORIES.forEach((category, c) => {
  const all: [number[], number[]] = [[], []];
  const tweets: [number[], number[]] = [[], []];
  validation.forEach((r, i) => {
    const y = r.labels[category];
    if (y === undefined) return;
    all[y].push(scores[i]![c]!);
    if (r.source === 'davidson') tweets[y].push(scores[i]![c]!);
  });
  const davidson = tweets[1].length
    ? `; Davidson AUC ${rocAuc(tweets[1], tweets[0]).toFixed(3)}, best F1 ${bestF1(tweets[1], tweets[0]).f1.toFixed(3)}`
    : '';
  console.log(`${category.padEnd(14)} AUC ${rocAuc(all[1], all[0]).toFixed(4)} (${all[1].length} / ${all[0].length})${davidson}`);
});
