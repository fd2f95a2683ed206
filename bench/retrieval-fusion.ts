// Hybrid fusion methods compared offline on what retrieval really returned: reads the runs that
// `bench/retrieval-quality.ts --dump-runs DIR` writes (each query's keyword and semantic results, 400 deep, and its
// judgements), fuses the top `depth` of each list by every method, and prints nDCG@10 per set and each method's
// smallest lead over the better single mode across the sets. Judgements are used only to score, never to fuse.
// Reciprocal rank and min-max weighting are the product's own functions; z-score and distribution-based (mean ± 3σ
// mapped to [0, 1], as Qdrant's DBSF) normalisation are written here, for comparison only.
//
//   node --import tsx bench/retrieval-fusion.ts --runs DIR [--sets business-reports,cranfield,msmarco,dbpedia] [--depths 20,40,100,400]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fuseReciprocalRank, fuseWeighted } from '../src/knowledge/retrieve/index.js';
import { ndcgAt } from './retrieval-datasets.js';

const { values } = parseArgs({ options: { runs: { type: 'string' }, sets: { type: 'string' }, depths: { type: 'string' } } });
if (!values.runs) throw new Error('--runs DIR is required (written by bench/retrieval-quality.ts --dump-runs DIR)');
type Hit = { id: string; doc: string; score: number };
type Query = { qrels: Map<string, number>; keyword: Hit[]; semantic: Hit[] };
type Dumped = { qrels: Record<string, number>; keyword: { chunk: string; doc: string; score: number }[]; semantic: { chunk: string; doc: string; score: number }[] };
const names = (values.sets ?? 'business-reports,cranfield,msmarco,dbpedia').split(',').filter((s) => existsSync(join(values.runs!, `${s}.json`)));
const sets = names.map((name) =>
  (JSON.parse(readFileSync(join(values.runs!, `${name}.json`), 'utf8')) as Dumped[]).map(
    (q): Query => ({
      qrels: new Map(Object.entries(q.qrels)),
      keyword: q.keyword.map((h) => ({ id: h.chunk, doc: h.doc, score: h.score })),
      semantic: q.semantic.map((h) => ({ id: h.chunk, doc: h.doc, score: h.score })),
    }),
  ),
);
const depths = (values.depths ?? '20,40,100,400').split(',').map(Number);

type Fuse = (semantic: Hit[], keyword: Hit[]) => Hit[];
/**
 * Normalise each list by `norm`, then Σ weight · normalised score; a list that lacks an item counts its lowest value
 * ('floor'), or nothing ('zero', as Qdrant's DBSF sums only the scores an item has).
 */
const normalised =
  (norm: (scores: number[]) => (s: number) => number, weights: [number, number], missing: 'floor' | 'zero' = 'floor'): Fuse =>
  (semantic, keyword) => {
    const lists = [semantic, keyword];
    const byList = lists.map((list) => {
      const n = list.length ? norm(list.map((h) => h.score)) : () => 0;
      return { values: new Map(list.map((h) => [h.id, n(h.score)])), floor: list.length && missing === 'floor' ? n(list.at(-1)!.score) : 0 };
    });
    const items = new Map(lists.flat().map((h) => [h.id, h]));
    return [...items.values()]
      .map((h) => ({ ...h, score: byList.reduce((sum, l, i) => sum + weights[i]! * (l.values.get(h.id) ?? l.floor), 0) }))
      .sort((x, y) => y.score - x.score);
  };
const stats = (scores: number[]) => {
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  return { mean, sd: Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / scores.length) || 1 };
};
const zScore = (scores: number[]) => {
  const { mean, sd } = stats(scores);
  return (s: number) => (s - mean) / sd;
};
const dbsf = (scores: number[]) => {
  const { mean, sd } = stats(scores);
  return (s: number) => Math.min(1, Math.max(0, (s - (mean - 3 * sd)) / (6 * sd)));
};

const methods: [string, Fuse][] = [];
for (const k of [10, 20, 30, 60]) {
  for (const w of [1, 1.5, 2, 2.5, 3, 4]) methods.push([`rrf k=${k} keyword×${w}`, (s, kw) => fuseReciprocalRank([s, kw], { k, weights: [1, w] })]);
}
for (const a of [0.5, 0.6, 0.7, 0.75, 0.8]) methods.push([`min-max keyword ${a}`, (s, kw) => fuseWeighted([s, kw], [1 - a, a])]);
for (const a of [0.5, 0.6, 0.7, 0.75]) methods.push([`z-score keyword ${a}`, normalised(zScore, [1 - a, a])]);
for (const a of [0.5, 0.6, 0.7]) methods.push([`dbsf keyword ${a}`, normalised(dbsf, [1 - a, a], 'zero')]);

const ndcg = (queries: Query[], rank: (q: Query) => Hit[]) =>
  queries.reduce((sum, q) => sum + ndcgAt(10, [...new Set(rank(q).map((h) => h.doc))], q.qrels), 0) / queries.length;
const best = sets.map((queries) => Math.max(ndcg(queries, (q) => q.keyword), ndcg(queries, (q) => q.semantic)));
const f = (n: number) => n.toFixed(3);
console.log(`| method | depth | ${names.join(' | ')} | smallest lead over the better single mode |`);
console.log(`|---|---:|${names.map(() => '---:|').join('')}---:|`);
console.log(`| keyword | | ${sets.map((qs) => f(ndcg(qs, (q) => q.keyword))).join(' | ')} | |`);
console.log(`| semantic | | ${sets.map((qs) => f(ndcg(qs, (q) => q.semantic))).join(' | ')} | |`);
for (const [name, fuse] of methods) {
  for (const depth of depths) {
    const scores = sets.map((queries) => ndcg(queries, (q) => fuse(q.semantic.slice(0, depth), q.keyword.slice(0, depth))));
    console.log(`| ${name} | ${depth} | ${scores.map(f).join(' | ')} | ${f(Math.min(...scores.map((s, i) => s - best[i]!)))} |`);
  }
}
