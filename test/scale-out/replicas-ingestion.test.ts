import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { deleteKeysWithPrefix, dropSchema } from '../support/scale-out-cleanup.js';
import { Replica } from './replica-harness.js';

/**
 * Issue 9's multi-process ingestion case: two `quarry serve` replicas on one PostgreSQL schema, one Redis prefix and
 * one pgvector database; an ingestion job is started, the replica running it is SIGKILLed mid-job, and the other one
 * resumes it once the dead worker's lease lapses. Every document ends up in the shared pgvector index exactly once.
 * Needs the machine's PostgreSQL and Redis (QUARRY_TEST_PG_URL, QUARRY_TEST_REDIS_URL, which CI sets); pgvector comes
 * from QUARRY_TEST_PGVECTOR_URL or, as the machine's PostgreSQL has none, from PGlite started here in a process of its own.
 */
const PG_URL = process.env.QUARRY_TEST_PG_URL;
const REDIS_URL = process.env.QUARRY_TEST_REDIS_URL;
const API_KEY = 'qk-replicas-ingest-0123456789abcdef';
const DOCS = 240;

interface Job {
  ingestionJobId: string;
  status: string;
  statistics: Record<string, number>;
}

async function call<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as T;
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** PGlite with pgvector behind the wire protocol, as scripts/run-tests.mjs starts it: its URL is its first line. */
async function startPgvector(): Promise<{ url: string; stop(): void }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'support', 'pgvector-test-server.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => {
      out += d;
      if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
    });
    child.once('exit', (code) => reject(new Error(`pgvector test server exited with ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

test('an ingestion job whose replica is SIGKILLed mid-job finishes on another replica, every document indexed once', {
  skip: PG_URL && REDIS_URL ? false : 'set QUARRY_TEST_PG_URL and QUARRY_TEST_REDIS_URL (the machine PostgreSQL and Redis) to run',
  timeout: 300_000,
}, async (t) => {
  const id = randomBytes(5).toString('hex');
  const schema = `quarry_ing_${id}`;
  const keyPrefix = `quarry-ing:${id}:`;
  const dir = mkdtempSync(join(tmpdir(), 'quarry-replicas-ingest-'));
  const docs = join(dir, 'docs');
  mkdirSync(docs);
  for (let i = 0; i < DOCS; i++) {
    writeFileSync(join(docs, `note-${String(i).padStart(3, '0')}.txt`), `Note ${i}. The warehouse in district ${i % 17} stores ${i * 3} crates of item ${i}. Inventory was counted on day ${i % 28}.`);
  }
  const pgvector = process.env.QUARRY_TEST_PGVECTOR_URL ? { url: process.env.QUARRY_TEST_PGVECTOR_URL, stop() {} } : await startPgvector();
  const withSchema = (url: string) => {
    const u = new URL(url);
    u.searchParams.set('schema', schema);
    return u.toString();
  };
  const configFile = join(dir, 'quarry.yaml');
  writeFileSync(
    configFile,
    `store:
  url: ${JSON.stringify(withSchema(PG_URL!))}
redis:
  url: ${JSON.stringify(REDIS_URL)}
  keyPrefix: ${JSON.stringify(keyPrefix)}
providers:
  - id: embedded
    type: embedded
knowledge:
  localRoots: [${JSON.stringify(docs)}]
  pgvectorUrl: ${JSON.stringify(withSchema(pgvector.url))}
  leaseMs: 5000
ollama:
  autoDetect: false
`,
  );
  const env = { ...process.env, QUARRY_BOOTSTRAP_API_KEY: API_KEY, QUARRY_MASTER_KEY: randomBytes(32).toString('base64'), QUARRY_LOG_LEVEL: 'warn' };
  const replicas = [0, 1].map((i) => new Replica(`replica-${i}`, { configFile, dataDir: join(dir, `data-${i}`), env }));
  const jobs = new pg.Client({ connectionString: PG_URL });
  await jobs.connect();
  try {
    await Promise.all(replicas.map((r) => r.start()));
    const [a, b] = replicas as [Replica, Replica];
    const kb = await call<{ knowledgeBase: { knowledgeBaseId: string; storageConfiguration?: { type?: string } } }>(a.url, 'PUT', '/knowledgebases/', {
      name: 'notes',
      knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: 'quarry.embed-use-v1:0' } },
    });
    const kbId = kb.knowledgeBase.knowledgeBaseId;
    const ds = await call<{ dataSource: { dataSourceId: string } }>(b.url, 'PUT', `/knowledgebases/${kbId}/datasources/`, {
      name: 'notes',
      dataSourceConfiguration: { type: 'LOCAL', localConfiguration: { path: docs } },
    });
    const base = `/knowledgebases/${kbId}/datasources/${ds.dataSource.dataSourceId}/ingestionjobs/`;
    const { ingestionJob } = await call<{ ingestionJob: Job }>(a.url, 'PUT', base, {});

    let jobRows = '';
    // Which process claimed it: the queue records `host:pid` in jobs.worker.
    const workerOf = async () => {
      const { rows } = await jobs.query<{ worker: string | null; state: string; type: string }>(`select worker, state, type from ${schema}.jobs order by id`);
      jobRows = JSON.stringify(rows);
      return rows.find((r) => r.state === 'RUNNING')?.worker ?? undefined;
    };
    let job = ingestionJob;
    let worker: string | undefined;
    for (let i = 0; i < 1200; i++) {
      job = (await call<{ ingestionJob: Job }>(b.url, 'GET', `${base}${ingestionJob.ingestionJobId}`)).ingestionJob;
      worker = await workerOf();
      // A replica whose event loop is busy embedding may let its lease lapse and the other take the job over: wait for
      // a moment when the job is both under way and held, by whichever of them.
      if (((job.statistics.numberOfNewDocumentsIndexed ?? 0) > 0 && worker) || job.status === 'COMPLETE') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(job.status, 'IN_PROGRESS', 'the job was caught mid-way (if this fails the machine ran the whole job between two polls)');
    const before = job.statistics.numberOfNewDocumentsIndexed!;
    assert.ok(before > 0 && before < DOCS, `indexed before the kill: ${before}`);
    const victim = replicas.find((r) => worker?.endsWith(`:${r.child?.pid}`));
    assert.ok(victim, `the running job's worker (${worker}) is one of the replicas: ${jobRows}`);
    const survivor = victim === a ? b : a;
    await victim.kill();
    t.diagnostic(`${victim.name} killed with ${before}/${DOCS} documents indexed`);

    for (let i = 0; i < 1200 && !['COMPLETE', 'FAILED', 'STOPPED'].includes(job.status); i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await call<{ ingestionJob: Job }>(survivor.url, 'GET', `${base}${ingestionJob.ingestionJobId}`)).ingestionJob;
    }
    assert.equal(job.status, 'COMPLETE', JSON.stringify(job));
    assert.equal(job.statistics.numberOfDocumentsScanned, DOCS);
    assert.equal(job.statistics.numberOfNewDocumentsIndexed, DOCS);
    assert.equal(job.statistics.numberOfDocumentsFailed, 0);
    const { rows: finished } = await jobs.query<{ worker: string; attempts: number }>(`select worker, attempts from ${schema}.jobs where state = 'SUCCEEDED'`);
    assert.equal(finished.length, 1);
    assert.ok(finished[0]!.worker.endsWith(`:${survivor.child!.pid}`), `finished by the survivor: ${finished[0]!.worker}`);
    t.diagnostic(`finished by ${survivor.name} after ${finished[0]!.attempts} claims`);

    // Exactly once in the shared pgvector index: one chunk per document (each is one short chunk), none twice.
    const vectors = new pg.Client({ connectionString: pgvector.url });
    await vectors.connect();
    try {
      const { rows: tables } = await vectors.query<{ table_name: string }>(`select table_name from information_schema.tables where table_schema = $1 and table_name like 'kb_chunks_%'`, [schema]);
      assert.equal(tables.length, 1, `one pgvector table for the knowledge base: ${tables.map((r) => r.table_name)}`);
      const { rows } = await vectors.query<{ n: number; docs: number }>(`select count(*)::int as n, count(distinct document_id)::int as docs from ${schema}."${tables[0]!.table_name}"`);
      assert.deepEqual(rows[0], { n: DOCS, docs: DOCS });
    } finally {
      await vectors.end();
    }

    const hit = await call<{ retrievalResults: { content: { text: string } }[] }>(survivor.url, 'POST', `/knowledgebases/${kbId}/retrieve`, {
      retrievalQuery: { text: 'How many crates are stored for item 201?' },
      retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 3 } },
    });
    assert.ok(hit.retrievalResults.some((r) => /item 201\./.test(r.content.text)), JSON.stringify(hit.retrievalResults));
  } catch (err) {
    for (const r of replicas) t.diagnostic(`${r.name} log tail:\n${r.log.slice(-3000)}`);
    throw err;
  } finally {
    await Promise.all(replicas.map((r) => r.stop()));
    await jobs.end();
    await dropSchema(PG_URL!, schema);
    await dropSchema(pgvector.url, schema).catch(() => {});
    pgvector.stop();
    await deleteKeysWithPrefix(REDIS_URL!, keyPrefix);
    rmSync(dir, { recursive: true, force: true });
  }
});
