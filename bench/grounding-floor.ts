// Would a cosine relevance floor tell a chatbot's grounding passages from noise? For each collection, its queries are
// searched (SEMANTIC, top 5, as a grounded chatbot's turn is) in their own knowledge base, where judged-relevant and
// other passages are told apart, and in every other collection's knowledge base, where nothing can answer them. Prints
// score percentiles and, per candidate floor, the share of relevant passages kept against the share of unanswerable
// questions that would still cite a passage. Written to decide src/apps/app-chat.ts's citations (bench/RESULTS.md).
//
//   node --import tsx bench/grounding-floor.ts [--sets cranfield,business-reports,msmarco] [--queries 60] [--docs 1500]
//     [--model quarry.embed-use-v1:0]
//   --docs keeps the first N documents of each collection plus every one judged relevant to the queries used.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { silentLogger } from '../src/core/index.js';
import type { CallContext } from '../src/knowledge/model-port.js';
import { parseConfig } from '../src/server/config.js';
import { startQuarry } from '../src/server/quarry-server.js';
import { standardRoutes } from '../src/server/standard-routes.js';
import { loadAll } from './retrieval-datasets.js';

const { values } = parseArgs({ options: { sets: { type: 'string' }, queries: { type: 'string' }, docs: { type: 'string' }, model: { type: 'string' } } });
const root = join(import.meta.dirname, '..', '..', 'shared', 'datasets', 'retrieval');
const MAX_DOCS = Number(values.docs ?? 1500);
const MAX_QUERIES = Number(values.queries ?? 60);
const EMBED = values.model ?? 'quarry.embed-use-v1:0';
const FLOORS = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6];
const sets = loadAll(root, (values.sets ?? 'cranfield,business-reports,msmarco').split(',')).map((s) => {
  const queries = s.queries.filter((q) => s.qrels.get(q.id)?.size).slice(0, MAX_QUERIES);
  const judged = new Set(queries.flatMap((q) => [...s.qrels.get(q.id)!.entries()].filter(([, gain]) => gain > 0).map(([doc]) => doc)));
  return { ...s, queries, docs: s.docs.filter((d, i) => i < MAX_DOCS || judged.has(d.id)) };
});

const API_KEY = 'qk-bench-grounding-0123456789';
const dataDir = mkdtempSync(join(tmpdir(), 'quarry-bench-floor-'));
const docsRoot = join(dataDir, 'corpora');
mkdirSync(docsRoot, { recursive: true });
const config = parseConfig(`providers:\n  - id: embedded\n    type: embedded\nknowledge:\n  localRoots: [${JSON.stringify(docsRoot)}]\n`, {});
const server = await startQuarry({ config, dataDir, port: 0, log: silentLogger, autoProviders: false, routes: standardRoutes, env: { QUARRY_BOOTSTRAP_API_KEY: API_KEY } });

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as T & { message?: string };
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${json.message}`);
  return json;
}

const ctx = (): CallContext => ({
  requestId: 'bench-grounding-floor',
  principal: { id: 'bench', name: 'bench', keyId: '-', isAdmin: true, authMethod: 'bearer' },
  api: 'bench',
  signal: new AbortController().signal,
  log: silentLogger,
});

/** A knowledge base of the set's documents, synced by a real ingestion job (files named by position). */
async function ingest(set: (typeof sets)[number]): Promise<string> {
  const folder = join(docsRoot, set.name);
  mkdirSync(folder, { recursive: true });
  for (const [i, d] of set.docs.entries()) writeFileSync(join(folder, `${i}.txt`), d.text);
  const kbId = (
    await call<{ knowledgeBase: { knowledgeBaseId: string } }>('PUT', '/knowledgebases/', {
      name: `floor-${set.name}`,
      knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: EMBED } },
    })
  ).knowledgeBase.knowledgeBaseId;
  const dsId = (await call<{ dataSource: { dataSourceId: string } }>('PUT', `/knowledgebases/${kbId}/datasources/`, { name: 'corpus', dataSourceConfiguration: { type: 'LOCAL', localConfiguration: { path: folder } } }))
    .dataSource.dataSourceId;
  const jobs = `/knowledgebases/${kbId}/datasources/${dsId}/ingestionjobs/`;
  let job = (await call<{ ingestionJob: { ingestionJobId: string; status: string } }>('PUT', jobs, {})).ingestionJob;
  while (['STARTING', 'IN_PROGRESS'].includes(job.status)) {
    await new Promise((r) => setTimeout(r, 500));
    job = (await call<{ ingestionJob: typeof job }>('GET', `${jobs}${job.ingestionJobId}`)).ingestionJob;
  }
  if (job.status !== 'COMPLETE') throw new Error(`${set.name}: ingestion ${job.status}`);
  process.stderr.write(`${set.name}: ${set.docs.length} documents ingested\n`);
  return kbId;
}

const kbs = new Map<string, string>();
for (const set of sets) kbs.set(set.name, await ingest(set));

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(2) : '-';
};
const spread = (xs: number[]) => `${pct(xs, 0.1)} / ${pct(xs, 0.5)} / ${pct(xs, 0.9)} (${xs.length})`;
const share = (xs: number[], floor: number) => (xs.length ? `${Math.round((100 * xs.filter((x) => x >= floor).length) / xs.length)}%` : '-');

console.log('| set | relevant in top 5: p10 / p50 / p90 (n) | other passages in top 5 | top 1, own KB | top 1, another KB (unanswerable) |');
console.log('|---|---|---|---|---|');
const rows: { name: string; relevant: number[]; unanswerable: number[] }[] = [];
for (const set of sets) {
  const relevant: number[] = [];
  const other: number[] = [];
  const ownTop: number[] = [];
  const unanswerable: number[] = [];
  for (const q of set.queries) {
    const judged = set.qrels.get(q.id)!;
    for (const kb of sets) {
      const { chunks } = await server.knowledge.service.retrieve(ctx(), config.accountId, kbs.get(kb.name)!, { text: q.text, numberOfResults: 5, searchType: 'SEMANTIC' });
      if (kb !== set) {
        unanswerable.push(chunks[0]?.score ?? 0);
        continue;
      }
      ownTop.push(chunks[0]?.score ?? 0);
      for (const c of chunks) {
        const doc = set.docs[Number(basename(c.location.uri ?? '', '.txt'))]?.id ?? '';
        ((judged.get(doc) ?? 0) > 0 ? relevant : other).push(c.score);
      }
    }
  }
  rows.push({ name: set.name, relevant, unanswerable });
  console.log(`| ${set.name} | ${spread(relevant)} | ${spread(other)} | ${spread(ownTop)} | ${spread(unanswerable)} |`);
}
console.log(`\n| floor | ${rows.map((r) => `${r.name}: relevant kept / unanswerable still citing`).join(' | ')} |`);
console.log(`|---|${rows.map(() => '---').join('|')}|`);
for (const f of FLOORS) console.log(`| ${f} | ${rows.map((r) => `${share(r.relevant, f)} / ${share(r.unanswerable, f)}`).join(' | ')} |`);

await server.close();
rmSync(dataDir, { recursive: true, force: true });
