/**
 * Latency of a guardrail with every offline policy on, through the compiled engine that ApplyGuardrail runs
 * (compileGuardrail(...).check): content filters in all six categories, three denied topics, custom words and the
 * managed profanity list, every PII entity type plus a custom regex, and contextual grounding (GROUNDING and RELEVANCE)
 * whenever the request carries references.
 *
 *   node --import tsx bench/guardrail-latency.ts [--data ../shared/datasets] [--rounds 5] [--per-set 20] [--embed static|encoder|none]
 *     [--policies content,topics,words,pii,grounding]
 *
 * Texts: documents of about 1 KB, each made of consecutive texts of one public set (PII sentences of presidio-research's
 * synthetic set, Davidson tweets, in-the-wild jailbreaks, Tensor Trust extractions, Giskard injections, AILuminate
 * hazard prompts, MS MARCO passages …), up to `--per-set` (20) per set. Two cases per document:
 * - INPUT: the document as a prompt (content filters with PROMPT_ATTACK, topics, words, PII);
 * - OUTPUT: the document as a model answer, with an MS MARCO passage as `grounding_source` and a query (every policy
 *   but PROMPT_ATTACK, which judges input only; grounding on).
 * Figures are per KB of guarded text: CPU time of this process (primary: the machine is shared) and wall time, as p50
 * and p99 over every timed check; and the p99 over documents of each document's best round, which leaves out what the
 * machine adds (another process's turn, a GC pause that a check happened to pay for) and keeps what the text costs. A long
 * document (about 200 KB) is timed once per case. Denied topics and grounding use what a server uses by default, the
 * static table distilled from the embedded sentence encoder (`--embed static`); `--embed encoder` puts them on the
 * encoder itself (`guardrails.embeddingModelId: quarry.embed-use-v1:0`), `--embed none` leaves them lexical.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { percentile } from '../scripts/train/binary-metrics.js';
import { loadLabelledTexts } from '../scripts/train/guardrail-training-data.js';
import { offlineContentScorer } from '../src/guardrails/engine/classifier-adapter.js';
import { compileGuardrail } from '../src/guardrails/engine/compile-guardrail.js';
import type { GuardrailCheckRequest } from '../src/guardrails/engine/guardrail-content.js';
import type { GuardrailConfig } from '../src/guardrails/guardrail-request-schema.js';
import { PII_ENTITY_TYPES } from '../src/guardrails/pii/pii-entity-type.js';
import type { EmbedTexts } from '../src/guardrails/policies/index.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i]!;
  args.set(a.replace(/^--/, ''), process.argv[++i] ?? '');
}
const dataDir = resolve(args.get('data') ?? '../shared/datasets');
const rounds = Number(args.get('rounds') ?? 5);
const perSetLimit = Number(args.get('per-set') ?? 20);
if (!existsSync(join(dataDir, 'pii/presidio_synth_v2_dev.json'))) {
  console.error(`Data sets not found under ${dataDir}; see ../shared/datasets/README.md.`);
  process.exit(1);
}

const CONFIG: GuardrailConfig = {
  blockedInputMessaging: 'Blocked.',
  blockedOutputsMessaging: 'Withheld.',
  contentPolicyConfig: {
    filtersConfig: [
      { type: 'HATE', inputStrength: 'HIGH', outputStrength: 'HIGH' },
      { type: 'INSULTS', inputStrength: 'HIGH', outputStrength: 'HIGH' },
      { type: 'SEXUAL', inputStrength: 'HIGH', outputStrength: 'HIGH' },
      { type: 'VIOLENCE', inputStrength: 'HIGH', outputStrength: 'HIGH' },
      { type: 'MISCONDUCT', inputStrength: 'HIGH', outputStrength: 'HIGH' },
      { type: 'PROMPT_ATTACK', inputStrength: 'HIGH', outputStrength: 'NONE' },
    ],
  },
  topicPolicyConfig: {
    topicsConfig: [
      {
        name: 'Investment advice',
        definition: 'Recommendations about which stocks, bonds, funds or cryptocurrencies to buy or sell.',
        examples: ['Which stock should I buy now?', 'Is bitcoin a good investment this year?'],
        type: 'DENY',
      },
      { name: 'Medical diagnosis', definition: 'Diagnosing an illness or recommending a treatment or medication for symptoms.', examples: ['What medicine should I take for chest pain?'], type: 'DENY' },
      { name: 'Elections', definition: 'Opinions about which candidate or party to vote for in an election.', type: 'DENY' },
    ],
  },
  wordPolicyConfig: {
    wordsConfig: [{ text: 'project falcon' }, { text: 'internal roadmap' }, { text: 'acme secret' }],
    managedWordListsConfig: [{ type: 'PROFANITY' }],
  },
  sensitiveInformationPolicyConfig: {
    piiEntitiesConfig: PII_ENTITY_TYPES.map((type, i) => ({ type, action: i % 3 === 0 ? ('BLOCK' as const) : ('ANONYMIZE' as const) })),
    regexesConfig: [{ name: 'ticket', pattern: 'TCK-\\d{6}', action: 'ANONYMIZE' }],
  },
  contextualGroundingPolicyConfig: {
    filtersConfig: [
      { type: 'GROUNDING', threshold: 0.5 },
      { type: 'RELEVANCE', threshold: 0.5 },
    ],
  },
};

// --policies content,topics,words,pii,grounding keeps only those (all by default): what each one costs, and allocates.
const POLICY_KEYS = {
  content: 'contentPolicyConfig',
  topics: 'topicPolicyConfig',
  words: 'wordPolicyConfig',
  pii: 'sensitiveInformationPolicyConfig',
  grounding: 'contextualGroundingPolicyConfig',
} as const;
const policies = (args.get('policies') ?? Object.keys(POLICY_KEYS).join(',')).split(',');
for (const p of policies) if (!(p in POLICY_KEYS)) throw new Error(`--policies ${p}: expected some of ${Object.keys(POLICY_KEYS).join(', ')}`);
for (const [name, key] of Object.entries(POLICY_KEYS)) if (!policies.includes(name)) delete CONFIG[key];

const embedder = args.get('embed') ?? 'static';
if (!['static', 'encoder', 'none'].includes(embedder)) throw new Error(`--embed ${embedder}: expected static, encoder or none`);
let embed: EmbedTexts | undefined;
if (embedder === 'static') embed = (await import('../src/providers/embedded/index.js')).staticEmbedder();
if (embedder === 'encoder') {
  const { createEmbeddedEmbeddingsProvider, useModelInfo } = await import('../src/providers/embedded/index.js');
  const provider = createEmbeddedEmbeddingsProvider({ id: 'embedded', type: 'embedded', models: [], options: {} } as never);
  const model = useModelInfo('embedded');
  const signal = new AbortController().signal;
  embed = async (texts) => (await provider.embed!({ modelId: model.id, inputs: texts, normalize: true, model }, { signal } as never)).embeddings;
}

const compileStart = performance.now();
const guardrail = compileGuardrail(CONFIG, { contentScorer: offlineContentScorer, embed });
const compileMs = performance.now() - compileStart;

// Documents of about 1 KB per set, and MS MARCO passages and queries for grounding.
const SIZE = 1024;
const perSet = new Map<string, string[]>();
const add = (set: string, text: string) => {
  const list = perSet.get(set);
  if (list) list.push(text);
  else perSet.set(set, [text]);
};
for (const t of loadLabelledTexts(dataDir)) add(t.source, t.text);
const passages = readFileSync(join(dataDir, 'retrieval/msmarco/corpus.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .slice(0, 2000)
  .map((l) => (JSON.parse(l) as { text: string }).text);
const queries = readFileSync(join(dataDir, 'retrieval/msmarco/queries.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => (JSON.parse(l) as { text: string }).text);
const documents: Array<{ set: string; text: string }> = [];
for (const [set, texts] of perSet) {
  let current = '';
  let made = 0;
  for (const text of texts) {
    current = current ? `${current}\n${text}` : text;
    while (current.length >= SIZE && made < perSetLimit) {
      documents.push({ set, text: current.slice(0, SIZE) });
      current = current.slice(SIZE);
      made++;
    }
    if (made >= perSetLimit) break;
  }
}
const sources = documents.map((_, i) => passages.slice(i * 3, i * 3 + 3).join('\n').slice(0, SIZE));

const inputOf = (text: string): GuardrailCheckRequest => ({ source: 'INPUT', content: [{ text: { text } }] });
const outputOf = (text: string, i: number): GuardrailCheckRequest => ({
  source: 'OUTPUT',
  content: [
    { text: { text: sources[i % sources.length]!, qualifiers: ['grounding_source'] } },
    { text: { text: queries[i % queries.length]!, qualifiers: ['query'] } },
    { text: { text, qualifiers: ['guard_content'] } },
  ],
});

// Main-thread GC pauses, to tell how much of the tail is the collector (which a check pays for when it allocates).
let gcMs = 0;
let gcCount = 0;
/** Every pause's interval (performance.now() time), to tell which slow checks had the collector inside them. */
const gcPauses: Array<{ start: number; end: number }> = [];
const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental marking',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};
/** Pauses by kind over the whole run: a scavenge's cost grows with what survives it, a mark-compact's with the heap. */
const gcByKind = new Map<string, { count: number; ms: number }>();
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gcMs += e.duration;
    gcCount++;
    gcPauses.push({ start: e.startTime, end: e.startTime + e.duration });
    const kind = GC_KINDS[(e as { detail?: { kind?: number } }).detail?.kind ?? 0] ?? 'other';
    const k = gcByKind.get(kind) ?? { count: 0, ms: 0 };
    k.count++;
    k.ms += e.duration;
    gcByKind.set(kind, k);
  }
}).observe({ entryTypes: ['gc'] });
/** What a check over the target (wall ms/KB) is slow for: a GC pause inside it, or something else. */
const TARGET_MS_PER_KB = 5;

interface Timing {
  wall: number[];
  cpu: number[];
  /** Each document's lowest CPU ms/KB over the rounds. */
  best: number[];
  intervened: number;
  /** GC pauses during the timed checks: total ms, and count. */
  gc: { ms: number; count: number; checks: number; checkMs: number };
  /** Checks whose wall time per KB passed the target, and how many of them had a GC pause inside. */
  slow: { count: number; withGc: number; gcMsInSlow: number };
  bySet: Map<string, number[]>;
}
async function time(make: (text: string, i: number) => GuardrailCheckRequest): Promise<Timing> {
  const requests = documents.map((d, i) => make(d.text, i));
  for (let pass = 0; pass < 2; pass++) for (const r of requests) await guardrail.check(r);
  const t: Timing = { wall: [], cpu: [], best: requests.map(() => Number.POSITIVE_INFINITY), intervened: 0, gc: { ms: 0, count: 0, checks: 0, checkMs: 0 }, slow: { count: 0, withGc: 0, gcMsInSlow: 0 }, bySet: new Map() };
  const slowIntervals: Array<{ start: number; end: number }> = [];
  // Entries are delivered asynchronously: let the untimed passes' ones arrive before counting.
  await new Promise((r) => setTimeout(r, 50));
  const gc0 = { ms: gcMs, count: gcCount };
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < requests.length; i++) {
      const kb = Buffer.byteLength(documents[i]!.text) / 1024;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const r = await guardrail.check(requests[i]!);
      const t1 = performance.now();
      const c1 = process.cpuUsage(c0);
      t.gc.checks++;
      t.gc.checkMs += t1 - t0;
      const cpu = (c1.user + c1.system) / 1000 / kb;
      t.wall.push((t1 - t0) / kb);
      if ((t1 - t0) / kb > TARGET_MS_PER_KB) slowIntervals.push({ start: t0, end: t1 });
      t.cpu.push(cpu);
      t.best[i] = Math.min(t.best[i]!, cpu);
      const set = documents[i]!.set;
      const list = t.bySet.get(set);
      if (list) list.push(cpu);
      else t.bySet.set(set, [cpu]);
      if (round === 0 && r.action === 'GUARDRAIL_INTERVENED') t.intervened++;
    }
  }
  await new Promise((r) => setTimeout(r, 50));
  t.gc.ms = gcMs - gc0.ms;
  t.gc.count = gcCount - gc0.count;
  for (const check of slowIntervals) {
    const inside = gcPauses.filter((g) => g.start < check.end && g.end > check.start);
    t.slow.count++;
    if (inside.length) t.slow.withGc++;
    for (const g of inside) t.slow.gcMsInSlow += Math.min(g.end, check.end) - Math.max(g.start, check.start);
  }
  t.wall.sort((a, b) => a - b);
  t.cpu.sort((a, b) => a - b);
  t.best.sort((a, b) => a - b);
  return t;
}

async function timeLong(make: (text: string, i: number) => GuardrailCheckRequest): Promise<{ kb: number; wall: number; cpu: number }> {
  const text = documents.map((d) => d.text).join('\n');
  const kb = Buffer.byteLength(text) / 1024;
  const request = make(text, 0);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await guardrail.check(request);
  const wall = performance.now() - t0;
  const c1 = process.cpuUsage(c0);
  return { kb, wall, cpu: (c1.user + c1.system) / 1000 };
}

console.log(`# Guardrail latency, all offline policies — ${new Date().toISOString().slice(0, 16)}Z, ${cpus().length} × ${cpus()[0]?.model}`);
console.log(`Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} at start; compiled in ${compileMs.toFixed(0)} ms; topics and grounding ${{ static: 'with the static table (the server default)', encoder: 'with the embedded encoder', none: 'lexical (no embedder)' }[embedder]}\n`);
const sets = [...perSet.keys()].map((s) => `${s} ${documents.filter((d) => d.set === s).length}`).join(', ');
console.log(`${documents.length} documents of about 1 KB (${sets}); ${rounds} rounds after two untimed passes.\n`);
console.log('| case | CPU p50 ms/KB | CPU p99 ms/KB | CPU p99 of best rounds | wall p50 ms/KB | wall p99 ms/KB | intervened |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
const cases: Array<[string, (text: string, i: number) => GuardrailCheckRequest]> = [
  ['INPUT: content (6), topics, words, PII', inputOf],
  ['OUTPUT: content (5), topics, words, PII, grounding', outputOf],
];
const perSetRows: string[] = [];
const gcRows: string[] = [];
for (const [name, make] of cases) {
  const t = await time(make);
  const p = (xs: number[], q: number) => percentile(xs, q).toFixed(3);
  console.log(`| ${name} | ${p(t.cpu, 50)} | ${p(t.cpu, 99)} | ${p(t.best, 99)} | ${p(t.wall, 50)} | ${p(t.wall, 99)} | ${t.intervened}/${documents.length} |`);
  gcRows.push(
    `${name.split(':')[0]}: ${t.gc.count} GC pauses, ${t.gc.ms.toFixed(0)} ms in all, ${((100 * t.gc.ms) / t.gc.checkMs).toFixed(1)}% of the checks' wall time (one pause per ${(t.gc.checks / Math.max(1, t.gc.count)).toFixed(0)} checks). ` +
      `${t.slow.count} checks over ${TARGET_MS_PER_KB} ms/KB wall (${((100 * t.slow.count) / t.gc.checks).toFixed(1)}%), ${t.slow.withGc} of them with a GC pause inside (${t.slow.gcMsInSlow.toFixed(0)} ms of pauses).`,
  );
  for (const [set, xs] of t.bySet) perSetRows.push(`| ${name.split(':')[0]} | ${set} | ${p(xs.sort((a, b) => a - b), 50)} | ${p(xs, 99)} |`);
}
console.log('');
for (const r of gcRows) console.log(r);
console.log(`GC pauses by kind, whole run: ${[...gcByKind].map(([k, v]) => `${k} ${v.count} (mean ${(v.ms / v.count).toFixed(2)} ms)`).join(', ')}.`);
console.log('\nCPU ms/KB by set:\n');
console.log('| case | set | p50 | p99 |');
console.log('|---|---|---:|---:|');
for (const r of perSetRows) console.log(r);
console.log('');
for (const [name, make] of cases) {
  const l = await timeLong(make);
  console.log(`Long document, ${name.split(':')[0]} (${l.kb.toFixed(0)} KB, every set's documents joined): CPU ${l.cpu.toFixed(0)} ms (${(l.cpu / l.kb).toFixed(3)} ms/KB), wall ${l.wall.toFixed(0)} ms (${(l.wall / l.kb).toFixed(3)} ms/KB)`);
}
console.log(`\nLoad average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' / ')}`);
