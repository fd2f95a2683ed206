import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  BedrockAgentClient,
  CreateKnowledgeBaseCommand,
  GetIngestionJobCommand,
  ListIngestionJobsCommand,
  StartIngestionJobCommand,
  StopIngestionJobCommand,
} from '@aws-sdk/client-bedrock-agent';
import type { JobTables } from '../../src/store/index.js';
import { startTestServer, TEST_ACCESS_KEY_ID, TEST_API_KEY, TEST_SECRET_ACCESS_KEY, type TestServer } from '../support/start-test-server.js';

/**
 * An ingestion job whose queue entry ends without its handler writing an outcome: the queue gives up on a job whose
 * workers keep stopping heartbeating (killed, or stalled past the lease), or a job is cancelled before any worker took
 * it. The job must then read as FAILED (with the queue's reason) or STOPPED, not IN_PROGRESS forever, and the data
 * source must accept a new sync. The server runs no ingestion workers, so the queue entry waits untouched until the test
 * ends it the way the queue itself does.
 */
const docs = mkdtempSync(join(tmpdir(), 'quarry-given-up-'));
let server: TestServer;
let agent: BedrockAgentClient;
let kbId: string;
let dsId: string;

before(async () => {
  writeFileSync(join(docs, 'a.txt'), 'The archive opens at nine.');
  server = await startTestServer(`  - id: embedded\n    type: embedded\nknowledge:\n  workers: 0\n  localRoots: [${JSON.stringify(docs)}]\n`);
  agent = new BedrockAgentClient({ region: 'us-east-1', endpoint: server.url, credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY } });
  const kb = await agent.send(
    new CreateKnowledgeBaseCommand({
      name: 'given-up',
      roleArn: 'arn:aws:iam::000000000000:role/kb',
      knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: 'quarry.embed-static-v1:0' } },
    }),
  );
  kbId = kb.knowledgeBase!.knowledgeBaseId!;
  // LOCAL is Quarry's own source type, which the SDK's serializer does not know: created over HTTP.
  const res = await fetch(`${server.url}/knowledgebases/${kbId}/datasources/`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'docs', dataSourceConfiguration: { type: 'LOCAL', localConfiguration: { path: docs } } }),
  });
  assert.equal(res.status, 200);
  dsId = ((await res.json()) as { dataSource: { dataSourceId: string } }).dataSource.dataSourceId;
});

after(async () => {
  await server?.stop();
  rmSync(docs, { recursive: true, force: true });
});

/** The queue entry behind an ingestion job, ended as the queue ends it. */
async function endQueueEntry(ingestionJobId: string, state: 'FAILED' | 'CANCELLED', error?: string): Promise<void> {
  const db = server.store.db.withTables<JobTables & { ingestion_jobs: { id: string; queue_job_id: string | null } }>();
  const row = await db.selectFrom('ingestion_jobs').select('queue_job_id').where('id', '=', ingestionJobId).executeTakeFirstOrThrow();
  assert.ok(row.queue_job_id);
  const at = new Date().toISOString();
  const r = await db
    .updateTable('jobs')
    .set({ state, error: error ?? null, lease_token: null, lease_expires_at: null, finished_at: at, updated_at: at })
    .where('id', '=', row.queue_job_id)
    .where('state', '=', 'QUEUED')
    .executeTakeFirst();
  assert.equal(Number(r.numUpdatedRows), 1, 'the queue entry was still waiting');
}

test('a job the queue gave up on reads FAILED with the reason, and the data source syncs again', async () => {
  const started = (await agent.send(new StartIngestionJobCommand({ knowledgeBaseId: kbId, dataSourceId: dsId }))).ingestionJob!;
  assert.equal(started.status, 'STARTING');
  await assert.rejects(agent.send(new StartIngestionJobCommand({ knowledgeBaseId: kbId, dataSourceId: dsId })), { name: 'ConflictException' });

  const reason = 'Gave up after 5 attempts: the worker running the job stopped heartbeating each time (crashed or stalled)';
  await endQueueEntry(started.ingestionJobId!, 'FAILED', reason);
  const job = (await agent.send(new GetIngestionJobCommand({ knowledgeBaseId: kbId, dataSourceId: dsId, ingestionJobId: started.ingestionJobId! }))).ingestionJob!;
  assert.equal(job.status, 'FAILED');
  assert.deepEqual(job.failureReasons, [reason]);
  const listed = await agent.send(new ListIngestionJobsCommand({ knowledgeBaseId: kbId, dataSourceId: dsId }));
  assert.deepEqual(
    listed.ingestionJobSummaries!.map((j) => [j.ingestionJobId, j.status]),
    [[started.ingestionJobId, 'FAILED']],
  );
  await assert.rejects(agent.send(new StopIngestionJobCommand({ knowledgeBaseId: kbId, dataSourceId: dsId, ingestionJobId: started.ingestionJobId! })), {
    name: 'ValidationException',
  });

  // The failed job no longer holds the data source.
  const next = (await agent.send(new StartIngestionJobCommand({ knowledgeBaseId: kbId, dataSourceId: dsId }))).ingestionJob!;
  assert.notEqual(next.ingestionJobId, started.ingestionJobId);
  assert.equal(next.status, 'STARTING');
  const stopped = (await agent.send(new StopIngestionJobCommand({ knowledgeBaseId: kbId, dataSourceId: dsId, ingestionJobId: next.ingestionJobId! }))).ingestionJob!;
  assert.equal(stopped.status, 'STOPPED');
});

test('a job whose queue entry was cancelled before it ran reads STOPPED, and a new start is not refused', async () => {
  const started = (await agent.send(new StartIngestionJobCommand({ knowledgeBaseId: kbId, dataSourceId: dsId }))).ingestionJob!;
  await endQueueEntry(started.ingestionJobId!, 'CANCELLED');
  const next = (await agent.send(new StartIngestionJobCommand({ knowledgeBaseId: kbId, dataSourceId: dsId }))).ingestionJob!;
  assert.notEqual(next.ingestionJobId, started.ingestionJobId);
  const first = (await agent.send(new GetIngestionJobCommand({ knowledgeBaseId: kbId, dataSourceId: dsId, ingestionJobId: started.ingestionJobId! }))).ingestionJob!;
  assert.equal(first.status, 'STOPPED');
  assert.equal(first.failureReasons, undefined);
  await agent.send(new StopIngestionJobCommand({ knowledgeBaseId: kbId, dataSourceId: dsId, ingestionJobId: next.ingestionJobId! }));
});
