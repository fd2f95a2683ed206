// Retrieval quality and ingestion throughput of knowledge bases on public test collections, through the real server:
// each collection is written to a folder, synced by an ingestion job (parse → chunk → embed → index), then every query
// is run as keyword, semantic and hybrid retrieval. Prints nDCG@10 and recall@100 per mode, and documents/s of the
// ingestion beside the embedding model alone on the same texts.
//
//   node --import tsx bench/retrieval-quality.ts [--sets msmarco,dbpedia,business-reports,cranfield] [--limit-queries N]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { silentLogger } from '../src/core/index.js';
import { parseConfig } from '../src/server/config.js';
import { startQuarry } from '../src/server/quarry-server.js';
import { standardRoutes } from '../src/server/standard-routes.js';
import { loadAll, ndcgAt, type RetrievalSet, recallAt } from './retrieval-datasets.js';

const { values } = parseArgs({ options: { sets: { type: 'string' }, 'limit-queries': { type: 'string' }, model: { type: 'string' } } });
const root = join(import.meta.dirname, '..', '..', 'shared', 'datasets', 'retrieval');
const sets = loadAll(root, values.sets?.split(','));
const EMBED = values.model ?? 'quarry.embed-use-v1:0';
const API_KEY = 'qk-bench-retrieval-0123456789';

const dataDir = mkdtempSync(join(tmpdir(), 'quarry-bench-rq-'));
const docsRoot = join(dataDir, 'corpora');
mkdirSync(docsRoot, { recursive: true });
const config = parseConfig(`providers:\n  - id: embedded\n    type: embedded\nknowledge:\n  localRoots: [${JSON.stringify(docsRoot)}]\n`, {});
const server = await startQuarry({ config, dataDir, port: 0, log: silentLogger, autoProviders: false, routes: standardRoutes, env: { QUARRY_BOOTSTRAP_API_KEY: API_KEY } });
// Load the model before anything is timed.
await fetch(`${server.url}/v1/embeddings`, { method: 'POST', headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: EMBED, input: ['warm up'] }) });

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as T & { message?: string };
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${json.message}`);
  return json;
}

interface Row {
  set: string;
  docs: number;
  queries: number;
  ingestDocsPerSec: number;
  chunksPerSec: number;
  embedderDocsPerSec: number;
  scores: Record<string, { ndcg10: number; recall100: number }>;
}

async function runSet(set: RetrievalSet): Promise<Row> {
  const folder = join(docsRoot, set.name);
  mkdirSync(folder, { recursive: true });
  // File names are positions: collection ids hold characters (<, :, /) that do not belong in file names.
  for (const [i, d] of set.docs.entries()) writeFileSync(join(folder, `${i}.txt`), d.text);
  const idOf = (uri: string) => set.docs[Number(basename(uri, '.txt'))]!.id;

  const kb = await call<{ knowledgeBase: { knowledgeBaseId: string } }>('PUT', '/knowledgebases/', {
    name: `bench-${set.name}`,
    knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: EMBED } },
  });
  const kbId = kb.knowledgeBase.knowledgeBaseId;
  const ds = await call<{ dataSource: { dataSourceId: string } }>('PUT', `/knowledgebases/${kbId}/datasources/`, {
    name: 'corpus',
    dataSourceConfiguration: { type: 'LOCAL', localConfiguration: { path: folder } },
  });
  const dsId = ds.dataSource.dataSourceId;
  // The embedder alone on the same texts in the batches ingestion uses, timed before and after the ingestion and
  // averaged, so load from other processes on this shared machine weighs on both sides alike.
  // A sample of 640 documents is enough for a rate and keeps the largest sets from tripling the run.
  const sample = set.docs.slice(0, 640);
  const embedAll = async () => {
    const t = performance.now();
    for (let i = 0; i < sample.length; i += 32) {
      await call('POST', '/v1/embeddings', { model: EMBED, input: sample.slice(i, i + 32).map((d) => d.text) });
    }
    return (performance.now() - t) / 1000;
  };
  const embedBefore = await embedAll();
  const t0 = performance.now();
  let job = (await call<{ ingestionJob: { ingestionJobId: string; status: string } }>('PUT', `/knowledgebases/${kbId}/datasources/${dsId}/ingestionjobs/`, {})).ingestionJob;
  while (['STARTING', 'IN_PROGRESS'].includes(job.status)) {
    await new Promise((r) => setTimeout(r, 250));
    job = (await call<{ ingestionJob: typeof job & { statistics: Record<string, number> } }>('GET', `/knowledgebases/${kbId}/datasources/${dsId}/ingestionjobs/${job.ingestionJobId}`)).ingestionJob;
  }
  const ingestSec = (performance.now() - t0) / 1000;
  process.stderr.write(`  ingested in ${ingestSec.toFixed(1)} s\n`);
  if (job.status !== 'COMPLETE') throw new Error(`${set.name}: ingestion ${job.status}`);
  const chunks = await server.knowledge.service.countChunks(config.accountId, kbId);

  const embedSec = (embedBefore + (await embedAll())) / 2;
  process.stderr.write(`  embedder alone ${embedSec.toFixed(1)} s\n`);

  const limit = values['limit-queries'] ? Number(values['limit-queries']) : set.queries.length;
  const queries = set.queries.slice(0, limit);
  const scores: Row['scores'] = {};
  for (const mode of ['KEYWORD', 'SEMANTIC', 'HYBRID']) {
    let ndcg = 0;
    let recall = 0;
    for (const q of queries) {
      const r = await call<{ retrievalResults: { location: { customDocumentLocation: { id: string } } }[] }>('POST', `/knowledgebases/${kbId}/retrieve`, {
        retrievalQuery: { text: q.text },
        retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 100, overrideSearchType: mode } },
      });
      const ranked = [...new Set(r.retrievalResults.map((x) => idOf(x.location.customDocumentLocation.id)))];
      const rel = set.qrels.get(q.id)!;
      ndcg += ndcgAt(10, ranked, rel);
      recall += recallAt(100, ranked, rel);
    }
    scores[mode] = { ndcg10: ndcg / queries.length, recall100: recall / queries.length };
  }
  return {
    set: set.name,
    docs: set.docs.length,
    queries: queries.length,
    ingestDocsPerSec: set.docs.length / ingestSec,
    chunksPerSec: chunks / ingestSec,
    embedderDocsPerSec: sample.length / embedSec,
    scores,
  };
}

const rows: Row[] = [];
try {
  for (const set of sets) {
    process.stderr.write(`${set.name}: ${set.docs.length} documents, ${set.queries.length} queries…\n`);
    const row = await runSet(set);
    rows.push(row);
    // Each set's figures as soon as they exist, so a long run that is cut short still reports what it measured.
    process.stderr.write(`  ${JSON.stringify(row)}\n`);
  }
} finally {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}

const f = (n: number) => n.toFixed(3);
console.log(`Retrieval quality — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}, embedding model ${EMBED}\n`);
console.log('| set | docs | queries | keyword nDCG@10 | semantic nDCG@10 | hybrid nDCG@10 | keyword R@100 | semantic R@100 | hybrid R@100 | hybrid best? |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
for (const r of rows) {
  const s = r.scores;
  const best = s.HYBRID!.ndcg10 > s.KEYWORD!.ndcg10 && s.HYBRID!.ndcg10 > s.SEMANTIC!.ndcg10;
  console.log(
    `| ${r.set} | ${r.docs} | ${r.queries} | ${f(s.KEYWORD!.ndcg10)} | ${f(s.SEMANTIC!.ndcg10)} | ${f(s.HYBRID!.ndcg10)} | ${f(s.KEYWORD!.recall100)} | ${f(s.SEMANTIC!.recall100)} | ${f(s.HYBRID!.recall100)} | ${best ? 'yes' : 'NO'} |`,
  );
}
console.log('\nIngestion throughput (folder sync: list, read, parse, chunk, embed, index) beside the embedding model alone\n');
console.log('| set | docs | ingestion docs/s | chunks/s | embedder alone docs/s | pipeline / embedder |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.set} | ${r.docs} | ${r.ingestDocsPerSec.toFixed(1)} | ${r.chunksPerSec.toFixed(1)} | ${r.embedderDocsPerSec.toFixed(1)} | ${((100 * r.ingestDocsPerSec) / r.embedderDocsPerSec).toFixed(0)}% |`);
}
