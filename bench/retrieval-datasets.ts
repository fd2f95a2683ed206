import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A retrieval test collection: documents, queries, and graded relevance (gain > 0 is relevant). */
export interface RetrievalSet {
  name: string;
  docs: { id: string; text: string }[];
  queries: { id: string; text: string }[];
  qrels: Map<string, Map<string, number>>;
}

function jsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

/** BEIR layout: corpus.jsonl, queries.jsonl, qrels/test.tsv (with or without a header line). */
export function loadBeir(dir: string, name: string): RetrievalSet {
  const docs = jsonl<{ _id: string; title?: string; text: string }>(join(dir, 'corpus.jsonl')).map((d) => ({
    id: d._id,
    text: d.title ? `${d.title}\n\n${d.text}` : d.text,
  }));
  const qrels = new Map<string, Map<string, number>>();
  for (const line of readFileSync(join(dir, 'qrels', 'test.tsv'), 'utf8').split('\n')) {
    const [q, d, s] = line.trim().split('\t');
    if (!q || !d || s === undefined || Number.isNaN(Number(s))) continue;
    if (!qrels.has(q)) qrels.set(q, new Map());
    qrels.get(q)!.set(d, Number(s));
  }
  const queries = jsonl<{ _id: string; text: string }>(join(dir, 'queries.jsonl'))
    .filter((q) => qrels.has(q._id))
    .map((q) => ({ id: q._id, text: q.text }));
  return { name, docs, queries, qrels };
}

/**
 * The Cranfield collection in its original SMART-style layout. Its qrels number queries 1..225 in file order (the
 * `.I` numbers skip), and grade relevance 1 (complete answer) to 4 (minimal interest); gain = 5 − grade.
 */
export function loadCranfield(dir: string): RetrievalSet {
  const fields = (text: string) =>
    text
      .split(/^\.I\s+/m)
      .slice(1)
      .map((rec) => {
        const id = rec.split('\n')[0]!.trim();
        const parts: Record<string, string> = {};
        for (const m of rec.matchAll(/^\.([TAWB])\n([\s\S]*?)(?=^\.[TAWBI]\s|(?![\s\S]))/gm)) parts[m[1]!] = m[2]!.trim();
        return { id, parts };
      });
  const docs = fields(readFileSync(join(dir, 'cran.all.1400'), 'utf8')).map((r) => ({
    id: String(Number(r.id)),
    text: [r.parts.T, r.parts.W].filter(Boolean).join('\n\n'),
  }));
  const queries = fields(readFileSync(join(dir, 'cran.qry'), 'utf8')).map((r, i) => ({ id: String(i + 1), text: r.parts.W ?? '' }));
  const qrels = new Map<string, Map<string, number>>();
  for (const line of readFileSync(join(dir, 'cranqrel'), 'utf8').split('\n')) {
    const [q, d, g] = line.trim().split(/\s+/).map(Number);
    if (!q || !d || g === undefined || g < 1 || g > 4) continue;
    if (!qrels.has(String(q))) qrels.set(String(q), new Map());
    qrels.get(String(q))!.set(String(d), 5 - g);
  }
  return { name: 'cranfield', docs, queries: queries.filter((q) => qrels.has(q.id)), qrels };
}

export function loadAll(root: string, only?: string[]): RetrievalSet[] {
  const out: RetrievalSet[] = [];
  for (const name of ['msmarco', 'dbpedia', 'business-reports']) {
    if (only && !only.includes(name)) continue;
    if (existsSync(join(root, name))) out.push(loadBeir(join(root, name), name));
  }
  if ((!only || only.includes('cranfield')) && existsSync(join(root, 'cranfield'))) out.push(loadCranfield(join(root, 'cranfield')));
  return out;
}

/** nDCG@k with graded gains (2^gain − 1 form, as trec_eval and BEIR compute it). */
export function ndcgAt(k: number, ranked: string[], rel: Map<string, number>): number {
  const dcg = ranked.slice(0, k).reduce((s, d, i) => s + (2 ** (rel.get(d) ?? 0) - 1) / Math.log2(i + 2), 0);
  const ideal = [...rel.values()]
    .filter((g) => g > 0)
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0);
  return ideal ? dcg / ideal : 0;
}

export function recallAt(k: number, ranked: string[], rel: Map<string, number>): number {
  const relevant = [...rel.entries()].filter(([, g]) => g > 0).map(([d]) => d);
  if (!relevant.length) return 0;
  const top = new Set(ranked.slice(0, k));
  return relevant.filter((d) => top.has(d)).length / relevant.length;
}
