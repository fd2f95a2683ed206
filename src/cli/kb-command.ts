import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { requestJson, serverAddress, type ServerAddress } from './client.js';

const USAGE = `quarry kb — knowledge bases on a running server

  quarry kb ls
  quarry kb create <name> [--embedding-model ID] [--storage QUARRY_EMBEDDED|PGVECTOR] [--description TEXT]
  quarry kb add-source <kb> <name> --folder PATH [--include GLOB]... [--exclude GLOB]...
  quarry kb add-source <kb> <name> --url URL [--scope HOST_ONLY|SUBDOMAINS] [--max-pages N] [--depth N] [--allow-host HOST]...
  quarry kb add-source <kb> <name> --custom            (filled through IngestKnowledgeBaseDocuments)
      chunking for add-source: --chunking fixed:MAXTOKENS:OVERLAP% | hierarchical:PARENT:CHILD:OVERLAP | semantic:MAXTOKENS:BUFFER:PERCENTILE | none
  quarry kb sync <kb> [<source>] [--no-wait]
  quarry kb query <kb> "question" [--generate] [--model ID] [-k N] [--search HYBRID|SEMANTIC|KEYWORD]
  quarry kb rm <kb>

<kb> and <source> are ids or names.`;

const options = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  'data-dir': { type: 'string' },
  'embedding-model': { type: 'string' },
  storage: { type: 'string' },
  description: { type: 'string' },
  folder: { type: 'string' },
  include: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  scope: { type: 'string' },
  'max-pages': { type: 'string' },
  depth: { type: 'string' },
  'allow-host': { type: 'string', multiple: true },
  custom: { type: 'boolean' },
  chunking: { type: 'string' },
  'no-wait': { type: 'boolean' },
  generate: { type: 'boolean' },
  model: { type: 'string' },
  k: { type: 'string', short: 'k' },
  search: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

export async function kbCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  // --url is both the server address and a crawler seed; the seed is taken from `add-source … --url`.
  const seed = sub === 'add-source' ? takeFlag(rest, '--url') : undefined;
  const { values, positionals } = parseArgs({ args: rest, options, allowPositionals: true });
  const addr = serverAddress(values);
  switch (sub) {
    case 'ls':
      return list(addr);
    case 'create':
      return create(addr, positionals, values);
    case 'add-source':
      return addSource(addr, positionals, values, seed);
    case 'sync':
      return sync(addr, positionals, values);
    case 'query':
      return query(addr, positionals, values);
    case 'rm':
      return remove(addr, positionals);
    default:
      console.log(USAGE);
      return sub && sub !== 'help' ? 2 : 0;
  }
}

function takeFlag(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  if (i < 0) return undefined;
  const [, value] = args.splice(i, 2);
  return value;
}

interface KbSummary {
  knowledgeBaseId: string;
  name: string;
  status: string;
  updatedAt: string;
}

async function list(addr: ServerAddress): Promise<number> {
  const r = await requestJson<{ knowledgeBaseSummaries: KbSummary[] }>(addr, 'POST', '/knowledgebases/', {});
  if (!r.knowledgeBaseSummaries.length) console.log('No knowledge bases yet. Create one with: quarry kb create <name>');
  for (const kb of r.knowledgeBaseSummaries) console.log(`${kb.knowledgeBaseId}  ${kb.name}  ${kb.status}  ${kb.updatedAt}`);
  return 0;
}

async function kbId(addr: ServerAddress, ref: string | undefined): Promise<string> {
  if (!ref) throw new Error('name the knowledge base (id or name)');
  const r = await requestJson<{ knowledgeBaseSummaries: KbSummary[] }>(addr, 'POST', '/knowledgebases/', { maxResults: 1000 });
  const hit = r.knowledgeBaseSummaries.find((k) => k.knowledgeBaseId === ref || k.name === ref);
  if (!hit) throw new Error(`no knowledge base named ${ref}; see "quarry kb ls"`);
  return hit.knowledgeBaseId;
}

async function create(addr: ServerAddress, [name]: string[], v: Values): Promise<number> {
  if (!name) throw new Error('usage: quarry kb create <name>');
  const body = {
    name,
    ...(v.description ? { description: v.description } : {}),
    knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: v['embedding-model'] ?? 'quarry.embed-use-v1:0' } },
    ...(v.storage ? { storageConfiguration: { type: v.storage } } : {}),
  };
  const r = await requestJson<{ knowledgeBase: { knowledgeBaseId: string; status: string } }>(addr, 'PUT', '/knowledgebases/', body);
  console.log(`${r.knowledgeBase.knowledgeBaseId}  ${name}  ${r.knowledgeBase.status}`);
  return 0;
}

function chunking(spec: string | undefined): unknown {
  if (!spec) return undefined;
  const [kind, ...n] = spec.split(':');
  const num = n.map(Number);
  switch (kind) {
    case 'none':
      return { chunkingStrategy: 'NONE' };
    case 'fixed':
      return { chunkingStrategy: 'FIXED_SIZE', fixedSizeChunkingConfiguration: { maxTokens: num[0] ?? 300, overlapPercentage: num[1] ?? 20 } };
    case 'hierarchical':
      return {
        chunkingStrategy: 'HIERARCHICAL',
        hierarchicalChunkingConfiguration: { levelConfigurations: [{ maxTokens: num[0] ?? 1500 }, { maxTokens: num[1] ?? 300 }], overlapTokens: num[2] ?? 60 },
      };
    case 'semantic':
      return {
        chunkingStrategy: 'SEMANTIC',
        semanticChunkingConfiguration: { maxTokens: num[0] ?? 300, bufferSize: num[1] ?? 1, breakpointPercentileThreshold: num[2] ?? 95 },
      };
    default:
      throw new Error(`--chunking ${spec}: use fixed:…, hierarchical:…, semantic:… or none`);
  }
}

async function addSource(addr: ServerAddress, [ref, name]: string[], v: Values, seed: string | undefined): Promise<number> {
  if (!ref || !name) throw new Error('usage: quarry kb add-source <kb> <name> --folder PATH | --url URL | --custom');
  const id = await kbId(addr, ref);
  let dataSourceConfiguration: unknown;
  if (v.folder) {
    dataSourceConfiguration = {
      type: 'LOCAL',
      localConfiguration: { path: resolve(v.folder), ...(v.include ? { inclusionFilters: v.include } : {}), ...(v.exclude ? { exclusionFilters: v.exclude } : {}) },
    };
  } else if (seed) {
    dataSourceConfiguration = {
      type: 'WEB',
      webConfiguration: {
        sourceConfiguration: { urlConfiguration: { seedUrls: [{ url: seed }] } },
        crawlerConfiguration: {
          ...(v.scope ? { scope: v.scope } : {}),
          ...(v['max-pages'] ? { crawlerLimits: { maxPages: Number(v['max-pages']) } } : {}),
          ...(v.depth ? { maxDepth: Number(v.depth) } : {}),
          ...(v['allow-host'] ? { allowedHosts: v['allow-host'] } : {}),
        },
      },
    };
  } else if (v.custom) {
    dataSourceConfiguration = { type: 'CUSTOM' };
  } else {
    throw new Error('say where the documents are: --folder PATH, --url URL or --custom');
  }
  const chunk = chunking(v.chunking);
  const r = await requestJson<{ dataSource: { dataSourceId: string } }>(addr, 'PUT', `/knowledgebases/${id}/datasources/`, {
    name,
    dataSourceConfiguration,
    ...(chunk ? { vectorIngestionConfiguration: { chunkingConfiguration: chunk } } : {}),
  });
  console.log(`${r.dataSource.dataSourceId}  ${name}`);
  return 0;
}

interface Job {
  ingestionJobId: string;
  status: string;
  statistics: Record<string, number>;
  failureReasons?: string[];
}

async function sync(addr: ServerAddress, [ref, source]: string[], v: Values): Promise<number> {
  const id = await kbId(addr, ref);
  const { dataSourceSummaries } = await requestJson<{ dataSourceSummaries: { dataSourceId: string; name: string }[] }>(addr, 'POST', `/knowledgebases/${id}/datasources/`, {});
  const sources = dataSourceSummaries.filter((d) => !source || d.dataSourceId === source || d.name === source);
  if (!sources.length) throw new Error(source ? `no data source ${source} in ${ref}` : `${ref} has no data sources; add one with "quarry kb add-source"`);
  let failed = 0;
  for (const ds of sources) {
    let job = (await requestJson<{ ingestionJob: Job }>(addr, 'PUT', `/knowledgebases/${id}/datasources/${ds.dataSourceId}/ingestionjobs/`, {})).ingestionJob;
    console.log(`${ds.name}: ingestion job ${job.ingestionJobId} ${job.status}`);
    if (v['no-wait']) continue;
    while (['STARTING', 'IN_PROGRESS', 'STOPPING'].includes(job.status)) {
      await new Promise((r) => setTimeout(r, 500));
      job = (await requestJson<{ ingestionJob: Job }>(addr, 'GET', `/knowledgebases/${id}/datasources/${ds.dataSourceId}/ingestionjobs/${job.ingestionJobId}`)).ingestionJob;
      const s = job.statistics;
      process.stderr.write(`\r  scanned ${s.numberOfDocumentsScanned}, indexed ${s.numberOfNewDocumentsIndexed + s.numberOfModifiedDocumentsIndexed}, failed ${s.numberOfDocumentsFailed}   `);
    }
    process.stderr.write('\n');
    console.log(`${ds.name}: ${job.status} ${JSON.stringify(job.statistics)}`);
    for (const r of job.failureReasons ?? []) console.log(`  ${r}`);
    if (job.status !== 'COMPLETE') failed++;
  }
  return failed ? 1 : 0;
}

interface Reference {
  content: { text: string };
  location: { webLocation?: { url: string }; customDocumentLocation?: { id: string }; s3Location?: { uri: string } };
  score?: number;
}

const where = (l: Reference['location']) => l.webLocation?.url ?? l.customDocumentLocation?.id ?? l.s3Location?.uri ?? '?';

async function query(addr: ServerAddress, [ref, ...words]: string[], v: Values): Promise<number> {
  const text = words.join(' ');
  if (!ref || !text) throw new Error('usage: quarry kb query <kb> "question"');
  const id = await kbId(addr, ref);
  const vectorSearchConfiguration = { numberOfResults: Number(v.k ?? 5), ...(v.search ? { overrideSearchType: v.search } : {}) };
  if (!v.generate) {
    const r = await requestJson<{ retrievalResults: Reference[] }>(addr, 'POST', `/knowledgebases/${id}/retrieve`, {
      retrievalQuery: { text },
      retrievalConfiguration: { vectorSearchConfiguration },
    });
    for (const [i, x] of r.retrievalResults.entries()) {
      console.log(`[${i + 1}] ${x.score?.toFixed(3)}  ${where(x.location)}\n    ${x.content.text.replace(/\s+/g, ' ').slice(0, 300)}`);
    }
    return 0;
  }
  const r = await requestJson<{ output: { text: string }; citations: { retrievedReferences: Reference[] }[] }>(addr, 'POST', '/retrieveAndGenerate', {
    input: { text },
    retrieveAndGenerateConfiguration: {
      type: 'KNOWLEDGE_BASE',
      knowledgeBaseConfiguration: { knowledgeBaseId: id, ...(v.model ? { modelArn: v.model } : {}), retrievalConfiguration: { vectorSearchConfiguration } },
    },
  });
  console.log(r.output.text);
  const sources = [...new Set(r.citations.flatMap((c) => c.retrievedReferences.map((x) => where(x.location))))];
  for (const [i, s] of sources.entries()) console.log(`  [${i + 1}] ${s}`);
  return 0;
}

async function remove(addr: ServerAddress, [ref]: string[]): Promise<number> {
  const id = await kbId(addr, ref);
  await requestJson(addr, 'DELETE', `/knowledgebases/${id}`);
  console.log(`deleted ${id}`);
  return 0;
}
