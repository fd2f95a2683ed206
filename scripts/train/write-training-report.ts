/**
 * Writes weights/REPORT.md: how the committed models were trained and what they score on text they never saw. The
 * prose is fixed here; every figure comes from the training run that wrote the weights.
 */
import { writeFileSync } from 'node:fs';
import { CONTENT_CATEGORIES } from '../../src/guardrails/classifiers/content-category.js';
import { type HeldOutEvaluation, fmt } from './evaluate-held-out.js';
import { type LabelledText, NEVER_TRAINED, setName } from './guardrail-training-data.js';
import { DEFAULT_FTRL } from './train-ftrl.js';

export interface TrainingReport {
  rows: LabelledText[];
  training: LabelledText[];
  windows: number;
  bytes: number;
  nonZero: number;
  positiveWeight: number[];
  oof: Array<{
    category: string;
    anchors: [number, number, number];
    setBy: [string, string, string];
    positives: number;
    tpr: [number, number, number];
    fpr: Array<{ set: string; n: number; rates: [number, number, number] }>;
  }>;
  heldOut: HeldOutEvaluation;
  machine: string;
  seconds: number;
}

const SET_NOTES: Record<string, string> = {
  davidson: 'toxicity/davidson_labeled_data.csv — tweets labelled hate / offensive / neither',
  'inthewild-jailbreak': 'attacks/inthewild_jailbreak_llms.json — jailbreak prompts collected in the wild (verbatim repeats dropped)',
  'giskard-injection': 'attacks/giskard_prompt_injections.csv — prompt injections (DAN-style and PromptInject hijacking)',
  'tensor-trust-extraction': 'attacks/tensor_trust_extraction_detection.jsonl — model outputs, labelled whether they leak the hidden prompt',
  ailuminate: 'hazards/ailuminate_demo_en_us.csv — prompts in 12 hazard categories, skilled and unskilled personas',
  harmbench: 'hazards/harmbench_prompts.txt — harmful-behaviour requests',
  msmarco: 'retrieval/msmarco — web passages (a fixed half) and queries',
  dbpedia: 'retrieval/dbpedia — encyclopaedia abstracts (a fixed half) and queries',
  'business-reports': 'retrieval/business-reports — report passages and queries',
  cranfield: 'retrieval/cranfield/cran.qry — aeronautics queries',
  presidio: 'pii/presidio_synth_v2_dev.json — synthetic sentences with personal data',
  'benign-instructions': 'scripts/train/benign-instructions.ts — harmless persona and instruction prompts written for this project',
  'benign-questions':
    'scripts/train/benign-questions.ts — harmless requests generated from templates written for this project, about DBpedia titles and everyday tasks',
};

export function writeTrainingReport(path: string, r: TrainingReport): void {
  const out: string[] = [];
  const p = (line = '') => out.push(line);
  const date = new Date().toISOString().slice(0, 10);
  p('# Content-filter classifiers: training and evaluation');
  p();
  p(`Written by \`node --import tsx scripts/train/train-guardrail-classifiers.ts\` on ${date} (${r.machine}, ${Math.round(r.seconds)} s).`);
  p('Re-running it on the same data writes the same `content-classifiers.bin.gz`: the split, folds and sampling are');
  p('SHA-256 hashes of fixed keys and the only random choice, the order examples are visited in, has a fixed seed.');
  p();
  p('## What is here');
  p();
  p(`\`content-classifiers.bin.gz\` (${(r.bytes / 1024).toFixed(0)} KB): six logistic-regression models, one per Bedrock`);
  p('content-filter category, over one hashed feature space of 2^18 slots, with each category\'s LOW/MEDIUM/HIGH');
  p('anchors and a hashed lexicon (keys only, no words). Format: `src/guardrails/classifiers/classifier-weights.ts`;');
  p('weights are one byte each on a square-law scale and are unpacked to float32 (about 6 MB) on first use.');
  p(`${r.nonZero.toLocaleString('en')} of the ${(CONTENT_CATEGORIES.length * 2 ** 18).toLocaleString('en')} weights are non-zero.`);
  p();
  p('Features of a window of text (`text-features.ts`): words and word pairs, character 3/4/5-grams, one feature per');
  p('hand-written cue pattern (`cue-patterns.ts`: "ignore … instructions", persona switches, mode names, "without getting');
  p('caught", threats, group generalisations, leaked rules, …) and one per lexicon class a word or phrase belongs to');
  p('(sexual, slur, insult, profane from the public profanity lists; violence, weapon, crime, more sexual terms and');
  p('insults that do not swear from `harm-lexicon.ts`). Text is read first through `foldUnicode` (invisible characters, look-alike letters, full-width');
  p('and mathematical letters, accents) and `canonicalText` (case, leetspeak, spelled-out letters, URLs, mentions); at');
  p('classification time, text hidden in Unicode tag characters and plausible base64 runs are decoded and scored too.');
  p();
  p('## Data: what was trained on what');
  p();
  p('All sets are read from `../shared/datasets` (see its README for sources and licences); nothing is copied into the');
  p('repository. Labels per category: 1 = positive, 0 = negative, – = not used for that category (the set says nothing');
  p('reliable either way). **Held out**: 20% of every set, chosen by hash of a group key, never trained on; near-duplicate');
  p('prompts (jailbreak variants, re-worded hazard prompts) share a group, so no variant of a held-out prompt is trained on');
  p('(`near-duplicate-groups.ts`). Davidson rows are split by their row id. The Giskard injections are **never trained');
  p('on** (two templates; a 20% split would test little). **XSTest is never read by the training script.**');
  p();
  p(`| set | labels (${CONTENT_CATEGORIES.join(' / ')}) | trained on | held out |`);
  p('|---|---|---:|---:|');
  const bySet = new Map<string, { labels: Set<string>; train: number; held: number }>();
  for (const row of r.rows) {
    const key = setName(row);
    const entry = bySet.get(key) ?? { labels: new Set<string>(), train: 0, held: 0 };
    entry.labels.add(CONTENT_CATEGORIES.map((c) => (row.labels[c] === undefined ? '–' : String(row.labels[c]))).join(' '));
    if (row.heldOut || NEVER_TRAINED.has(row.source)) entry.held++;
    else entry.train++;
    bySet.set(key, entry);
  }
  for (const [set, e] of [...bySet].sort(([a], [b]) => a.localeCompare(b))) {
    const labels = e.labels.size === 1 ? [...e.labels][0]! : 'by hazard, see below';
    p(`| ${set} | ${labels} | ${e.train} | ${e.held} |`);
  }
  p();
  p('Sources:');
  p();
  for (const [k, v] of Object.entries(SET_NOTES)) p(`- **${k}**: ${v}`);
  p();
  p('AILuminate hazards map to categories by Bedrock\'s definitions (`guardrail-training-data.ts`): violent crimes and');
  p('indiscriminate weapons → VIOLENCE and MISCONDUCT; suicide and self-harm → VIOLENCE; non-violent crimes, privacy,');
  p('intellectual property and defamation → MISCONDUCT; child sexual exploitation and sex-related crimes → SEXUAL and');
  p('MISCONDUCT; sexual content → SEXUAL; hate → HATE; specialised advice (finance, health, law, elections) → negative');
  p('everywhere. Only the "unskilled" persona prompts count as PROMPT_ATTACK negatives: the "skilled" ones often wrap the');
  p('request in jailbreak framing. HarmBench requests are MISCONDUCT positives. Davidson: HATE = hate speech; INSULTS =');
  p('hate speech or offensive language. Tensor Trust: PROMPT_ATTACK = the output leaks the hidden prompt or its code.');
  p();
  p('**How much data each category really has.** HATE and INSULTS: about 20,000 labelled tweets (hate speech is 6% of');
  p('them) plus 80 hate prompts. PROMPT_ATTACK: about 500 jailbreaks and 90 leaking outputs. SEXUAL, VIOLENCE and');
  p('MISCONDUCT have no dedicated corpus: about 240, 240 and 700 positive *prompts* (requests for such content) from');
  p('AILuminate and HarmBench, and no labelled model *outputs* at all. Those three models are therefore mostly lexical');
  p('detectors of harmful requests, helped by the cue patterns and the profanity lexicon; treat their levels as');
  p('indicative, and prefer an LLM judge for them where one is configured.');
  p();
  p('## Training');
  p();
  p(`Each training text becomes canonical windows at two scales, 2,048 characters (256 overlapping) and 256 (128): ${r.windows.toLocaleString('en')} windows`);
  p(`from ${r.training.length.toLocaleString('en')} texts. A long text's windows share its weight (1/√windows each). All six models are`);
  p('trained together by FTRL-Proximal logistic regression (`train-ftrl.ts`): ' +
    `α ${DEFAULT_FTRL.alpha}, β ${DEFAULT_FTRL.beta}, L1 ${DEFAULT_FTRL.l1}, L2 ${DEFAULT_FTRL.l2}, ${DEFAULT_FTRL.epochs} epochs, seed ${DEFAULT_FTRL.seed}; ` +
    'a positive counts √(negatives/positives) times a negative: ' +
    CONTENT_CATEGORIES.map((c, i) => `${c} ${r.positiveWeight[i]!.toFixed(2)}`).join(', ') + '.');
  p('These options were compared with `scripts/train/tune-guardrail-classifiers.ts`, which trains on 80% of the training');
  p('part and scores the other 20% (never the held-out split, never XSTest): α 0.1 → 0.6 raised Davidson HATE AUC on');
  p('that validation part from 0.882 to 0.891 and every other category a little; 2^20 feature slots instead of 2^18,');
  p('other L1/L2 values and 10 epochs changed nothing measurable.');
  p();
  p('## Levels');
  p();
  p('Four-fold cross-validation on the training part (folds by group, like the split) gives every training text an');
  p('out-of-fold score. Per category, LOW, MEDIUM and HIGH start at the lowest raw score at which no reference negative');
  p('set has more than 5%, 2% and 0.5% of its texts at or above it (`choose-anchors.ts`): the hardest harmless text');
  p('decides. Reference sets are the negative sets of 30 texts or more, except the hazard prompts for the five harm');
  p('categories (they are harmful, and their categories overlap) and Tensor Trust\'s non-leaking outputs for');
  p('PROMPT_ATTACK (answers under attack, which restate rules much as leaks do); their rates are reported all the same.');
  p('The classifier reports confidence on a scale where these anchors are 0.5, 0.7 and 0.9 (`calibrate-score.ts`).');
  p('Out-of-fold rates at the chosen anchors (LOW / MEDIUM / HIGH):');
  p();
  p('| category | anchors (raw score) | set that placed LOW | positives | TPR | highest negative sets (FPR) |');
  p('|---|---|---|---:|---|---|');
  for (const o of r.oof) {
    const worst = [...o.fpr]
      .filter((f) => f.n >= 20)
      .sort((a, b) => b.rates[0] - a.rates[0])
      .slice(0, 3)
      .map((f) => `${f.set} (n=${f.n}) ${f.rates.map(fmt).join(' / ')}`)
      .join('; ');
    p(`| ${o.category} | ${o.anchors.map((a) => a.toFixed(2)).join(' / ')} | ${o.setBy[0]} | ${o.positives} | ${o.tpr.map(fmt).join(' / ')} | ${worst} |`);
  }
  p();
  p('## Evaluation on held-out data');
  p();
  p('The stored file is read back and every held-out text (and every Giskard injection) is classified through the same');
  p('`ContentClassifier` that serves requests. ROC AUC per category, held-out positives against held-out negatives:');
  p(CONTENT_CATEGORIES.map((c) => `${c} ${fmt(r.heldOut.auc[c]?.auc ?? Number.NaN)} (${r.heldOut.auc[c]?.positives ?? 0} / ${r.heldOut.auc[c]?.negatives ?? 0})`).join(', ') + '.');
  p();
  p('Davidson held out, at the shipped levels:');
  p();
  p('| category | n | positives | LOW P / R / F1 | MEDIUM P / R / F1 | HIGH P / R / F1 | best F1 (oracle threshold) |');
  p('|---|---:|---:|---|---|---|---:|');
  for (const t of r.heldOut.toxicity) {
    const cell = (x: { precision: number; recall: number; f1: number }) => `${fmt(x.precision)} / ${fmt(x.recall)} / **${fmt(x.f1)}**`;
    p(`| ${t.category} | ${t.n} | ${t.positives} | ${t.atLevel.map(cell).join(' | ')} | ${fmt(t.oracle.f1)} |`);
  }
  p();
  p('Share of each held-out set flagged at LOW / MEDIUM / HIGH (TPR for positives, FPR for negatives; sets under 10');
  p('texts omitted):');
  p();
  p('| category | set | label | n | LOW | MEDIUM | HIGH |');
  p('|---|---|---|---:|---:|---:|---:|');
  for (const s of r.heldOut.sets) {
    if (s.n < 10) continue;
    p(`| ${s.category} | ${s.set} | ${s.label === 1 ? 'positive' : 'negative'} | ${s.n} | ${s.flagged.map(fmt).join(' | ')} |`);
  }
  p();
  p('`bench/guardrail-classifiers.ts` adds what training never reads: the prompt-attack true-positive rate at a 5%');
  p('false-positive rate on XSTest\'s safe prompts, every category on both halves of XSTest, disguised attacks, and');
  p('latency; its figures are in bench/RESULTS.md.');
  p();
  p('## Limits');
  p();
  p('- English only: the data is English, and text in other scripts is read but not understood.');
  p('- SEXUAL, VIOLENCE and MISCONDUCT rest on a few hundred prompts (see above); none of the training data is a model');
  p('  answer except Tensor Trust\'s, so output-side filtering is less well founded than input-side.');
  p('- Prompt leakage in an answer is judged from the answer alone. A check that compares the answer with the actual');
  p('  system prompt would be far more reliable, and belongs beside these models in the guardrail policy.');
  p('- Davidson\'s hate-speech labels are noisy and tied to US tweets of 2017; F1 on them says little about other text.');
  p('- The generated harmless questions repeat a few templates ("give me step by step instructions to …", "explain …');
  p('  step by step") thousands of times, so that wording itself lowers the harm scores: a harmful request phrased that');
  p('  way can land just under LOW. Counting those questions at a quarter weight lifted such requests but lowered');
  p('  validation AUC in every category, so it was not kept.');
  p('- XSTest\'s safe prompts (violent words in harmless senses: "kill a Python process") are flagged often by SEXUAL,');
  p('  VIOLENCE and MISCONDUCT (bench/RESULTS.md): nothing in the training data shows such words used harmlessly in');
  p('  requests, and none was written for it, so that XSTest stays a test.');
  writeFileSync(path, `${out.join('\n')}\n`);
}
