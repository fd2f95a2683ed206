import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  BedrockAgentClient,
  CreateDataSourceCommand,
  CreateKnowledgeBaseCommand,
  DeleteKnowledgeBaseDocumentsCommand,
  GetIngestionJobCommand,
  GetKnowledgeBaseCommand,
  GetKnowledgeBaseDocumentsCommand,
  IngestKnowledgeBaseDocumentsCommand,
  type IngestionJob,
  ListKnowledgeBasesCommand,
  StartIngestionJobCommand,
} from '@aws-sdk/client-bedrock-agent';
import {
  BedrockAgentRuntimeClient,
  RetrieveAndGenerateCommand,
  RetrieveAndGenerateStreamCommand,
  RetrieveCommand,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { TEST_ACCESS_KEY_ID, TEST_API_KEY, TEST_SECRET_ACCESS_KEY, type TestServer, startTestServer } from '../support/start-test-server.js';

/**
 * Knowledge bases end to end through the official AWS SDKs over a real socket: a folder synced by an ingestion job
 * on the durable queue, incremental re-syncs, direct ingestion, Retrieve with filters, RetrieveAndGenerate and its
 * stream. Embeddings come from the real embedded model (Universal Sentence Encoder); answers from the scripted model.
 */
const docs = mkdtempSync(join(tmpdir(), 'quarry-kb-docs-'));
const outside = mkdtempSync(join(tmpdir(), 'quarry-kb-outside-'));
let server: TestServer;
let agent: BedrockAgentClient;
let runtime: BedrockAgentRuntimeClient;
let kbId: string;
let folderSourceId: string;

const EMBED = 'arn:aws:bedrock:us-east-1::foundation-model/quarry.embed-use-v1:0';

async function http(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function syncAndWait(dsId: string): Promise<IngestionJob> {
  const started = await agent.send(new StartIngestionJobCommand({ knowledgeBaseId: kbId, dataSourceId: dsId }));
  let job = started.ingestionJob!;
  const deadline = Date.now() + 60_000;
  while (['STARTING', 'IN_PROGRESS'].includes(job.status!) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    job = (await agent.send(new GetIngestionJobCommand({ knowledgeBaseId: kbId, dataSourceId: dsId, ingestionJobId: job.ingestionJobId! }))).ingestionJob!;
  }
  return job;
}

before(async () => {
  writeFileSync(join(docs, 'paris.md'), '# Paris\n\nParis is the capital of France. The Eiffel Tower was completed in 1889 for the World Fair.\n');
  writeFileSync(join(docs, 'tokyo.txt'), 'Tokyo is the capital of Japan. It hosted the Summer Olympic Games in 1964 and in 2021.\n');
  writeFileSync(join(docs, 'tokyo.txt.metadata.json'), JSON.stringify({ metadataAttributes: { country: 'Japan', year: 2021 } }));
  writeFileSync(join(docs, 'broken.pdf'), '%PDF-1.4\nthis is not really a pdf at all\n');
  writeFileSync(join(outside, 'secret.txt'), 'not for indexing');
  server = await startTestServer(`  - id: embedded\n    type: embedded\nknowledge:\n  localRoots: [${JSON.stringify(docs)}]\n`);
  const credentials = { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY };
  agent = new BedrockAgentClient({ region: 'us-east-1', endpoint: server.url, credentials });
  runtime = new BedrockAgentRuntimeClient({ region: 'us-east-1', endpoint: server.url, credentials });
});

after(async () => {
  agent?.destroy();
  runtime?.destroy();
  await server?.stop();
  rmSync(docs, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('knowledge bases through @aws-sdk/client-bedrock-agent and -agent-runtime', () => {
  test('CreateKnowledgeBase and GetKnowledgeBase', async () => {
    const created = await agent.send(
      new CreateKnowledgeBaseCommand({
        name: 'cities',
        roleArn: 'arn:aws:iam::000000000000:role/unused',
        knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: EMBED } },
      }),
    );
    kbId = created.knowledgeBase!.knowledgeBaseId!;
    assert.match(kbId, /^[0-9A-Z]{10}$/);
    assert.equal(created.knowledgeBase!.status, 'ACTIVE');
    assert.equal(created.knowledgeBase!.knowledgeBaseArn, `arn:aws:bedrock:us-east-1:000000000000:knowledge-base/${kbId}`);
    const got = await agent.send(new GetKnowledgeBaseCommand({ knowledgeBaseId: kbId }));
    assert.equal(got.knowledgeBase!.name, 'cities');
    assert.ok(got.knowledgeBase!.createdAt instanceof Date);
  });

  test('a folder outside knowledge.localRoots is refused', async () => {
    const r = await http('PUT', `/knowledgebases/${kbId}/datasources/`, {
      name: 'escape',
      dataSourceConfiguration: { type: 'LOCAL', localConfiguration: { path: outside } },
    });
    assert.equal(r.status, 403);
    assert.match(String(r.json.message), /outside the folders/);
    const dotdot = await http('PUT', `/knowledgebases/${kbId}/datasources/`, {
      name: 'escape2',
      dataSourceConfiguration: { type: 'LOCAL', localConfiguration: { path: `${docs}/../${outside.split('/').pop()}` } },
    });
    assert.equal(dotdot.status, 403);
  });

  test('a folder data source syncs: indexed, sidecar metadata read, a broken PDF fails alone', async () => {
    const r = await http('PUT', `/knowledgebases/${kbId}/datasources/`, {
      name: 'folder',
      dataSourceConfiguration: { type: 'LOCAL', localConfiguration: { path: docs } },
      vectorIngestionConfiguration: { chunkingConfiguration: { chunkingStrategy: 'FIXED_SIZE', fixedSizeChunkingConfiguration: { maxTokens: 100, overlapPercentage: 10 } } },
    });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    folderSourceId = (r.json.dataSource as { dataSourceId: string }).dataSourceId;
    const job = await syncAndWait(folderSourceId);
    assert.equal(job.status, 'COMPLETE', JSON.stringify(job));
    assert.equal(job.statistics!.numberOfDocumentsScanned, 3);
    assert.equal(job.statistics!.numberOfNewDocumentsIndexed, 2);
    assert.equal(job.statistics!.numberOfDocumentsFailed, 1);
    assert.equal(job.statistics!.numberOfMetadataDocumentsScanned, 1);
    assert.match(job.failureReasons!.join('\n'), /broken\.pdf/);
  });

  test('Retrieve finds the passage, with location, score and metadata', async () => {
    const r = await runtime.send(new RetrieveCommand({ knowledgeBaseId: kbId, retrievalQuery: { text: 'When was the Eiffel Tower completed?' } }));
    const top = r.retrievalResults![0]!;
    assert.match(top.content!.text!, /Eiffel Tower was completed in 1889/);
    assert.equal(top.location!.type, 'CUSTOM');
    assert.match(top.location!.customDocumentLocation!.id!, /paris\.md$/);
    assert.equal(typeof top.score, 'number');
    assert.equal(top.metadata!['x-amz-bedrock-kb-data-source-id'], folderSourceId);
  });

  test('Retrieve with a metadata filter from the sidecar, and each search type', async () => {
    for (const overrideSearchType of ['HYBRID', 'SEMANTIC'] as const) {
      const r = await runtime.send(
        new RetrieveCommand({
          knowledgeBaseId: kbId,
          retrievalQuery: { text: 'capital city' },
          retrievalConfiguration: {
            vectorSearchConfiguration: { numberOfResults: 5, overrideSearchType, filter: { andAll: [{ equals: { key: 'country', value: 'Japan' } }, { greaterThanOrEquals: { key: 'year', value: 2000 } }] } },
          },
        }),
      );
      assert.ok(r.retrievalResults!.length >= 1);
      for (const x of r.retrievalResults!) assert.match(x.content!.text!, /Tokyo/, overrideSearchType);
    }
  });

  test('an invalid filter and an unknown knowledge base are clear errors', async () => {
    await assert.rejects(
      runtime.send(new RetrieveCommand({ knowledgeBaseId: kbId, retrievalQuery: { text: 'x' }, retrievalConfiguration: { vectorSearchConfiguration: { filter: { andAll: [] } as never } } })),
      (e: Error) => e.name === 'ValidationException',
    );
    await assert.rejects(runtime.send(new RetrieveCommand({ knowledgeBaseId: 'NOSUCHKB00', retrievalQuery: { text: 'x' } })), (e: Error) => e.name === 'ResourceNotFoundException');
  });

  test('RetrieveAndGenerate answers with citations whose spans point into the output', async () => {
    const r = await runtime.send(
      new RetrieveAndGenerateCommand({
        input: { text: 'When was the Eiffel Tower completed?' },
        retrieveAndGenerateConfiguration: { type: 'KNOWLEDGE_BASE', knowledgeBaseConfiguration: { knowledgeBaseId: kbId, modelArn: 'scripted.echo-v1:0' } },
      }),
    );
    assert.ok(r.sessionId);
    const text = r.output!.text!;
    assert.ok(text.length > 0);
    assert.doesNotMatch(text, /\[\d\]/, 'markers are removed from the answer');
    assert.ok(r.citations!.length >= 1, 'the echoed prompt cites its numbered sources');
    for (const c of r.citations!) {
      const part = c.generatedResponsePart!.textResponsePart!;
      assert.equal(text.slice(part.span!.start!, part.span!.end! + 1), part.text);
      assert.ok(c.retrievedReferences!.length >= 1);
      assert.ok(c.retrievedReferences![0]!.content!.text);
    }
    // A follow-up in the same session is accepted and keeps the session id.
    const follow = await runtime.send(
      new RetrieveAndGenerateCommand({
        sessionId: r.sessionId,
        input: { text: 'And what about Tokyo?' },
        retrieveAndGenerateConfiguration: { type: 'KNOWLEDGE_BASE', knowledgeBaseConfiguration: { knowledgeBaseId: kbId, modelArn: 'scripted.echo-v1:0' } },
      }),
    );
    assert.equal(follow.sessionId, r.sessionId);
  });

  test('RetrieveAndGenerateStream sends output and citation events and the session header', async () => {
    const r = await runtime.send(
      new RetrieveAndGenerateStreamCommand({
        input: { text: 'Which games did Tokyo host?' },
        retrieveAndGenerateConfiguration: { type: 'KNOWLEDGE_BASE', knowledgeBaseConfiguration: { knowledgeBaseId: kbId, modelArn: 'scripted.echo-v1:0' } },
      }),
    );
    assert.ok(r.sessionId);
    let text = '';
    let citations = 0;
    for await (const e of r.stream!) {
      if (e.output) text += e.output.text;
      if (e.citation) {
        citations++;
        const part = e.citation.generatedResponsePart!.textResponsePart!;
        assert.ok(part.span!.end! >= part.span!.start!);
      }
    }
    assert.match(text, /Tokyo/);
    assert.ok(citations >= 1);
  });

  test('a re-sync is incremental: a changed file is re-indexed, a deleted one removed, the rest untouched', async () => {
    writeFileSync(join(docs, 'tokyo.txt'), 'Tokyo is the capital of Japan. Its famous fish market moved to Toyosu in 2018.\n');
    unlinkSync(join(docs, 'paris.md'));
    const job = await syncAndWait(folderSourceId);
    assert.equal(job.status, 'COMPLETE');
    assert.equal(job.statistics!.numberOfNewDocumentsIndexed, 0);
    assert.equal(job.statistics!.numberOfModifiedDocumentsIndexed, 1);
    assert.equal(job.statistics!.numberOfDocumentsDeleted, 1);
    const r = await runtime.send(new RetrieveCommand({ knowledgeBaseId: kbId, retrievalQuery: { text: 'Eiffel Tower' } }));
    for (const x of r.retrievalResults!) assert.doesNotMatch(x.content!.text!, /Eiffel/);
    const fish = await runtime.send(new RetrieveCommand({ knowledgeBaseId: kbId, retrievalQuery: { text: 'Where did the fish market move?' } }));
    assert.match(fish.retrievalResults![0]!.content!.text!, /Toyosu/);
  });

  test('a CUSTOM data source takes documents directly, and deletes them', async () => {
    const ds = await agent.send(new CreateDataSourceCommand({ knowledgeBaseId: kbId, name: 'direct', dataSourceConfiguration: { type: 'CUSTOM' } }));
    const dsId = ds.dataSource!.dataSourceId!;
    const ingested = await agent.send(
      new IngestKnowledgeBaseDocumentsCommand({
        knowledgeBaseId: kbId,
        dataSourceId: dsId,
        documents: [
          {
            content: {
              dataSourceType: 'CUSTOM',
              custom: { customDocumentIdentifier: { id: 'memo-1' }, sourceType: 'IN_LINE', inlineContent: { type: 'TEXT', textContent: { data: 'The quarterly offsite will be held in Lisbon in March.' } } },
            },
            metadata: { type: 'IN_LINE_ATTRIBUTE', inlineAttributes: [{ key: 'team', value: { type: 'STRING', stringValue: 'ops' } }] },
          },
          {
            content: {
              dataSourceType: 'CUSTOM',
              custom: { customDocumentIdentifier: { id: 'bad-1' }, sourceType: 'IN_LINE', inlineContent: { type: 'BYTE', byteContent: { mimeType: 'application/pdf', data: new TextEncoder().encode('%PDF-1.7 nope') } } },
            },
          },
        ],
      }),
    );
    const byId = Object.fromEntries(ingested.documentDetails!.map((d) => [d.identifier!.custom!.id, d]));
    assert.equal(byId['memo-1']!.status, 'INDEXED');
    assert.equal(byId['bad-1']!.status, 'FAILED');
    assert.ok(byId['bad-1']!.statusReason);
    const r = await runtime.send(
      new RetrieveCommand({
        knowledgeBaseId: kbId,
        retrievalQuery: { text: 'Where is the offsite?' },
        retrievalConfiguration: { vectorSearchConfiguration: { filter: { equals: { key: 'team', value: 'ops' } } } },
      }),
    );
    assert.match(r.retrievalResults![0]!.content!.text!, /Lisbon/);
    assert.equal(r.retrievalResults![0]!.location!.customDocumentLocation!.id, 'memo-1');
    await agent.send(new DeleteKnowledgeBaseDocumentsCommand({ knowledgeBaseId: kbId, dataSourceId: dsId, documentIdentifiers: [{ dataSourceType: 'CUSTOM', custom: { id: 'memo-1' } }] }));
    const got = await agent.send(new GetKnowledgeBaseDocumentsCommand({ knowledgeBaseId: kbId, dataSourceId: dsId, documentIdentifiers: [{ dataSourceType: 'CUSTOM', custom: { id: 'memo-1' } }] }));
    assert.equal(got.documentDetails![0]!.status, 'NOT_FOUND');
    const gone = await runtime.send(new RetrieveCommand({ knowledgeBaseId: kbId, retrievalQuery: { text: 'Lisbon offsite' } }));
    for (const x of gone.retrievalResults!) assert.doesNotMatch(x.content!.text!, /Lisbon/);
  });

  test('ListKnowledgeBases pages with nextToken', async () => {
    await agent.send(new CreateKnowledgeBaseCommand({ name: 'second', roleArn: 'arn:aws:iam::000000000000:role/unused', knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: EMBED } } }));
    const first = await agent.send(new ListKnowledgeBasesCommand({ maxResults: 1 }));
    assert.equal(first.knowledgeBaseSummaries!.length, 1);
    assert.ok(first.nextToken);
    const second = await agent.send(new ListKnowledgeBasesCommand({ maxResults: 1, nextToken: first.nextToken }));
    assert.equal(second.knowledgeBaseSummaries!.length, 1);
    assert.notEqual(second.knowledgeBaseSummaries![0]!.knowledgeBaseId, first.knowledgeBaseSummaries![0]!.knowledgeBaseId);
    assert.equal(second.nextToken, undefined);
    await assert.rejects(
      agent.send(new CreateKnowledgeBaseCommand({ name: 'second', roleArn: 'arn:aws:iam::000000000000:role/unused', knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: EMBED } } })),
      (e: Error) => e.name === 'ConflictException',
    );
  });
});
