// Retrieval quality and ingestion throughput of knowledge bases on public test collections, through the real server:
// each collection is written to a folder, synced by an ingestion job (parse → chunk → embed → index), then every query
// is run as keyword, semantic and hybrid retrieval. Prints nDCG@10 and recall@100 per mode, and the ingestion's
// documents/s and chunks/s beside the embedding model alone on the very chunks ingestion embeds.
//
//   node --import tsx bench/retrieval-quality.ts [--sets msmarco,dbpedia,business-reports,cranfield] [--limit-queries N]
//     [--sample-docs N] [--profile-ingestion DIR]   (DIR/<set>.cpuprofile: the ingestion alone, sampled every 5 ms)
//     [--data-dir DIR]    keep the server's data in DIR and reuse its embedding cache: a re-run skips the encoder, so its
//                         retrieval figures are exact and its ingestion figures are not a measurement
//     [--dump-runs DIR]   DIR/<set>.json: each query's keyword and semantic results, 400 deep (chunk id, document, score)
//                         and its judgements, to compare fusion methods offline on exactly what retrieval returned
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { cpus, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { silentLogger } from '../src/core/index.js';
import { EMBED_BATCH_SIZE, prepareDocument } from '../src/knowledge/ingestion/document-indexer.js';
import { indexSettingsFor } from '../src/knowledge/ingestion/index-settings.js';
import type { CallContext } from '../src/knowledge/model-port.js';
import { parseConfig } from '../src/server/config.js';
import { startQuarry } from '../src/server/quarry-server.js';
import { standardRoutes } from '../src/server/standard-routes.js';
import { loadAll, ndcgAt, type RetrievalSet, recallAt } from './retrieval-datasets.js';

const { values } = parseArgs({
  options: {
    sets: { type: 'string' },
    'limit-queries': { type: 'string' },
    model: { type: 'string' },
    'sample-docs': { type: 'string' },
    'profile-ingestion': { type: 'string' },
    'data-dir': { type: 'string' },
    'dump-runs': { type: 'string' },
  },
});
const root = join(import.meta.dirname, '..', '..', 'shared', 'datasets', 'retrieval');
const sets = loadAll(root, values.sets?.split(','));
const EMBED = values.model ?? 'quarry.embed-use-v1:0';
const API_KEY = 'qk-bench-retrieval-0123456789';
/** How deep --dump-runs records each single mode: the most candidates retrieval fetches from one search. */
const DUMP_DEPTH = 400;

const keepData = values['data-dir'] !== undefined;
const dataDir = keepData ? values['data-dir']! : mkdtempSync(join(tmpdir(), 'quarry-bench-rq-'));
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

interface Throughput {
  /** Wall-clock seconds, and CPU seconds of this process (all its threads), which other processes' load barely moves. */
  sec: number;
  cpuSec: number;
}

interface Row {
  set: string;
  docs: number;
  queries: number;
  chunks: number;
  ingest: Throughput;
  /** The embedder alone on the sample's chunks (the mean of a pass before and one after the ingestion). */
  embedder: Throughput & { chunks: number; docs: number };
  scores: Record<string, { ndcg10: number; recall100: number }>;
}

const SCOPE = config.accountId;
const embedContext = (): CallContext => ({
  requestId: 'bench-embedder-alone',
  principal: { id: 'bench', name: 'bench', keyId: '-', isAdmin: true, authMethod: 'bearer' },
  api: 'bench',
  signal: new AbortController().signal,
  log: silentLogger,
});

async function timed(fn: () => Promise<void>): Promise<Throughput> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  await fn();
  const used = process.cpuUsage(cpu);
  return { sec: (performance.now() - t) / 1000, cpuSec: (used.user + used.system) / 1e6 };
}

/**
 * What ingestion embeds for a sample of the set's documents (spread over the set, so long and short ones both count): each
 * file read, parsed and chunked by the product's own prepareDocument with the data source's settings, each distinct
 * text once, as embedPrepared sends them.
 */
async function pipelineChunks(folder: string, docCount: number, kbId: string, dsId: string, maxDocs: number): Promise<{ docs: number; texts: string[] }> {
  const { service } = server.knowledge;
  const kb = await service.repo.knowledgeBase(SCOPE, kbId);
  const settings = indexSettingsFor(kb, await service.repo.dataSource(SCOPE, kbId, dsId));
  const embed = service.embedderFor(kb, embedContext);
  const signal = new AbortController().signal;
  const texts = new Map<string, string>();
  const picks = Math.min(maxDocs, docCount);
  let docs = 0;
  for (let k = 0; k < picks; k++) {
    const i = Math.floor((k * docCount) / picks);
    const path = join(folder, `${i}.txt`);
    const bytes = readFileSync(path);
    const item = { uri: pathToFileURL(path).href, name: `${i}.txt`, read: async () => bytes };
    const prepared = await prepareDocument(item, bytes, '', settings, embed, signal).catch(() => undefined);
    if (!prepared) continue; // ingestion records it as a failure and embeds nothing for it
    docs++;
    for (const [j, t] of prepared.embedTexts.entries()) texts.set(prepared.textHashes[j]!, t);
  }
  return { docs, texts: [...texts.values()] };
}

type CpuProfile = { nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[]; samples?: number[] };

/**
 * Where the ingestion's samples fall: inside the embedder (the encoder's wasm, tfjs and the provider, whatever
 * called them), the garbage collector, idle, or anywhere else, which is the pipeline's own cost. A sampled profile
 * counts wall time on this thread, so this split holds however loaded the machine is.
 */
function profileShares(profile: CpuProfile): Record<'embedder' | 'gc' | 'idle' | 'pipeline', number> {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const kinds = new Map<number, 'embedder' | 'gc' | 'idle' | 'pipeline'>();
  const kindOf = (id: number): 'embedder' | 'gc' | 'idle' | 'pipeline' => {
    const known = kinds.get(id);
    if (known) return known;
    const { functionName: fn, url } = byId.get(id)!.callFrame;
    const up = parent.get(id);
    const kind =
      fn === '(garbage collector)' ? 'gc'
      : fn === '(idle)' ? 'idle'
      : fn.startsWith('wasm-function') || /@energetic-ai|providers\/embedded/.test(url) ? 'embedder'
      : up !== undefined ? kindOf(up)
      : 'pipeline';
    kinds.set(id, kind);
    return kind;
  };
  const counts = { embedder: 0, gc: 0, idle: 0, pipeline: 0 };
  for (const id of profile.samples ?? []) counts[kindOf(id)]++;
  const total = Math.max(1, profile.samples?.length ?? 0);
  return { embedder: counts.embedder / total, gc: counts.gc / total, idle: counts.idle / total, pipeline: counts.pipeline / total };
}

async function runSet(set: RetrievalSet): Promise<Row> {
  const folder = join(docsRoot, set.name);
  mkdirSync(folder, { recursive: true });
  // File names are positions: collection ids hold characters (<, :, /) that do not belong in file names.
  for (const [i, d] of set.docs.entries()) writeFileSync(join(folder, `${i}.txt`), d.text);
  const idOf = (uri: string) => set.docs[Number(basename(uri, '.txt'))]!.id;

  const kb = await call<{ knowledgeBase: { knowledgeBaseId: string } }>('PUT', '/knowledgebases/', {
    // Unique, so a kept data dir takes a new knowledge base each run (and reuses only the embedding cache).
    name: `bench-${set.name}-${Date.now().toString(36)}`,
    knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: EMBED } },
  });
  const kbId = kb.knowledgeBase.knowledgeBaseId;
  const ds = await call<{ dataSource: { dataSourceId: string } }>('PUT', `/knowledgebases/${kbId}/datasources/`, {
    name: 'corpus',
    dataSourceConfiguration: { type: 'LOCAL', localConfiguration: { path: folder } },
  });
  const dsId = ds.dataSource.dataSourceId;
  // The embedder alone on the chunks ingestion embeds (300 tokens with 20% overlap: more text and more inputs than the
  // documents themselves), through the same in-process call ingestion makes, in full batches of the size ingestion
  // uses: chunks/s against chunks/s. Timed before and after the ingestion and averaged, so load from other processes
  // on a shared machine weighs on both sides alike.
  const sample = await pipelineChunks(folder, set.docs.length, kbId, dsId, Number(values['sample-docs'] ?? 640));
  const embed = server.knowledge.service.embedderFor(await server.knowledge.service.repo.knowledgeBase(SCOPE, kbId), embedContext);
  const embedAll = () =>
    timed(async () => {
      const signal = new AbortController().signal;
      for (let i = 0; i < sample.texts.length; i += EMBED_BATCH_SIZE) await embed(sample.texts.slice(i, i + EMBED_BATCH_SIZE), signal);
    });
  const embedBefore = await embedAll();

  const profiler = values['profile-ingestion'] ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    // A coarse interval keeps the profiler's own cost on the timed ingestion small.
    await profiler.post('Profiler.setSamplingInterval', { interval: 5000 });
    await profiler.post('Profiler.start');
  }
  let job = { ingestionJobId: '', status: 'STARTING' };
  const ingest = await timed(async () => {
    job = (await call<{ ingestionJob: typeof job }>('PUT', `/knowledgebases/${kbId}/datasources/${dsId}/ingestionjobs/`, {})).ingestionJob;
    while (['STARTING', 'IN_PROGRESS'].includes(job.status)) {
      await new Promise((r) => setTimeout(r, 250));
      job = (await call<{ ingestionJob: typeof job }>('GET', `/knowledgebases/${kbId}/datasources/${dsId}/ingestionjobs/${job.ingestionJobId}`)).ingestionJob;
    }
  });
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(join(values['profile-ingestion']!, `${set.name}.cpuprofile`), JSON.stringify(profile));
    profiler.disconnect();
    const share = Object.entries(profileShares(profile))
      .map(([k, v]) => `${k} ${(100 * v).toFixed(1)}%`)
      .join(', ');
    process.stderr.write(`  ingestion profile (share of samples): ${share}\n`);
  }
  process.stderr.write(`  ingested in ${ingest.sec.toFixed(1)} s (${ingest.cpuSec.toFixed(1)} CPU s)\n`);
  if (job.status !== 'COMPLETE') throw new Error(`${set.name}: ingestion ${job.status}`);
  const chunks = await server.knowledge.service.countChunks(SCOPE, kbId);

  const embedAfter = await embedAll();
  const embedder = {
    sec: (embedBefore.sec + embedAfter.sec) / 2,
    cpuSec: (embedBefore.cpuSec + embedAfter.cpuSec) / 2,
    chunks: sample.texts.length,
    docs: sample.docs,
  };
  process.stderr.write(`  embedder alone: ${embedder.chunks} chunks of ${embedder.docs} documents in ${embedder.sec.toFixed(1)} s (${embedder.cpuSec.toFixed(1)} CPU s)\n`);

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
  if (values['dump-runs']) {
    // Each single mode as deep as retrieval ever fetches candidates for fusion, through the service the route calls.
    const dump = [];
    for (const q of queries) {
      const run = async (searchType: 'KEYWORD' | 'SEMANTIC') =>
        (await server.knowledge.service.retrieve(embedContext(), SCOPE, kbId, { text: q.text, numberOfResults: DUMP_DEPTH, searchType })).chunks.map((c) => ({
          chunk: c.id,
          doc: idOf(c.location.uri),
          score: c.score,
        }));
      dump.push({ id: q.id, qrels: Object.fromEntries(set.qrels.get(q.id)!), keyword: await run('KEYWORD'), semantic: await run('SEMANTIC') });
    }
    writeFileSync(join(values['dump-runs'], `${set.name}.json`), JSON.stringify(dump));
  }
  return { set: set.name, docs: set.docs.length, queries: queries.length, chunks, ingest, embedder, scores };
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
  if (!keepData) rmSync(dataDir, { recursive: true, force: true });
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
console.log('\nIngestion throughput (folder sync: list, read, parse, chunk, embed, index) beside the embedding model alone on the chunks');
console.log('ingestion embeds (a sample of the documents, chunked by the product, full batches of the size ingestion uses)\n');
console.log('| set | docs | chunks | ingestion docs/s | ingestion chunks/s | embedder alone chunks/s (sample) | embedder alone docs/s at this set\'s chunks/doc | pipeline / embedder (wall) | pipeline / embedder (CPU time) |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const ingestRate = r.chunks / r.ingest.sec;
  const embedRate = r.embedder.chunks / r.embedder.sec;
  const cpuRatio = r.chunks / r.ingest.cpuSec / (r.embedder.chunks / r.embedder.cpuSec);
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
  console.log(
    `| ${r.set} | ${r.docs} | ${r.chunks} | ${(r.docs / r.ingest.sec).toFixed(2)} | ${ingestRate.toFixed(2)} | ${embedRate.toFixed(2)} | ${((embedRate * r.docs) / r.chunks).toFixed(2)} | ${pct(ingestRate / embedRate)} | ${pct(cpuRatio)} |`,
  );
}
