import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';

/**
 * Ingestion survives a crash: a real server process is killed with SIGKILL in the middle of an ingestion job, a new
 * one starts on the same data directory, and once the dead worker's lease lapses the job resumes from its
 * checkpoint. Every document ends up indexed exactly once (no duplicate chunks, counts not doubled).
 */
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'quarry.js');
const KEY = 'qk-resume-test-0123456789abcdef';
const dir = mkdtempSync(join(tmpdir(), 'quarry-resume-'));
const docs = join(dir, 'docs');
const dataDir = join(dir, 'data');
const DOCS = 240;
let child: ChildProcess | undefined;

after(() => {
  child?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function startServer(): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, [BIN, 'serve', '--data-dir', dataDir, '--port', '0', '--config', join(dir, 'quarry.yaml'), '--no-pull'], {
    env: { ...process.env, QUARRY_BOOTSTRAP_API_KEY: KEY, QUARRY_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    // The banner with the URL goes to stderr (stdout is kept for the JSON logs).
    const onData = (d: Buffer) => {
      out += d;
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (m) resolve({ url: m[1]!, proc });
    };
    proc.stderr!.on('data', onData);
    proc.stdout!.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

async function call<T>(url: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as T;
  assert.ok(res.ok, JSON.stringify(json));
  return json;
}

interface Job {
  ingestionJobId: string;
  status: string;
  statistics: Record<string, number>;
}

test('an ingestion job killed with SIGKILL resumes in a new process and indexes every document once', { timeout: 180_000 }, async () => {
  mkdirSync(docs, { recursive: true });
  for (let i = 0; i < DOCS; i++) {
    writeFileSync(join(docs, `note-${String(i).padStart(3, '0')}.txt`), `Note ${i}. The warehouse in district ${i % 17} stores ${i * 3} crates of item ${i}. Inventory was counted on day ${i % 28}.`);
  }
  writeFileSync(
    join(dir, 'quarry.yaml'),
    `providers:\n  - id: embedded\n    type: embedded\nknowledge:\n  localRoots: [${JSON.stringify(docs)}]\n  leaseMs: 1500\nollama:\n  autoDetect: false\n`,
  );
  let server = await startServer();
  child = server.proc;
  const kb = await call<{ knowledgeBase: { knowledgeBaseId: string } }>(server.url, 'PUT', '/knowledgebases/', {
    name: 'notes',
    knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: 'quarry.embed-use-v1:0' } },
  });
  const kbId = kb.knowledgeBase.knowledgeBaseId;
  const ds = await call<{ dataSource: { dataSourceId: string } }>(server.url, 'PUT', `/knowledgebases/${kbId}/datasources/`, {
    name: 'notes',
    dataSourceConfiguration: { type: 'LOCAL', localConfiguration: { path: docs } },
  });
  const base = `/knowledgebases/${kbId}/datasources/${ds.dataSource.dataSourceId}/ingestionjobs/`;
  const { ingestionJob } = await call<{ ingestionJob: Job }>(server.url, 'PUT', base, {});

  // Wait until at least one batch is committed but the job is not finished, then kill the process outright.
  let job = ingestionJob;
  for (let i = 0; i < 600; i++) {
    job = (await call<{ ingestionJob: Job }>(server.url, 'GET', `${base}${ingestionJob.ingestionJobId}`)).ingestionJob;
    if (job.statistics.numberOfNewDocumentsIndexed > 0 || job.status === 'COMPLETE') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(job.status, 'IN_PROGRESS', 'the job was killed mid-way (if this fails the machine ran the whole job between two polls)');
  const before = job.statistics.numberOfNewDocumentsIndexed;
  assert.ok(before > 0 && before < DOCS);
  server.proc.kill('SIGKILL');
  await new Promise((r) => server.proc.once('exit', r));

  server = await startServer();
  child = server.proc;
  for (let i = 0; i < 1200 && !['COMPLETE', 'FAILED'].includes(job.status); i++) {
    await new Promise((r) => setTimeout(r, 100));
    job = (await call<{ ingestionJob: Job }>(server.url, 'GET', `${base}${ingestionJob.ingestionJobId}`)).ingestionJob;
  }
  assert.equal(job.status, 'COMPLETE');
  assert.equal(job.statistics.numberOfDocumentsScanned, DOCS);
  assert.equal(job.statistics.numberOfNewDocumentsIndexed, DOCS);
  assert.equal(job.statistics.numberOfDocumentsFailed, 0);

  const hit = await call<{ retrievalResults: { content: { text: string } }[] }>(server.url, 'POST', `/knowledgebases/${kbId}/retrieve`, {
    retrievalQuery: { text: 'How many crates are stored for item 201?' },
    retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 3 } },
  });
  assert.ok(hit.retrievalResults.some((r) => /item 201\./.test(r.content.text)));
  server.proc.kill('SIGTERM');
  await new Promise((r) => server.proc.once('exit', r));
  child = undefined;

  // Exactly once: one chunk per document in the index, no duplicates left by the killed attempt.
  const db = new Database(join(dataDir, 'knowledge', kbId.toLowerCase(), 'chunks.db'), { readonly: true });
  const { n, docsIndexed } = db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT document_id) AS docsIndexed FROM chunks').get() as { n: number; docsIndexed: number };
  db.close();
  assert.equal(docsIndexed, DOCS);
  assert.equal(n, DOCS);
});
