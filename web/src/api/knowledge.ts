import type { ApiClient } from './api-client';

/** Knowledge bases through the Bedrock Agents APIs (the shapes of `@aws-sdk/client-bedrock-agent` and `-agent-runtime`). */

export interface KnowledgeBaseSummary {
  knowledgeBaseId: string;
  name: string;
  description?: string;
  status: string;
  updatedAt: string;
}

export interface KnowledgeBase extends KnowledgeBaseSummary {
  knowledgeBaseArn: string;
  createdAt: string;
  knowledgeBaseConfiguration: { type: string; vectorKnowledgeBaseConfiguration?: { embeddingModelArn?: string } };
  storageConfiguration?: { type?: string };
  failureReasons?: string[];
}

export type DataSourceConfiguration =
  | { type: 'LOCAL'; localConfiguration: { path: string } }
  | { type: 'WEB'; webConfiguration: { sourceConfiguration: { urlConfiguration: { seedUrls: { url: string }[] } } } }
  | { type: 'CUSTOM' }
  | { type: 'S3'; s3Configuration?: { bucketArn?: string } };

export interface DataSource {
  knowledgeBaseId: string;
  dataSourceId: string;
  name: string;
  status: string;
  description?: string;
  dataSourceConfiguration: DataSourceConfiguration;
  updatedAt: string;
}

export interface IngestionJob {
  ingestionJobId: string;
  knowledgeBaseId: string;
  dataSourceId: string;
  status: 'STARTING' | 'IN_PROGRESS' | 'COMPLETE' | 'FAILED' | 'STOPPING' | 'STOPPED';
  statistics?: {
    numberOfDocumentsScanned?: number;
    numberOfNewDocumentsIndexed?: number;
    numberOfModifiedDocumentsIndexed?: number;
    numberOfDocumentsDeleted?: number;
    numberOfDocumentsFailed?: number;
  };
  failureReasons?: string[];
  startedAt: string;
  updatedAt: string;
}

export const isJobRunning = (j: IngestionJob | undefined) => !!j && (j.status === 'STARTING' || j.status === 'IN_PROGRESS' || j.status === 'STOPPING');

export interface RetrievalLocation {
  type: string;
  webLocation?: { url: string };
  s3Location?: { uri: string };
  customDocumentLocation?: { id: string };
}

export interface RetrievalResult {
  content: { text: string };
  location?: RetrievalLocation;
  score?: number;
  metadata?: Record<string, unknown>;
}

export interface Citation {
  generatedResponsePart: { textResponsePart: { text: string; span: { start: number; end: number } } };
  retrievedReferences: Omit<RetrievalResult, 'score'>[];
}

export type SearchType = 'HYBRID' | 'SEMANTIC' | 'KEYWORD';

export function sourceOf(l: RetrievalLocation | undefined): string {
  if (!l) return 'unknown source';
  return l.webLocation?.url ?? l.s3Location?.uri ?? l.customDocumentLocation?.id ?? l.type;
}

export const knowledgeApi = (api: ApiClient) => ({
  async list(): Promise<KnowledgeBaseSummary[]> {
    const all: KnowledgeBaseSummary[] = [];
    let nextToken: string | undefined;
    do {
      const r = await api.json<{ knowledgeBaseSummaries: KnowledgeBaseSummary[]; nextToken?: string }>('/knowledgebases/', { method: 'POST', body: { maxResults: 100, ...(nextToken ? { nextToken } : {}) } });
      all.push(...r.knowledgeBaseSummaries);
      nextToken = r.nextToken;
    } while (nextToken);
    return all;
  },
  async create(input: { name: string; description?: string; embeddingModelArn: string }): Promise<KnowledgeBase> {
    const r = await api.json<{ knowledgeBase: KnowledgeBase }>('/knowledgebases/', {
      method: 'PUT',
      body: {
        name: input.name,
        ...(input.description ? { description: input.description } : {}),
        knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: input.embeddingModelArn } },
      },
    });
    return r.knowledgeBase;
  },
  async get(id: string): Promise<KnowledgeBase> {
    return (await api.json<{ knowledgeBase: KnowledgeBase }>(`/knowledgebases/${encodeURIComponent(id)}`)).knowledgeBase;
  },
  async remove(id: string): Promise<void> {
    await api.fetch(`/knowledgebases/${encodeURIComponent(id)}`, { method: 'DELETE' });
  },
  async dataSources(kbId: string): Promise<DataSource[]> {
    const r = await api.json<{ dataSourceSummaries: { dataSourceId: string }[] }>(`/knowledgebases/${encodeURIComponent(kbId)}/datasources/`, { method: 'POST', body: { maxResults: 100 } });
    // The summaries carry no configuration; each source's own record says where it reads from.
    return Promise.all(
      r.dataSourceSummaries.map(async (s) => (await api.json<{ dataSource: DataSource }>(`/knowledgebases/${encodeURIComponent(kbId)}/datasources/${encodeURIComponent(s.dataSourceId)}`)).dataSource),
    );
  },
  async createDataSource(kbId: string, name: string, dataSourceConfiguration: DataSourceConfiguration): Promise<DataSource> {
    const r = await api.json<{ dataSource: DataSource }>(`/knowledgebases/${encodeURIComponent(kbId)}/datasources/`, { method: 'PUT', body: { name, dataSourceConfiguration } });
    return r.dataSource;
  },
  async latestJob(kbId: string, dsId: string): Promise<IngestionJob | undefined> {
    const r = await api.json<{ ingestionJobSummaries: IngestionJob[] }>(`/knowledgebases/${encodeURIComponent(kbId)}/datasources/${encodeURIComponent(dsId)}/ingestionjobs/`, {
      method: 'POST',
      body: { maxResults: 1000 },
    });
    return r.ingestionJobSummaries.reduce<IngestionJob | undefined>((a, j) => (!a || j.startedAt > a.startedAt ? j : a), undefined);
  },
  async startJob(kbId: string, dsId: string): Promise<IngestionJob> {
    const r = await api.json<{ ingestionJob: IngestionJob }>(`/knowledgebases/${encodeURIComponent(kbId)}/datasources/${encodeURIComponent(dsId)}/ingestionjobs/`, { method: 'PUT', body: {} });
    return r.ingestionJob;
  },
  async job(kbId: string, dsId: string, jobId: string): Promise<IngestionJob> {
    const r = await api.json<{ ingestionJob: IngestionJob }>(
      `/knowledgebases/${encodeURIComponent(kbId)}/datasources/${encodeURIComponent(dsId)}/ingestionjobs/${encodeURIComponent(jobId)}`,
    );
    return r.ingestionJob;
  },
  async addTextDocument(kbId: string, dsId: string, id: string, text: string): Promise<{ status: string; statusReason?: string }> {
    const r = await api.json<{ documentDetails: { status: string; statusReason?: string }[] }>(
      `/knowledgebases/${encodeURIComponent(kbId)}/datasources/${encodeURIComponent(dsId)}/documents`,
      {
        method: 'PUT',
        body: {
          documents: [{ content: { dataSourceType: 'CUSTOM', custom: { customDocumentIdentifier: { id }, sourceType: 'IN_LINE', inlineContent: { type: 'TEXT', textContent: { data: text } } } } }],
        },
      },
    );
    return r.documentDetails[0] ?? { status: 'UNKNOWN' };
  },
  async retrieve(kbId: string, text: string, numberOfResults: number, searchType: SearchType): Promise<RetrievalResult[]> {
    const r = await api.json<{ retrievalResults: RetrievalResult[] }>(`/knowledgebases/${encodeURIComponent(kbId)}/retrieve`, {
      method: 'POST',
      body: { retrievalQuery: { text }, retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults, overrideSearchType: searchType } } },
    });
    return r.retrievalResults;
  },
  async retrieveAndGenerate(kbId: string, text: string, modelArn: string | undefined, numberOfResults: number, searchType: SearchType): Promise<{ output: { text: string }; citations: Citation[] }> {
    return api.json('/retrieveAndGenerate', {
      method: 'POST',
      body: {
        input: { text },
        retrieveAndGenerateConfiguration: {
          type: 'KNOWLEDGE_BASE',
          knowledgeBaseConfiguration: {
            knowledgeBaseId: kbId,
            ...(modelArn ? { modelArn } : {}),
            retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults, overrideSearchType: searchType } },
          },
        },
      },
    });
  },
});

export type KnowledgeApi = ReturnType<typeof knowledgeApi>;
