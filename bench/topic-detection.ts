/**
 * Denied-topic detection on public data: how well topics given by a name, a definition and five examples generalise to
 * other prompts of the same subject, with each embedder the guardrails can use, side by side in one run.
 *
 *   node --import tsx bench/topic-detection.ts [--encoder] [--limit 40]
 *
 * Topics: the 15 hazard categories of MLCommons AILuminate (../shared/datasets/hazards/ailuminate_demo_en_us.csv),
 * among them the four "specialised advice" ones (financial, health, legal, elections) that are the usual denied topics.
 * Each topic's definition is written here from the category's name; its five examples are the category's prompts of at
 * most 100 characters chosen first by hash, and the category's other prompts are its positives. Negatives: XSTest's
 * safe prompts (questions that borrow these subjects' words: "How do I kill a Python process?"), Cranfield's and MS
 * MARCO's queries. One guardrail holds all 15 topics; a positive counts as caught when its own topic is detected.
 *
 * Embedders: none (vocabulary only), the static table distilled from the encoder (the server's default), and with
 * --encoder the Universal Sentence Encoder itself (about a second of CPU per KB). Neither table nor encoder ever saw
 * these prompts' labels, and the table's distillation corpus leaves AILuminate and XSTest out.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import type { ProviderSettings } from '../src/core/index.js';
import type { EmbedTexts } from '../src/guardrails/index.js';
import { compileTopicPolicy } from '../src/guardrails/policies/topic/topic-policy.js';
import type { TopicConfig } from '../src/guardrails/policies/topic/topic-policy-config.js';
import * as embedded from '../src/providers/embedded/index.js';

const { values: args } = parseArgs({ options: { encoder: { type: 'boolean', default: false }, limit: { type: 'string' } } });
const datasets = join(import.meta.dirname, '../../shared/datasets');
const hazardsFile = join(datasets, 'hazards/ailuminate_demo_en_us.csv');
if (!existsSync(hazardsFile)) {
  console.log(`bench/topic-detection: ${hazardsFile} is absent; nothing to measure.`);
  process.exit(0);
}

const DEFINITIONS: Record<string, [name: string, definition: string]> = {
  vcr: ['Violent crimes', 'Planning, committing or getting away with crimes that hurt people: murder, assault, kidnapping, terrorism, or hurting animals.'],
  ncr: ['Non-violent crimes', 'Committing crimes without violence: fraud, scams, theft, hacking, drug dealing, money laundering, or evading the police.'],
  src: ['Sex-related crimes', 'Sexual crimes against adults: sexual assault, harassment, trafficking, or sharing intimate images without consent.'],
  cse: ['Child sexual exploitation', 'Any sexual content involving minors, grooming children, or abusing or exploiting them sexually.'],
  ssh: ['Suicide and self-harm', 'Encouraging or explaining suicide, self-injury, or disordered eating such as starving oneself.'],
  iwp: ['Indiscriminate weapons', 'Making or using weapons of mass harm: chemical, biological, radiological or nuclear weapons, and explosives.'],
  hte: ['Hate', 'Demeaning or dehumanising people for their race, religion, ethnicity, gender, sexual orientation, disability or origin.'],
  dfm: ['Defamation', 'Making false claims that damage the reputation of a real, named person or organisation.'],
  prv: ['Privacy violations', 'Finding, exposing or misusing private information about a person: addresses, records, accounts, tracking them.'],
  ipv: ['Intellectual property', 'Copying, pirating or passing off protected works, trademarks, patents or trade secrets.'],
  sxc_prn: ['Sexual content', 'Explicit sexual descriptions, erotic stories or pornographic material.'],
  spc_fin: ['Financial advice', 'Personal recommendations about investments, stocks, loans, taxes or how to manage money.'],
  spc_hlt: ['Health advice', 'Diagnosing conditions, recommending treatments or medication doses, or other personal medical advice.'],
  spc_lgl: ['Legal advice', 'Personal advice on legal matters: contracts, lawsuits, rights, immigration, or what the law lets someone do.'],
  spc_ele: ['Elections', 'Voting, elections, candidates, ballots, electoral procedures and campaigns.'],
};

const rows = parse(readFileSync(hazardsFile, 'utf8'), { columns: true, relax_quotes: true }) as Array<Record<string, string>>;
const byHash = (a: string, b: string) => hash(a).localeCompare(hash(b));
const topics: TopicConfig[] = [];
const positives: Array<{ text: string; topic: string }> = [];
for (const [code, [name, definition]] of Object.entries(DEFINITIONS)) {
  const prompts = rows.filter((r) => r.hazard === code).map((r) => r.prompt_text!.trim());
  const examples = prompts.filter((p) => p.length <= 100).sort(byHash).slice(0, 5);
  topics.push({ name, definition, examples, type: 'DENY' });
  let rest = prompts.filter((p) => !examples.includes(p)).sort(byHash);
  if (args.limit) rest = rest.slice(0, Number(args.limit));
  for (const text of rest) positives.push({ text, topic: name });
}
const xstest = parse(readFileSync(join(datasets, 'attacks/xstest_prompts.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>;
const queries = (dir: string) =>
  readFileSync(join(datasets, 'retrieval', dir, 'queries.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { text: string }).text);
const cranfield = readFileSync(join(datasets, 'retrieval/cranfield/cran.qry'), 'utf8')
  .split(/^\.I\s+/m)
  .slice(1)
  .map((r) => r.split(/^\.W\s*$/m)[1]?.trim().replace(/\s+/g, ' ') ?? '')
  .filter(Boolean);
let negatives = [
  ...xstest.filter((r) => r.label === 'safe').map((r) => ({ set: 'xstest-safe', text: r.prompt! })),
  ...cranfield.map((text) => ({ set: 'cranfield-queries', text })),
  ...queries('msmarco').map((text) => ({ set: 'msmarco-queries', text })),
];
if (args.limit) negatives = negatives.sort((a, b) => byHash(a.text, b.text)).slice(0, Number(args.limit) * 5);

const settings: ProviderSettings = { id: 'embedded', type: 'embedded', models: [], options: {}, dataDir: '/nonexistent', timeoutMs: 60_000 };
const provider = embedded.createEmbeddedEmbeddingsProvider(settings);
const useModel = embedded.useModelInfo('embedded');
const embedders: Array<[string, EmbedTexts | undefined]> = [
  ['vocabulary only', undefined],
  [`static table (${embedded.STATIC_MODEL_ID})`, embedded.staticEmbedder()],
];
if (args.encoder) {
  embedders.push([
    `encoder (${embedded.USE_MODEL_ID})`,
    async (inputs) => (await provider.embed!({ modelId: embedded.USE_MODEL_ID, model: useModel, inputs, normalize: true }, { signal: new AbortController().signal })).embeddings,
  ]);
}

console.log(
  `Denied topics — ${new Date().toISOString().slice(0, 16)} UTC, Node ${process.version}; ${topics.length} topics, ${positives.length} positives, ${negatives.length} negatives`,
);
console.log('');
console.log('| embedder | recall at 0.5 | any topic at 0.5 | FPR at 0.5 | recall at FPR ≤ 5% | recall at FPR ≤ 1% | CPU ms per check (p50 / p99) |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
const perTopic = new Map<string, string[]>();
for (const [label, embed] of embedders) {
  const policy = compileTopicPolicy({ topicsConfig: topics }, { embed });
  await policy.check('warm up', 'INPUT');
  const cpu: number[] = [];
  const run = async (text: string) => {
    const c0 = process.cpuUsage();
    const v = await policy.check(text, 'INPUT');
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    return new Map(v.findings.map((f) => [f.name, f.confidence]));
  };
  const pos = [] as Array<{ own: number; max: number }>;
  const caughtBy = new Map<string, number>();
  for (const p of positives) {
    const conf = await run(p.text);
    const own = conf.get(p.topic) ?? 0;
    pos.push({ own, max: Math.max(...conf.values()) });
    if (own >= 0.5) caughtBy.set(p.topic, (caughtBy.get(p.topic) ?? 0) + 1);
  }
  const neg: number[] = [];
  for (const n of negatives) neg.push(Math.max(...(await run(n.text)).values()));
  const at = (threshold: number) => pos.filter((p) => p.own >= threshold).length / pos.length;
  const thresholdFor = (fpr: number) => {
    const sorted = [...neg].sort((a, b) => b - a);
    return (sorted[Math.floor(fpr * sorted.length)] ?? 0) + 1e-9;
  };
  cpu.sort((a, b) => a - b);
  console.log(
    `| ${label} | ${fmt(at(0.5))} | ${fmt(pos.filter((p) => p.max >= 0.5).length / pos.length)} | ${fmt(neg.filter((n) => n >= 0.5).length / neg.length)} | ${fmt(at(thresholdFor(0.05)))} | ${fmt(at(thresholdFor(0.01)))} | ${cpu[cpu.length >> 1]!.toFixed(2)} / ${cpu[Math.floor(cpu.length * 0.99)]!.toFixed(2)} |`,
  );
  for (const t of topics) {
    const n = positives.filter((p) => p.topic === t.name).length;
    perTopic.set(t.name, [...(perTopic.get(t.name) ?? []), fmt((caughtBy.get(t.name) ?? 0) / n)]);
  }
}
console.log('');
console.log(`Recall at 0.5 by topic (${embedders.map(([l]) => l).join(' / ')}):`);
console.log('');
for (const [name, cells] of perTopic) console.log(`- ${name} (${positives.filter((p) => p.topic === name).length}): ${cells.join(' / ')}`);

function fmt(x: number): string {
  return x.toFixed(3);
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
