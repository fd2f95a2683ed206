import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { loadAll } from '../../bench/retrieval-datasets.js';
import { sentenceSpans } from '../../src/guardrails/policies/text/sentence-spans.js';

/** One text the teacher encodes, with the set it came from and whether evaluation keeps it out of training. */
export interface CorpusText {
  set: string;
  text: string;
  heldOut: boolean;
}

/** Longest text, in characters: a denied-topic window (two sentences, topic-windows.ts) is at most 400. */
const MAX_CHARS = 400;
const HELD_OUT_PERCENT = 10;

/**
 * Sentences, and pairs of neighbouring sentences, from every public set in ../shared/datasets: web passages and search
 * queries (MS MARCO), encyclopaedia abstracts (DBpedia), business reports, aeronautics abstracts and questions
 * (Cranfield), tweets (Davidson), harmful prompts (HarmBench), and attacks (jailbreaks, injections, extraction attempts). What guardrails embed is this kind of text: prompts, answers and their sources, a
 * sentence or two at a time. At most `perSet` texts a set, chosen by hash so a run is reproducible; one text in ten
 * (by hash) is held out for evaluation.
 */
export function distillationCorpus(datasetsDir: string, perSet: number): CorpusText[] {
  const sets = new Map<string, string[]>();
  const add = (set: string, docs: Iterable<string>) => {
    const texts = sets.get(set) ?? [];
    for (const doc of docs) texts.push(...sentencesAndPairs(doc));
    sets.set(set, texts);
  };
  for (const r of loadAll(join(datasetsDir, 'retrieval'))) {
    add(r.name, r.docs.map((d) => d.text));
    add(`${r.name}-queries`, r.queries.map((q) => q.text));
  }
  const csv = (file: string, column: string) => {
    const path = join(datasetsDir, file);
    if (!existsSync(path)) return [];
    return (parse(readFileSync(path, 'utf8'), { columns: true, relax_quotes: true }) as Record<string, string>[]).map((r) => r[column] ?? '');
  };
  const lines = (file: string) => (existsSync(join(datasetsDir, file)) ? readFileSync(join(datasetsDir, file), 'utf8').split('\n') : []);
  add('davidson', csv('toxicity/davidson_labeled_data.csv', 'tweet'));
  // AILuminate and XSTest are left out: the denied-topic benchmark (bench/topic-detection.ts) tests on them, and the
  // table should not have been fitted to reproduce the encoder on its test texts.
  add('harmbench', lines('hazards/harmbench_prompts.txt'));
  add('giskard', csv('attacks/giskard_prompt_injections.csv', 'prompt'));
  const jailbreaks = join(datasetsDir, 'attacks/inthewild_jailbreak_llms.json');
  if (existsSync(jailbreaks)) add('jailbreaks', JSON.parse(readFileSync(jailbreaks, 'utf8')) as string[]);
  const tensorTrust = lines('attacks/tensor_trust_extraction_detection.jsonl').filter((l) => l.trim());
  add(
    'tensor-trust',
    tensorTrust.flatMap((l) => Object.values(JSON.parse(l) as Record<string, unknown>).filter((v): v is string => typeof v === 'string' && v.length > 20)),
  );

  const out: CorpusText[] = [];
  for (const [set, texts] of sets) {
    const unique = [...new Set(texts)];
    const ranked = unique.map((text) => ({ text, h: hash(text) })).sort((a, b) => a.h.localeCompare(b.h));
    for (const { text, h } of ranked.slice(0, perSet)) out.push({ set, text, heldOut: Number.parseInt(h.slice(0, 8), 16) % 100 < HELD_OUT_PERCENT });
  }
  return out;
}

function sentencesAndPairs(raw: string): string[] {
  const doc = raw.replace(/\s+/g, ' ').trim();
  const spans = sentenceSpans(doc, MAX_CHARS);
  const out: string[] = [];
  for (let i = 0; i < spans.length; i++) {
    const [start, end] = spans[i]!;
    if (end - start >= 12) out.push(doc.slice(start, end));
    const next = spans[i + 1];
    if (next && next[1] - start <= MAX_CHARS && i % 2 === 0) out.push(doc.slice(start, next[1]));
  }
  return out;
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex');
