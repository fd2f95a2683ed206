import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/index.js';
import { createScriptedProvider } from '../../src/providers/scripted/index.js';
import { parseConfig } from '../../src/server/config.js';
import { type QuarryServer, type QuarryServerOptions, startQuarry } from '../../src/server/quarry-server.js';
import { standardRoutes } from '../../src/server/standard-routes.js';
import { deleteKeysWithPrefix, dropSchema } from './scale-out-cleanup.js';

export const TEST_API_KEY = 'qk-test-0123456789abcdef';
export const TEST_ACCESS_KEY_ID = 'QKTESTACCESSKEY00001';
export const TEST_SECRET_ACCESS_KEY = 'test-secret-0123456789abcdefghijklmnop';

export interface TestServer extends QuarryServer {
  stop(): Promise<void>;
}

/**
 * Scale-out mode (`npm run test:scale-out`): with QUARRY_TEST_STORE_URL (a `postgres://` URL) every test server keeps its
 * tables in a fresh PostgreSQL schema, and with QUARRY_TEST_SERVER_REDIS_URL its shared counters under a fresh Redis key
 * prefix; both are dropped when the server stops. A test whose own YAML configures `store:` or `redis:` keeps its own.
 * (QUARRY_TEST_REDIS_URL is not reused here: CI sets it for the Redis unit tests, which must not switch every server.)
 * Knowledge bases on a PostgreSQL store default to pgvector; with QUARRY_TEST_PGVECTOR_URL (the runner starts a server
 * with pgvector when the store's PostgreSQL may lack it) their vectors go to a fresh schema there, dropped likewise.
 */
const SCALE_OUT_STORE_URL = process.env.QUARRY_TEST_STORE_URL;
const SCALE_OUT_REDIS_URL = process.env.QUARRY_TEST_SERVER_REDIS_URL;
const SCALE_OUT_PGVECTOR_URL = process.env.QUARRY_TEST_PGVECTOR_URL;

interface ScaleOutResources {
  yaml: string;
  /** Where knowledge-base vectors go (set as knowledge.pgvectorUrl unless the test's YAML names one). */
  pgvectorUrl?: string;
  drop(): Promise<void>;
}

async function scaleOutResources(testYaml: string): Promise<ScaleOutResources> {
  const id = randomBytes(6).toString('hex');
  let yaml = '';
  let pgvectorUrl: string | undefined;
  const drops: (() => Promise<void>)[] = [];
  if (SCALE_OUT_STORE_URL && !/^store:/m.test(testYaml)) {
    const schema = `quarry_ts_${id}`;
    const url = new URL(SCALE_OUT_STORE_URL);
    url.searchParams.set('schema', schema);
    // JSON strings are valid YAML scalars, so the URL needs no escaping of its own.
    yaml += `store:\n  url: ${JSON.stringify(url.toString())}\n`;
    drops.push(() => dropSchema(SCALE_OUT_STORE_URL, schema));
    if (SCALE_OUT_PGVECTOR_URL) {
      const vectors = new URL(SCALE_OUT_PGVECTOR_URL);
      vectors.searchParams.set('schema', schema);
      pgvectorUrl = vectors.toString();
      drops.push(() => dropSchema(SCALE_OUT_PGVECTOR_URL, schema));
    }
  }
  if (SCALE_OUT_REDIS_URL && !/^redis:/m.test(testYaml)) {
    const keyPrefix = `quarry-ts:${id}:`;
    yaml += `redis:\n  url: ${JSON.stringify(SCALE_OUT_REDIS_URL)}\n  keyPrefix: ${JSON.stringify(keyPrefix)}\n`;
    drops.push(() => deleteKeysWithPrefix(SCALE_OUT_REDIS_URL, keyPrefix));
  }
  return {
    yaml,
    pgvectorUrl,
    async drop() {
      for (const d of drops) await d();
    },
  };
}

/** Scale-out resources by data dir, counted by the servers using them (replicas started on one data dir). */
const sharedScaleOut = new Map<string, { resources: Awaited<ReturnType<typeof scaleOutResources>>; refs: number }>();

/**
 * A real server on a loopback port with the scripted provider and known admin credentials, in a fresh data dir.
 * `yaml` is appended to the config (more providers and models).
 */
export async function startTestServer(yaml = '', overrides: Partial<QuarryServerOptions> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'quarry-test-'));
  // A server started on another's data dir is a replica of it: in scale-out mode it gets the same schema and key
  // prefix, so the two share principals, limits and everything else, as they share the SQLite file otherwise.
  const sharedDir = overrides.dataDir ?? dataDir;
  const shared = sharedScaleOut.get(sharedDir);
  const scaleOut = shared ? shared.resources : SCALE_OUT_STORE_URL || SCALE_OUT_REDIS_URL ? await scaleOutResources(yaml) : undefined;
  if (scaleOut && !shared) sharedScaleOut.set(sharedDir, { resources: scaleOut, refs: 0 });
  const entry = scaleOut ? sharedScaleOut.get(sharedDir) : undefined;
  if (entry) entry.refs++;
  const release = async () => {
    if (!entry || --entry.refs > 0) return;
    sharedScaleOut.delete(sharedDir);
    await entry.resources.drop();
  };
  if (scaleOut?.yaml && !yaml.endsWith('\n') && yaml !== '') yaml += '\n';
  const config = parseConfig(`providers:\n  - id: scripted\n    type: scripted\n${yaml}${scaleOut?.yaml ?? ''}`, {});
  // Set on the parsed config rather than in YAML, where a second `knowledge:` key beside the test's own would clash.
  if (scaleOut?.pgvectorUrl && !config.knowledge.pgvectorUrl) config.knowledge.pgvectorUrl = scaleOut.pgvectorUrl;
  const server = await startQuarry({
    config,
    dataDir,
    port: 0,
    log: silentLogger,
    autoProviders: false,
    extraProviderTypes: { scripted: createScriptedProvider },
    routes: standardRoutes,
    env: {
      QUARRY_BOOTSTRAP_API_KEY: TEST_API_KEY,
      QUARRY_BOOTSTRAP_ACCESS_KEY_ID: TEST_ACCESS_KEY_ID,
      QUARRY_BOOTSTRAP_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY,
    },
    ...overrides,
  }).catch(async (err) => {
    await release();
    throw err;
  });
  // A test may close the server itself (to test shutdown); stop() after that only cleans up, so schema and keys go too.
  let closing: Promise<void> | undefined;
  const close: QuarryServer['close'] = (opts) => {
    closing ??= server.close(opts);
    return closing;
  };
  return {
    ...server,
    close,
    async stop() {
      await close();
      rmSync(dataDir, { recursive: true, force: true });
      await release();
    },
  };
}
