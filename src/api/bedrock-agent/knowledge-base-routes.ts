import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { KnowledgeModule } from '../../knowledge/index.js';
import { chunkingConfigurationSchema, createKnowledgeBaseSchema, dataSourceConfigurationSchema, parsingConfigurationSchema, updateKnowledgeBaseSchema } from '../../knowledge/index.js';
import type { Action } from '../../iam/index.js';
import { type ApiEnv, invocationContext, readBody } from '../shared/api-env.js';
import { authorizeRequest, knowledgeBaseResource, scopeOf } from '../shared/authorize-request.js';
import { parseJsonBody, validate } from '../shared/parse-body.js';
import { directDocumentsFrom, documentIdentifiersSchema, ingestDocumentsSchema } from './direct-documents.js';
import { page } from './pagination.js';

const listBody = z.object({ maxResults: z.number().int().min(1).max(1000).optional(), nextToken: z.string().max(2048).optional() }).passthrough();

const vectorIngestionConfigurationSchema = z
  .object({
    chunkingConfiguration: chunkingConfigurationSchema.optional(),
    parsingConfiguration: parsingConfigurationSchema.optional(),
  })
  .passthrough();

const dataSourceBody = z.object({
  clientToken: z.string().min(33).max(256).optional(),
  name: z.string().regex(/^([0-9a-zA-Z][_-]?){1,100}$/, 'must be 1-100 letters, digits, "_" or "-"'),
  description: z.string().min(1).max(200).optional(),
  dataSourceConfiguration: dataSourceConfigurationSchema,
  dataDeletionPolicy: z.enum(['RETAIN', 'DELETE']).optional(),
  vectorIngestionConfiguration: vectorIngestionConfigurationSchema.optional(),
  serverSideEncryptionConfiguration: z.object({ kmsKeyArn: z.string().optional() }).optional(),
});

const startJobBody = z.object({ clientToken: z.string().optional(), description: z.string().max(200).optional() });

/**
 * The knowledge-base half of the Bedrock Agents control plane (`@aws-sdk/client-bedrock-agent`): knowledge bases, data
 * sources, ingestion jobs and direct document ingestion. Paths and status codes are the SDK's (note the trailing
 * slashes on the collection paths); every call is confined to the caller's scope.
 */
export function knowledgeBaseRoutes(k: KnowledgeModule, region: string, maxBodyBytes: number): Hono<ApiEnv> {
  const onKb = (c: Context<ApiEnv>, action: Action, id = c.req.param('kbId') as string) => authorizeRequest(c, action, knowledgeBaseResource(c, region, id));
  const any = (c: Context<ApiEnv>, action: Action) => authorizeRequest(c, action, '*');
  const app = new Hono<ApiEnv>();
  /** The stored columns of a CreateDataSource / UpdateDataSource body; LOCAL paths are checked against the roots. */
  const dataSourceColumns = (input: z.infer<typeof dataSourceBody>) => ({
    name: input.name,
    description: input.description ?? null,
    source_config: JSON.stringify(k.service.checkSource(input.dataSourceConfiguration)),
    ingestion_config: JSON.stringify(input.vectorIngestionConfiguration ?? {}),
    data_deletion_policy: input.dataDeletionPolicy ?? 'DELETE',
  });
  const body = async <T extends z.ZodType>(c: Context<ApiEnv>, schema: T, what: string) => validate(schema, parseJsonBody(await readBody(c, maxBodyBytes)), what);
  const optionalBody = async <T extends z.ZodType>(c: Context<ApiEnv>, schema: T, what: string) => {
    const raw = await readBody(c, maxBodyBytes);
    return validate(schema, raw.length ? parseJsonBody(raw) : {}, what);
  };

  for (const path of ['/knowledgebases/', '/knowledgebases']) {
    app.put(path, async (c) => {
      await any(c, 'bedrock:CreateKnowledgeBase');
      const input = await body(c, createKnowledgeBaseSchema, 'CreateKnowledgeBase request');
      const kb = await k.service.createKnowledgeBase(invocationContext(c, 'bedrock-agent.create-knowledge-base'), scopeOf(c), input);
      return c.json({ knowledgeBase: kb }, 202);
    });
    app.post(path, async (c) => {
      await any(c, 'bedrock:ListKnowledgeBases');
      const q = await optionalBody(c, listBody, 'ListKnowledgeBases request');
      const scope = scopeOf(c);
      const { items, nextToken } = await page(q.maxResults, q.nextToken, (limit, after) => k.service.repo.listKnowledgeBases(scope, limit, after), (r) => r.id);
      const knowledgeBaseSummaries = items.map((r) => ({
        knowledgeBaseId: r.id,
        name: r.name,
        ...(r.description ? { description: r.description } : {}),
        status: r.status,
        updatedAt: r.updated_at,
      }));
      return c.json({ knowledgeBaseSummaries, ...(nextToken ? { nextToken } : {}) });
    });
  }

  app.get('/knowledgebases/:kbId', async (c) => {
    await onKb(c, 'bedrock:GetKnowledgeBase');
    const row = await k.service.repo.knowledgeBase(scopeOf(c), c.req.param('kbId'));
    return c.json({ knowledgeBase: k.service.repo.knowledgeBaseView(row) });
  });
  app.put('/knowledgebases/:kbId', async (c) => {
    await onKb(c, 'bedrock:UpdateKnowledgeBase');
    const input = await body(c, updateKnowledgeBaseSchema, 'UpdateKnowledgeBase request');
    return c.json({ knowledgeBase: await k.service.updateKnowledgeBase(scopeOf(c), c.req.param('kbId'), input) }, 202);
  });
  app.delete('/knowledgebases/:kbId', async (c) => {
    await onKb(c, 'bedrock:DeleteKnowledgeBase');
    await k.ingestion.stopAllFor(scopeOf(c), c.req.param('kbId'));
    const kb = await k.service.deleteKnowledgeBase(scopeOf(c), c.req.param('kbId'));
    return c.json({ knowledgeBaseId: kb.knowledgeBaseId, status: 'DELETING' }, 202);
  });

  for (const path of ['/knowledgebases/:kbId/datasources/', '/knowledgebases/:kbId/datasources']) {
    app.put(path, async (c) => {
      await onKb(c, 'bedrock:CreateDataSource');
      const input = await body(c, dataSourceBody, 'CreateDataSource request');
      const scope = scopeOf(c);
      const kbId = c.req.param('kbId') as string;
      await k.service.repo.knowledgeBase(scope, kbId);
      const row = await k.service.repo.insertDataSource({ knowledge_base_id: kbId, scope, ...dataSourceColumns(input) });
      return c.json({ dataSource: k.service.repo.dataSourceView(row) });
    });
    app.post(path, async (c) => {
      await onKb(c, 'bedrock:ListDataSources');
      const q = await optionalBody(c, listBody, 'ListDataSources request');
      const scope = scopeOf(c);
      const kbId = c.req.param('kbId') as string;
      await k.service.repo.knowledgeBase(scope, kbId);
      const { items, nextToken } = await page(q.maxResults, q.nextToken, (limit, after) => k.service.repo.listDataSources(scope, kbId, limit, after), (r) => r.id);
      const dataSourceSummaries = items.map((r) => ({
        knowledgeBaseId: r.knowledge_base_id,
        dataSourceId: r.id,
        name: r.name,
        status: r.status,
        ...(r.description ? { description: r.description } : {}),
        updatedAt: r.updated_at,
      }));
      return c.json({ dataSourceSummaries, ...(nextToken ? { nextToken } : {}) });
    });
  }

  app.get('/knowledgebases/:kbId/datasources/:dsId', async (c) => {
    await onKb(c, 'bedrock:GetDataSource');
    const row = await k.service.repo.dataSource(scopeOf(c), c.req.param('kbId'), c.req.param('dsId'));
    return c.json({ dataSource: k.service.repo.dataSourceView(row) });
  });
  app.put('/knowledgebases/:kbId/datasources/:dsId', async (c) => {
    await onKb(c, 'bedrock:UpdateDataSource');
    const input = await body(c, dataSourceBody, 'UpdateDataSource request');
    const row = await k.service.repo.updateDataSource(scopeOf(c), c.req.param('kbId'), c.req.param('dsId'), dataSourceColumns(input));
    return c.json({ dataSource: k.service.repo.dataSourceView(row) });
  });
  app.delete('/knowledgebases/:kbId/datasources/:dsId', async (c) => {
    await onKb(c, 'bedrock:DeleteDataSource');
    const scope = scopeOf(c);
    const { kbId, dsId } = c.req.param() as { kbId: string; dsId: string };
    await k.deleteDataSource(scope, kbId, dsId);
    return c.json({ knowledgeBaseId: kbId, dataSourceId: dsId, status: 'DELETING' }, 202);
  });

  for (const path of ['/knowledgebases/:kbId/datasources/:dsId/ingestionjobs/', '/knowledgebases/:kbId/datasources/:dsId/ingestionjobs']) {
    app.put(path, async (c) => {
      await onKb(c, 'bedrock:StartIngestionJob');
      const input = await optionalBody(c, startJobBody, 'StartIngestionJob request');
      const { kbId, dsId } = c.req.param() as { kbId: string; dsId: string };
      return c.json({ ingestionJob: await k.ingestion.start(scopeOf(c), kbId, dsId, input.description) }, 202);
    });
    app.post(path, async (c) => {
      await onKb(c, 'bedrock:ListIngestionJobs');
      const q = await optionalBody(c, listBody, 'ListIngestionJobs request');
      const { kbId, dsId } = c.req.param() as { kbId: string; dsId: string };
      const scope = scopeOf(c);
      const { items, nextToken } = await page(q.maxResults, q.nextToken, (limit, after) => k.ingestion.list(scope, kbId, dsId, limit, after), (j) => j.ingestionJobId);
      return c.json({ ingestionJobSummaries: items, ...(nextToken ? { nextToken } : {}) });
    });
  }
  app.get('/knowledgebases/:kbId/datasources/:dsId/ingestionjobs/:jobId', async (c) => {
    await onKb(c, 'bedrock:GetIngestionJob');
    const { kbId, dsId, jobId } = c.req.param() as { kbId: string; dsId: string; jobId: string };
    return c.json({ ingestionJob: await k.ingestion.get(scopeOf(c), kbId, dsId, jobId) });
  });
  app.post('/knowledgebases/:kbId/datasources/:dsId/ingestionjobs/:jobId/stop', async (c) => {
    await onKb(c, 'bedrock:StopIngestionJob');
    const { kbId, dsId, jobId } = c.req.param() as { kbId: string; dsId: string; jobId: string };
    return c.json({ ingestionJob: await k.ingestion.stop(scopeOf(c), kbId, dsId, jobId) }, 202);
  });

  app.put('/knowledgebases/:kbId/datasources/:dsId/documents', async (c) => {
    await onKb(c, 'bedrock:IngestKnowledgeBaseDocuments');
    const input = await body(c, ingestDocumentsSchema, 'IngestKnowledgeBaseDocuments request');
    const { kbId, dsId } = c.req.param() as { kbId: string; dsId: string };
    const ctx = invocationContext(c, 'bedrock-agent.ingest-documents');
    const documentDetails = await k.direct.ingest(scopeOf(c), kbId, dsId, directDocumentsFrom(input.documents), (kb) => k.service.embedderFor(kb, () => ctx), ctx.signal);
    return c.json({ documentDetails }, 202);
  });
  app.post('/knowledgebases/:kbId/datasources/:dsId/documents/deleteDocuments', async (c) => {
    await onKb(c, 'bedrock:DeleteKnowledgeBaseDocuments');
    const input = await body(c, documentIdentifiersSchema, 'DeleteKnowledgeBaseDocuments request');
    const { kbId, dsId } = c.req.param() as { kbId: string; dsId: string };
    return c.json({ documentDetails: await k.direct.delete(scopeOf(c), kbId, dsId, input.documentIdentifiers.map((d) => d.custom.id)) }, 202);
  });
  app.post('/knowledgebases/:kbId/datasources/:dsId/documents/getDocuments', async (c) => {
    await onKb(c, 'bedrock:GetKnowledgeBaseDocuments');
    const input = await body(c, documentIdentifiersSchema, 'GetKnowledgeBaseDocuments request');
    const { kbId, dsId } = c.req.param() as { kbId: string; dsId: string };
    return c.json({ documentDetails: await k.direct.get(scopeOf(c), kbId, dsId, input.documentIdentifiers.map((d) => d.custom.id)) });
  });
  app.post('/knowledgebases/:kbId/datasources/:dsId/documents', async (c) => {
    await onKb(c, 'bedrock:ListKnowledgeBaseDocuments');
    const q = await optionalBody(c, listBody, 'ListKnowledgeBaseDocuments request');
    const { kbId, dsId } = c.req.param() as { kbId: string; dsId: string };
    const scope = scopeOf(c);
    const { items, nextToken } = await page(q.maxResults, q.nextToken, (limit, after) => k.direct.list(scope, kbId, dsId, limit, after), (d) => d.identifier.custom.id);
    return c.json({ documentDetails: items, ...(nextToken ? { nextToken } : {}) });
  });

  return app;
}
