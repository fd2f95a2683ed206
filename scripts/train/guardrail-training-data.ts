/**
 * Reads the public labelled sets under ../shared/datasets (never copied into the repository) and labels every text for
 * each content-filter category with 1, 0, or nothing (left out of that category's training: the set says nothing
 * either way). Also decides, once and for all, which texts are held out: the training script never trains on them and
 * the benchmark reports on them. The same rule runs in both, so the split needs no file of its own.
 *
 * Held out: 20% of texts chosen by SHA-256 of "<family>:<group key>". Near-duplicate prompts (jailbreak variants that
 * differ by a name, injections that differ by the payload, re-worded hazard prompts) share a group key, so a variant of
 * a held-out prompt is never trained on. Davidson rows are grouped by their row id, as published.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { canonicalText } from '../../src/guardrails/classifiers/canonical-text.js';
import type { ContentCategory } from '../../src/guardrails/classifiers/content-category.js';
import { foldUnicode } from '../../src/guardrails/classifiers/fold-unicode.js';
import { benignInstructions } from './benign-instructions.js';
import { benignQuestions } from './benign-questions.js';
import { nearDuplicateGroups } from './near-duplicate-groups.js';

export type SourceName =
  | 'davidson'
  | 'inthewild-jailbreak'
  | 'giskard-injection'
  | 'tensor-trust-extraction'
  | 'ailuminate'
  | 'harmbench'
  | 'msmarco'
  | 'dbpedia'
  | 'business-reports'
  | 'cranfield'
  | 'presidio'
  | 'benign-instructions'
  | 'benign-questions';

export type Labels = Partial<Record<ContentCategory, 0 | 1>>;

export interface LabelledText {
  source: SourceName;
  id: string;
  text: string;
  labels: Labels;
  heldOut: boolean;
  /** Texts with the same group are variants of one another; splits and folds never separate them. */
  group: string;
  /** The set's own sub-label where it has one (Davidson class, AILuminate hazard, persona). */
  kind?: string;
}

export interface XstestPrompt {
  id: string;
  prompt: string;
  type: string;
  label: 'safe' | 'unsafe';
  note: string;
}

export const HELD_OUT_PERCENT = 20;
/**
 * Sets never trained on, whatever the split, and reported whole: Giskard's 35 injections are two templates, so a 20%
 * split of them would test little; kept out entirely they test how the model generalises to injections it never saw.
 */
export const NEVER_TRAINED: ReadonlySet<SourceName> = new Set(['giskard-injection']);

/** The name a text's set is reported under: Davidson and Tensor Trust by their label, the others by source. */
export function setName(t: Pick<LabelledText, 'source' | 'kind'>): string {
  return t.source === 'davidson' || t.source === 'tensor-trust-extraction' ? `${t.source}/${t.kind}` : t.source;
}
/** Benign passages kept per retrieval corpus: enough variety, without drowning the small attack sets. */
const PASSAGES_PER_CORPUS = 2500;

export function defaultDatasetsDir(): string {
  return join(process.cwd(), '..', 'shared', 'datasets');
}

export function isHeldOut(key: string): boolean {
  return createHash('sha256').update(key).digest().readUInt32BE(0) % 100 < HELD_OUT_PERCENT;
}

const ALL_ZERO: Labels = { HATE: 0, INSULTS: 0, SEXUAL: 0, VIOLENCE: 0, MISCONDUCT: 0, PROMPT_ATTACK: 0 };

/**
 * AILuminate hazard → labels. The prompts ask for hazardous help; categories follow Bedrock's definitions, and a
 * hazard that is neither clearly in nor clearly out of a category is left out of it (undefined).
 */
const AILUMINATE: Record<string, Labels> = {
  vcr: { HATE: 0, INSULTS: 0, SEXUAL: 0, VIOLENCE: 1, MISCONDUCT: 1 }, // violent crimes
  iwp: { HATE: 0, INSULTS: 0, SEXUAL: 0, VIOLENCE: 1, MISCONDUCT: 1 }, // indiscriminate weapons
  ssh: { HATE: 0, INSULTS: 0, SEXUAL: 0, VIOLENCE: 1 }, // suicide and self-harm: injury, not misconduct
  ncr: { HATE: 0, INSULTS: 0, SEXUAL: 0, VIOLENCE: 0, MISCONDUCT: 1 }, // non-violent crimes
  cse: { HATE: 0, INSULTS: 0, SEXUAL: 1, MISCONDUCT: 1 }, // child sexual exploitation
  src: { HATE: 0, INSULTS: 0, SEXUAL: 1, MISCONDUCT: 1 }, // sex-related crimes
  sxc_prn: { HATE: 0, INSULTS: 0, SEXUAL: 1, VIOLENCE: 0, MISCONDUCT: 0 }, // sexual content
  hte: { HATE: 1, SEXUAL: 0, VIOLENCE: 0 }, // hate
  dfm: { HATE: 0, SEXUAL: 0, VIOLENCE: 0, MISCONDUCT: 1 }, // defamation: harming a person
  prv: { HATE: 0, INSULTS: 0, SEXUAL: 0, VIOLENCE: 0, MISCONDUCT: 1 }, // privacy violations
  ipv: { HATE: 0, INSULTS: 0, SEXUAL: 0, VIOLENCE: 0, MISCONDUCT: 1 }, // intellectual-property violations
  spc_fin: { HATE: 0, INSULTS: 0, SEXUAL: 0, VIOLENCE: 0, MISCONDUCT: 0 }, // specialised advice
  spc_hlt: { HATE: 0, INSULTS: 0, VIOLENCE: 0, MISCONDUCT: 0 },
  spc_lgl: { HATE: 0, INSULTS: 0, SEXUAL: 0, VIOLENCE: 0, MISCONDUCT: 0 },
  spc_ele: { HATE: 0, INSULTS: 0, SEXUAL: 0, VIOLENCE: 0, MISCONDUCT: 0 },
};

export function loadLabelledTexts(dir = defaultDatasetsDir()): LabelledText[] {
  requireFile(dir, 'toxicity/davidson_labeled_data.csv');
  const grouped: Array<Omit<LabelledText, 'heldOut' | 'group'> & { family: string }> = [];
  const single: LabelledText[] = [];

  // Davidson: class 0 hate speech, 1 offensive language, 2 neither. INSULTS = hate or offensive (hate speech in this
  // set is insulting language aimed at a group); HATE = hate only.
  for (const row of csv(dir, 'toxicity/davidson_labeled_data.csv')) {
    const cls = Number(row.class);
    const id = row[''] ?? '';
    single.push({
      source: 'davidson',
      id,
      text: row.tweet ?? '',
      // Tweets with neither hate nor offensive language are harmless in every category; the others may well be sexual
      // or violent, which Davidson does not label, so they take no part in SEXUAL, VIOLENCE or MISCONDUCT.
      labels: cls === 2 ? ALL_ZERO : { HATE: cls === 0 ? 1 : 0, INSULTS: 1, PROMPT_ATTACK: 0 },
      heldOut: isHeldOut(`davidson:${id}`),
      group: `davidson:${id}`,
      kind: ['hate', 'offensive', 'neither'][cls],
    });
  }

  const jailbreaks: string[] = JSON.parse(readFileSync(join(dir, 'attacks/inthewild_jailbreak_llms.json'), 'utf8'));
  const seen = new Set<string>();
  jailbreaks.forEach((text, i) => {
    if (seen.has(text)) return; // the published list repeats some prompts verbatim
    seen.add(text);
    grouped.push({ family: 'attack', source: 'inthewild-jailbreak', id: String(i), text, labels: { PROMPT_ATTACK: 1 } });
  });
  for (const row of csv(dir, 'attacks/giskard_prompt_injections.csv')) {
    grouped.push({
      family: 'attack',
      source: 'giskard-injection',
      id: row.index ?? '',
      text: row.prompt ?? '',
      labels: { PROMPT_ATTACK: 1 },
      kind: row.group,
    });
  }
  for (const line of readFileSync(join(dir, 'attacks/tensor_trust_extraction_detection.jsonl'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { sample_id: number; llm_output: string; is_prompt_extraction: boolean };
    grouped.push({
      family: 'attack',
      source: 'tensor-trust-extraction',
      id: String(row.sample_id),
      text: row.llm_output,
      labels: { ...ALL_ZERO, PROMPT_ATTACK: row.is_prompt_extraction ? 1 : 0 },
      kind: row.is_prompt_extraction ? 'extraction' : 'no-extraction',
    });
  }
  for (const row of csv(dir, 'hazards/ailuminate_demo_en_us.csv')) {
    const labels = AILUMINATE[row.hazard ?? ''];
    if (!labels) throw new Error(`unknown AILuminate hazard ${row.hazard}`);
    // "Skilled" prompts often wrap the request in jailbreak framing, so they say nothing reliable about PROMPT_ATTACK.
    const attack: Labels = row.persona === 'unskilled' ? { PROMPT_ATTACK: 0 } : {};
    grouped.push({
      family: 'attack',
      source: 'ailuminate',
      id: row.release_prompt_id ?? '',
      text: row.prompt_text ?? '',
      labels: { ...labels, ...attack },
      kind: row.hazard,
    });
  }
  readFileSync(join(dir, 'hazards/harmbench_prompts.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .forEach((text, i) => {
      grouped.push({ family: 'attack', source: 'harmbench', id: String(i), text, labels: { MISCONDUCT: 1, PROMPT_ATTACK: 0 } });
    });

  // Benign text: passages and queries from the retrieval sets, synthetic PII sentences, requests generated for this
  // project (`benign-instructions.ts`, `benign-questions.ts`).
  for (const corpus of ['msmarco', 'dbpedia'] as const) {
    const rows = jsonl(dir, `retrieval/${corpus}/corpus.jsonl`).filter((r) => isSampled(`${corpus}:${r._id}`, 5000));
    for (const r of rows) single.push(benign(corpus, `p${r._id}`, r.text));
    for (const r of jsonl(dir, `retrieval/${corpus}/queries.jsonl`)) single.push(benign(corpus, `q${r._id}`, r.text));
  }
  for (const r of jsonl(dir, 'retrieval/business-reports/corpus.jsonl')) single.push(benign('business-reports', `p${r._id}`, r.text));
  for (const r of jsonl(dir, 'retrieval/business-reports/queries.jsonl')) single.push(benign('business-reports', `q${r._id}`, r.text));
  for (const q of cranfieldQueries(dir)) single.push(benign('cranfield', q.id, q.text));
  const presidio: Array<{ full_text: string }> = JSON.parse(readFileSync(join(dir, 'pii/presidio_synth_v2_dev.json'), 'utf8'));
  presidio.forEach((r, i) => {
    single.push(benign('presidio', String(i), r.full_text));
  });
  for (const b of benignInstructions()) single.push(benign('benign-instructions', b.id, b.text));
  const titles = jsonl(dir, 'retrieval/dbpedia/corpus.jsonl').map((r) => r.title ?? '');
  for (const q of benignQuestions(titles)) {
    single.push({ ...benign('benign-questions', q.id, q.text), heldOut: isHeldOut(`benign-questions:${q.group}`), group: q.group });
  }

  const groups = nearDuplicateGroups(grouped.map((g) => canonicalText(foldUnicode(g.text).text)));
  const keyOf = groups.map((g) => `${grouped[g]!.family}:${grouped[g]!.source}:${grouped[g]!.id}`);
  const out = grouped.map(({ family: _, ...g }, i) => ({ ...g, heldOut: isHeldOut(keyOf[i]!), group: keyOf[i]! }));
  return [...single, ...out];
}

/** XSTest: 250 safe prompts that look unsafe and 200 unsafe ones. Never trained on; only the benchmark reads it. */
export function loadXstest(dir = defaultDatasetsDir()): XstestPrompt[] {
  requireFile(dir, 'attacks/xstest_prompts.csv');
  return csv(dir, 'attacks/xstest_prompts.csv').map((r) => ({
    id: r.id ?? '',
    prompt: r.prompt ?? '',
    type: r.type ?? '',
    label: r.label === 'unsafe' ? 'unsafe' : 'safe',
    note: r.note ?? '',
  }));
}

function benign(source: SourceName, id: string, text: string): LabelledText {
  return { source, id, text, labels: ALL_ZERO, heldOut: isHeldOut(`${source}:${id}`), group: `${source}:${id}` };
}

/** A fixed pseudo-random `PASSAGES_PER_CORPUS` of `total` rows. */
function isSampled(key: string, total: number): boolean {
  return createHash('sha256').update(`sample:${key}`).digest().readUInt32BE(0) / 2 ** 32 < PASSAGES_PER_CORPUS / total;
}

function requireFile(dir: string, path: string): void {
  if (!existsSync(join(dir, path))) {
    throw new Error(`${join(dir, path)} not found: the guardrail data sets live in ../shared/datasets (see its README.md).`);
  }
}

function csv(dir: string, path: string): Array<Record<string, string>> {
  return parse(readFileSync(join(dir, path), 'utf8'), { columns: true, skip_empty_lines: true, relax_quotes: true });
}

function jsonl(dir: string, path: string): Array<{ _id: string; text: string; title?: string }> {
  return readFileSync(join(dir, path), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

function cranfieldQueries(dir: string): Array<{ id: string; text: string }> {
  const raw = readFileSync(join(dir, 'retrieval/cranfield/cran.qry'), 'utf8');
  return raw
    .split(/^\.I /m)
    .slice(1)
    .map((block) => {
      const [id, ...rest] = block.split('\n');
      return { id: id!.trim(), text: rest.join(' ').replace(/^\.W\s*/, '').replace(/\s+/g, ' ').trim() };
    });
}
