import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { EXTRACTIVE_PREFIX } from '../../src/knowledge/index.js';
import { TEST_API_KEY, type TestServer, startTestServer } from '../support/start-test-server.js';

/**
 * A server whose only model is an embedding model: RetrieveAndGenerate answers extractively. Also: a web crawl through
 * the SSRF guard (allowed and refused), and the `quarry kb` commands.
 */
const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'quarry.js');
const docs = mkdtempSync(join(tmpdir(), 'quarry-kb-cli-'));
let server: TestServer;
let site: Server;
let siteUrl: string;

const PAGES: Record<string, string> = {
  '/': '<html><head><title>Home</title></head><body><nav><a href="/a.html">A</a> <a href="/b.html">B</a> <a href="/private/x.html">X</a></nav><main><h1>Welcome</h1><p>The lighthouse keeper logs the weather every morning at six.</p></main></body></html>',
  '/a.html': '<html><head><title>A</title></head><body><main><h1>Harbour</h1><p>The harbour master assigns berths to fishing boats before dawn.</p></main></body></html>',
  '/b.html': '<html><head><title>B</title></head><body><main><h1>Ferry</h1><p>The ferry to the island leaves from pier nine twice a day.</p></main></body></html>',
  '/private/x.html': '<html><body><p>secret crawl target</p></body></html>',
  '/robots.txt': 'User-agent: *\nDisallow: /private/\n',
};

async function http(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

async function sync(kbId: string, dsId: string): Promise<any> {
  let job = (await http('PUT', `/knowledgebases/${kbId}/datasources/${dsId}/ingestionjobs/`, {})).json.ingestionJob;
  for (let i = 0; i < 300 && ['STARTING', 'IN_PROGRESS'].includes(job.status); i++) {
    await new Promise((r) => setTimeout(r, 100));
    job = (await http('GET', `/knowledgebases/${kbId}/datasources/${dsId}/ingestionjobs/${job.ingestionJobId}`)).json.ingestionJob;
  }
  return job;
}

async function newKb(name: string): Promise<string> {
  const r = await http('PUT', '/knowledgebases/', {
    name,
    knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: 'scripted.embed-v1:0' } },
  });
  assert.equal(r.status, 202, JSON.stringify(r.json));
  return r.json.knowledgeBase.knowledgeBaseId;
}

before(async () => {
  site = createServer((req, res) => {
    const page = PAGES[req.url ?? ''];
    if (!page) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': req.url === '/robots.txt' ? 'text/plain' : 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  server = await startTestServer(
    `models:\n  - id: scripted.embed-v1:0\n    provider: scripted\n    upstreamModel: embed\n    kind: embedding\n    embeddingDimensions: 8\nknowledge:\n  localRoots: [${JSON.stringify(docs)}]\n`,
  );
});

after(async () => {
  await server?.stop();
  site?.close();
  rmSync(docs, { recursive: true, force: true });
});

describe('RetrieveAndGenerate without a text model', () => {
  test('answers extractively, says so, and cites the sentences it quotes', async () => {
    const kbId = await newKb('extractive');
    const ds = (await http('PUT', `/knowledgebases/${kbId}/datasources/`, { name: 'memos', dataSourceConfiguration: { type: 'CUSTOM' } })).json.dataSource;
    const text = (id: string, data: string) => ({
      content: { dataSourceType: 'CUSTOM', custom: { customDocumentIdentifier: { id }, sourceType: 'IN_LINE', inlineContent: { type: 'TEXT', textContent: { data } } } },
    });
    const ingest = await http('PUT', `/knowledgebases/${kbId}/datasources/${ds.dataSourceId}/documents`, {
      documents: [text('m1', 'The backup server restarts every Sunday at midnight. Its disks are replaced yearly.'), text('m2', 'Lunch is served in the east wing cafeteria.')],
    });
    assert.equal(ingest.status, 202);
    for (const modelArn of [undefined, 'no.such-model-v1:0']) {
      const r = await http('POST', '/retrieveAndGenerate', {
        input: { text: 'When does the backup server restart?' },
        retrieveAndGenerateConfiguration: {
          type: 'KNOWLEDGE_BASE',
          knowledgeBaseConfiguration: { knowledgeBaseId: kbId, ...(modelArn ? { modelArn } : {}), retrievalConfiguration: { vectorSearchConfiguration: { overrideSearchType: 'KEYWORD' } } },
        },
      });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      const out: string = r.json.output.text;
      assert.ok(out.startsWith(EXTRACTIVE_PREFIX));
      assert.match(out, /restarts every Sunday at midnight/);
      assert.ok(r.json.citations.length >= 1);
      for (const c of r.json.citations) {
        const part = c.generatedResponsePart.textResponsePart;
        assert.equal(out.slice(part.span.start, part.span.end + 1), part.text);
        assert.ok(c.retrievedReferences[0].content.text.includes(part.text));
      }
    }
  });
});

describe('web data source', () => {
  test('crawls a site the source allows, honouring robots.txt, and finds its pages', async () => {
    const kbId = await newKb('site');
    const host = new URL(siteUrl).host;
    const ds = await http('PUT', `/knowledgebases/${kbId}/datasources/`, {
      name: 'site',
      dataSourceConfiguration: {
        type: 'WEB',
        webConfiguration: { sourceConfiguration: { urlConfiguration: { seedUrls: [{ url: `${siteUrl}/` }] } }, crawlerConfiguration: { allowedHosts: [host], crawlerLimits: { rateLimit: 300 } } },
      },
    });
    assert.equal(ds.status, 200, JSON.stringify(ds.json));
    const job = await sync(kbId, ds.json.dataSource.dataSourceId);
    assert.equal(job.status, 'COMPLETE', JSON.stringify(job));
    assert.equal(job.statistics.numberOfNewDocumentsIndexed, 3);
    const r = await http('POST', `/knowledgebases/${kbId}/retrieve`, {
      retrievalQuery: { text: 'ferry island pier' },
      retrievalConfiguration: { vectorSearchConfiguration: { overrideSearchType: 'KEYWORD', numberOfResults: 10 } },
    });
    assert.equal(r.json.retrievalResults[0].location.type, 'WEB');
    assert.equal(r.json.retrievalResults[0].location.webLocation.url, `${siteUrl}/b.html`);
    assert.ok(!r.json.retrievalResults.some((x: any) => /secret crawl target/.test(x.content.text)), 'robots.txt kept /private/ out');
    assert.ok(!r.json.retrievalResults.some((x: any) => /<nav>|href=/.test(x.content.text)), 'text, not markup');
  });

  test('a crawler pointed at a private address without permission fails that page with a reason, and the job completes', async () => {
    const kbId = await newKb('blocked');
    const ds = await http('PUT', `/knowledgebases/${kbId}/datasources/`, {
      name: 'internal',
      dataSourceConfiguration: { type: 'WEB', webConfiguration: { sourceConfiguration: { urlConfiguration: { seedUrls: [{ url: `${siteUrl}/` }] } } } },
    });
    const job = await sync(kbId, ds.json.dataSource.dataSourceId);
    assert.equal(job.status, 'COMPLETE');
    assert.equal(job.statistics.numberOfNewDocumentsIndexed, 0);
    assert.ok(job.statistics.numberOfDocumentsFailed >= 1);
    assert.match(job.failureReasons.join('\n'), /private|loopback|blocked|not allowed/i);
  });
});

describe('quarry kb', () => {
  const env = () => ({ ...process.env, QUARRY_URL: server.url, QUARRY_API_KEY: TEST_API_KEY });
  const kb = (...args: string[]) => run(process.execPath, [BIN, 'kb', ...args], { env: env() });

  test('create, add a folder, sync, query, ls, rm', async () => {
    writeFileSync(join(docs, 'glossary.md'), '# Glossary\n\nA quokka is a small marsupial found on Rottnest Island.\n');
    const created = await kb('create', 'handbook', '--embedding-model', 'scripted.embed-v1:0');
    assert.match(created.stdout, /^[0-9A-Z]{10}\s+handbook\s+ACTIVE/);
    const added = await kb('add-source', 'handbook', 'docs', '--folder', docs, '--chunking', 'fixed:200:10');
    assert.match(added.stdout, /^[0-9A-Z]{10}\s+docs/);
    const synced = await kb('sync', 'handbook');
    assert.match(synced.stdout, /docs: COMPLETE .*"numberOfNewDocumentsIndexed":1/);
    const q = await kb('query', 'handbook', 'quokka marsupial', '--search', 'KEYWORD');
    assert.match(q.stdout, /quokka is a small marsupial/);
    assert.match(q.stdout, /glossary\.md/);
    const ls = await kb('ls');
    assert.match(ls.stdout, /handbook/);
    await kb('rm', 'handbook');
    assert.doesNotMatch((await kb('ls')).stdout, /handbook/);
  });

  test('errors are plain: an unknown knowledge base, a folder outside the roots', async () => {
    await assert.rejects(kb('query', 'nope', 'x'), (e: { code: number; stderr: string }) => e.code === 1 && /no knowledge base named nope/.test(e.stderr));
    await kb('create', 'other', '--embedding-model', 'scripted.embed-v1:0');
    await assert.rejects(kb('add-source', 'other', 'etc', '--folder', '/etc'), (e: { stderr: string }) => /outside the folders/.test(e.stderr));
  });
});
