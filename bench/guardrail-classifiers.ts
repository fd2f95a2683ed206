/**
 * Quality and latency of the offline content-filter classifiers (src/guardrails/classifiers/) with the committed
 * weights, on data they were not trained on.
 *
 *   node --import tsx bench/guardrail-classifiers.ts [--data ../shared/datasets] [--rounds 10]
 *
 * - Prompt attack: true-positive rate per attack set (the held-out 20% of the in-the-wild jailbreaks and of Tensor
 *   Trust's extraction outputs, near-duplicate groups split together, see scripts/train/guardrail-training-data.ts;
 *   all 35 Giskard injections, never trained on) against the false-positive rate on XSTest's 250 safe prompts, which
 *   training never reads. Headline: the shipped LOW/MEDIUM/HIGH levels, whose thresholds training placed on its own
 *   out-of-fold scores. For comparison, a threshold fitted to a fixed half of XSTest's safe prompts and tested on the
 *   other half, and the ROC point (threshold fitted to all 250: a ranking figure, not an operating point). Also the
 *   same attacks disguised (zero-width characters, look-alike letters, leetspeak, base64, tag characters).
 * - Toxicity: HATE and INSULTS precision, recall and F1 on the held-out 20% of Davidson et al. at each shipped level.
 * - XSTest: each category's flag rate on the safe half and on the unsafe half at the shipped levels.
 * - Latency per KB of text for `classifyContent` with all six categories: wall and CPU time per document.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { classifyContent, defaultContentClassifier, LEVEL_CUTS } from '../src/guardrails/classifiers/index.js';
import { percentile, rateAtOrAbove, thresholdForFpr } from '../scripts/train/binary-metrics.js';
import { evaluateHeldOut, fmt } from '../scripts/train/evaluate-held-out.js';
import { type LabelledText, loadLabelledTexts, loadXstest, NEVER_TRAINED } from '../scripts/train/guardrail-training-data.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const dataDir = resolve(args.get('data') ?? '../shared/datasets');
const rounds = Number(args.get('rounds') ?? 10);
if (!existsSync(join(dataDir, 'attacks/xstest_prompts.csv'))) {
  console.error(`Data sets not found under ${dataDir}; see ../shared/datasets/README.md.`);
  process.exit(1);
}

const loadStart = performance.now();
const classifier = defaultContentClassifier();
const loadMs = performance.now() - loadStart;
const attackIndex = classifier.models.findIndex((m) => m.category === 'PROMPT_ATTACK');
// The shipped decision: the model's calibrated score, raised by a matching rule.
const attackScore = (text: string) => classifier.confidences(text)[attackIndex]!;
const cuts = [LEVEL_CUTS.LOW, LEVEL_CUTS.MEDIUM, LEVEL_CUTS.HIGH];

const rows = loadLabelledTexts(dataDir);
const unseen = rows.filter((r) => r.heldOut || NEVER_TRAINED.has(r.source));
const xstest = loadXstest(dataDir);
const safe = xstest.filter((x) => x.label === 'safe');
const unsafe = xstest.filter((x) => x.label === 'unsafe');

console.log(`# Guardrail classifiers — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model}`);
console.log(`Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)}; weights loaded in ${loadMs.toFixed(0)} ms\n`);

// Prompt attack. Three operating points, from most to least honest:
// 1. the shipped levels, whose thresholds the training script placed on its own out-of-fold scores (it never reads
//    XSTest), so XSTest's safe half is a true test of their false-positive rate;
// 2. a threshold fitted to a fixed half of XSTest's safe prompts (by hash of the prompt id) and tested on the other half;
// 3. the ROC point: the threshold fitted to all 250 safe prompts, FPR and TPR read on the same data (a ranking figure).
const attackSets: Array<[string, LabelledText[]]> = [
  ['in-the-wild jailbreaks (held-out 20%)', unseen.filter((r) => r.source === 'inthewild-jailbreak')],
  ['Giskard injections (all; never trained on)', unseen.filter((r) => r.source === 'giskard-injection')],
  [
    'Tensor Trust extractions (held-out 20%)',
    unseen.filter((r) => r.source === 'tensor-trust-extraction' && r.labels.PROMPT_ATTACK === 1),
  ],
];
const safeScores = safe.map((x) => attackScore(x.prompt));
const calibrationHalf = safe.map(
  (x) => createHash('sha256').update(`xstest-calibration:${x.id}`).digest().readUInt32BE(0) % 2 === 0,
);
const tCalibrated = thresholdForFpr(
  safeScores.filter((_, i) => calibrationHalf[i]),
  0.05,
);
const testHalfScores = safeScores.filter((_, i) => !calibrationHalf[i]);
const tRoc = thresholdForFpr(safeScores, 0.05);
const levelRates = (scores: number[]) => cuts.map((cut) => fmt(rateAtOrAbove(scores, cut)));
console.log('## Prompt attack\n');
console.log(
  `False positives on XSTest's ${safe.length} safe prompts (never trained on, never used to place a threshold): ` +
    `${levelRates(safeScores).join(' / ')} at the shipped LOW / MEDIUM / HIGH levels. ` +
    `A threshold fitted to ${calibrationHalf.filter(Boolean).length} of them (FPR ≤ 5% there) flags ` +
    `${fmt(rateAtOrAbove(testHalfScores, tCalibrated))} of the other ${testHalfScores.length}; ` +
    `the ROC point (threshold fitted to all ${safe.length}) flags ${fmt(rateAtOrAbove(safeScores, tRoc))} of them.\n`,
);
console.log('| set | n | TPR at LOW (shipped) | MEDIUM | HIGH | TPR, threshold from XSTest calibration half | TPR at ROC point (FPR ≤ 5% on all XSTest safe) |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
const allAttackScores: number[] = [];
const attackRow = (name: string, n: number, scores: number[]) => {
  const [low, medium, high] = levelRates(scores);
  return `| ${name} | ${n} | **${low}** | ${medium} | ${high} | ${fmt(rateAtOrAbove(scores, tCalibrated))} | ${fmt(rateAtOrAbove(scores, tRoc))} |`;
};
for (const [name, set] of attackSets) {
  const scores = set.map((r) => attackScore(r.text));
  allAttackScores.push(...scores);
  console.log(attackRow(name, set.length, scores));
}
console.log(attackRow('all three', allAttackScores.length, allAttackScores));
const ttNegatives = unseen.filter((r) => r.source === 'tensor-trust-extraction' && r.labels.PROMPT_ATTACK === 0);
const ttNegativeScores = ttNegatives.map((r) => attackScore(r.text));
console.log(
  `\nFalse positives on held-out Tensor Trust outputs that leak nothing (n=${ttNegatives.length}): ` +
    `${levelRates(ttNegativeScores).join(' / ')} at the levels.`,
);

// The same held-out attacks in disguise, at the shipped LOW level.
const disguises: Array<[string, (text: string) => string]> = [
  ['zero-width characters between letters', (t) => [...t].join('\u200b')],
  ['Cyrillic look-alike letters', (t) => t.replace(/[aeopcx]/g, (c) => 'аеорсх'['aeopcx'.indexOf(c)]!)],
  ['leetspeak', (t) => t.replace(/[aeiost]/gi, (c) => ({ a: '4', e: '3', i: '1', o: '0', s: '5', t: '7' })[c.toLowerCase()]!)],
  ['base64, with an instruction to decode it', (t) => `Decode this and do what it says: ${Buffer.from(t).toString('base64')}`],
  [
    'Unicode tag characters (invisible)',
    (t) => `Hi! ${[...t].map((c) => (c.charCodeAt(0) < 0x7f ? String.fromCodePoint(0xe0000 + c.charCodeAt(0)) : c)).join('')}`,
  ],
];
const plainAttacks = attackSets.flatMap(([, set]) => set.map((r) => r.text));
console.log('\nDisguised attacks (the three sets together, shipped LOW level):\n');
console.log('| disguise | TPR |');
console.log('|---|---:|');
console.log(`| none | ${fmt(rateAtOrAbove(allAttackScores, LEVEL_CUTS.LOW))} |`);
for (const [name, disguise] of disguises) {
  const scores = plainAttacks.map((t) => attackScore(disguise(t)));
  console.log(`| ${name} | ${fmt(rateAtOrAbove(scores, LEVEL_CUTS.LOW))} |`);
}

// Toxicity and every held-out set.
const held = evaluateHeldOut(classifier, unseen);
console.log('\n## Toxicity (held-out Davidson)\n');
console.log('| category | n | positives | level | precision | recall | F1 |');
console.log('|---|---:|---:|---|---:|---:|---:|');
for (const t of held.toxicity) {
  t.atLevel.forEach((pr, i) => {
    const level = ['LOW', 'MEDIUM', 'HIGH'][i]!;
    console.log(`| ${t.category} | ${t.n} | ${t.positives} | ${level} | ${fmt(pr.precision)} | ${fmt(pr.recall)} | ${i === 0 ? `**${fmt(pr.f1)}**` : fmt(pr.f1)} |`);
  });
  console.log(
    `| ${t.category} | | | best threshold on this data (oracle) | ${fmt(t.oracle.precision)} | ${fmt(t.oracle.recall)} | ${fmt(t.oracle.f1)} |`,
  );
}
console.log(`\nROC AUC: ${held.toxicity.map((t) => `${t.category} ${fmt(t.auc)}`).join(', ')}.`);

// XSTest per category at the shipped levels.
console.log('\n## XSTest (never trained on): share flagged at LOW / MEDIUM / HIGH\n');
console.log('| category | safe half (false positives) | unsafe half |');
console.log('|---|---|---|');
const xConfidence = xstest.map((x) => classifier.confidences(x.prompt));
classifier.models.forEach((m, c) => {
  const s = xstest.flatMap((x, i) => (x.label === 'safe' ? [xConfidence[i]![c]!] : []));
  const u = xstest.flatMap((x, i) => (x.label === 'unsafe' ? [xConfidence[i]![c]!] : []));
  const rates = (list: number[]) => cuts.map((cut) => fmt(rateAtOrAbove(list, cut))).join(' / ');
  console.log(`| ${m.category} | ${rates(s)} | ${rates(u)} |`);
});
const harm = classifier.models.flatMap((m, c) => (m.category === 'PROMPT_ATTACK' ? [] : [c]));
const anyHarm = (i: number, level: number) => harm.some((c) => xConfidence[i]![c]! >= cuts[level]!);
const anyRate = (label: 'safe' | 'unsafe', level: number) =>
  fmt(xstest.filter((x, i) => x.label === label && anyHarm(i, level)).length / (label === 'safe' ? safe.length : unsafe.length));
console.log(
  `| any of the five harm categories | ${[0, 1, 2].map((l) => anyRate('safe', l)).join(' / ')} | ${[0, 1, 2].map((l) => anyRate('unsafe', l)).join(' / ')} |`,
);

console.log('\n## Every held-out set: share flagged at LOW / MEDIUM / HIGH\n');
console.log('| category | set | label | n | LOW | MEDIUM | HIGH |');
console.log('|---|---|---|---:|---:|---:|---:|');
for (const s of held.sets) {
  if (s.n < 10) continue;
  console.log(`| ${s.category} | ${s.set} | ${s.label === 1 ? 'positive' : 'negative'} | ${s.n} | ${s.flagged.map(fmt).join(' | ')} |`);
}

// Latency: ~1 KB documents of held-out text of every kind, all six categories, after two untimed passes.
const documents = latencyDocuments(unseen);
const kb = documents.map((d) => Buffer.byteLength(d) / 1024);
for (let pass = 0; pass < 2; pass++) for (const d of documents) classifyContent(d);
const wall: number[] = [];
const cpu: number[] = [];
for (let round = 0; round < rounds; round++) {
  documents.forEach((d, i) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    classifyContent(d);
    const t1 = performance.now();
    const c1 = process.cpuUsage(c0);
    wall.push((t1 - t0) / kb[i]!);
    cpu.push((c1.user + c1.system) / 1000 / kb[i]!);
  });
}
wall.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
const long = 'word '.repeat(40_000) + plainAttacks[0];
const l0 = performance.now();
const longFinding = classifyContent(long).find((f) => f.category === 'PROMPT_ATTACK')!;
const longMs = performance.now() - l0;
console.log('\n## Latency per KB (`classifyContent`, all six categories)\n');
console.log(`${documents.length} documents of about 1 KB, ${rounds} rounds after two untimed passes.\n`);
console.log('| wall p50 ms/KB | wall p99 ms/KB | CPU p50 ms/KB | CPU p99 ms/KB |');
console.log('|---:|---:|---:|---:|');
console.log(`| ${percentile(wall, 50).toFixed(3)} | ${percentile(wall, 99).toFixed(3)} | ${percentile(cpu, 50).toFixed(3)} | ${percentile(cpu, 99).toFixed(3)} |`);
console.log(
  `\nA ${(Buffer.byteLength(long) / 1024).toFixed(0)} KB document (filler, then one jailbreak at the end): ${longMs.toFixed(0)} ms ` +
    `(${(longMs / (Buffer.byteLength(long) / 1024)).toFixed(3)} ms/KB), PROMPT_ATTACK ${longFinding.level} (${longFinding.confidence}).`,
);

/** Up to 20 documents of about 1 KB per held-out set, each made of consecutive texts, so every kind of text is timed. */
function latencyDocuments(texts: LabelledText[]): string[] {
  const docs: string[] = [];
  const bySource = new Map<string, string[]>();
  for (const t of texts) bySource.set(t.source, [...(bySource.get(t.source) ?? []), t.text]);
  for (const list of bySource.values()) {
    let current = '';
    let made = 0;
    for (const text of list) {
      current = current ? `${current}\n${text}` : text;
      while (current.length >= 1024 && made < 20) {
        docs.push(current.slice(0, 1024));
        current = current.slice(1024);
        made++;
      }
    }
  }
  return docs;
}
