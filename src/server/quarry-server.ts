import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import { iamAdminRoutes } from '../api/quarry-admin/iam-admin-routes.js';
import type { ApiEnv } from '../api/shared/api-env.js';
import { billingMigrations, UsageMeter } from '../billing/index.js';
import type { Logger, ProviderFactory } from '../core/index.js';
import { Authorizer, bootstrapCredentials, type BootstrapResult, iamMigrations, KeyStore, type PolicySource, SecretBox } from '../iam/index.js';
import { IamStore } from '../iam/index.js';
import { type KnowledgeModule, knowledgeMigrations } from '../knowledge/index.js';
import { Metrics } from '../metrics/index.js';
import { ModelCatalog } from '../models/index.js';
import { ExactResponseCache, LruResponseCacheStore } from '../routing/index.js';
import { Runtime } from '../runtime/index.js';
import { jobMigrations, migrate, openStore, type Store } from '../store/index.js';
import { createApp } from './app.js';
import { buildKnowledge } from './build-knowledge.js';
import { buildProviders } from './build-providers.js';
import type { QuarryConfig } from './config.js';
import { type Listener, listen } from './listener.js';
import { createLogger } from './logger.js';

export interface QuarryServerOptions {
  config: QuarryConfig;
  host?: string;
  port?: number;
  dataDir?: string;
  tls?: { certFile: string; keyFile: string };
  log?: Logger;
  env?: NodeJS.ProcessEnv;
  extraProviderTypes?: Record<string, ProviderFactory>;
  autoProviders?: boolean;
  /** Where non-administrators' policies come from (the IAM store by default; tests may pass their own). */
  policies?: PolicySource;
  /** Route sets beyond Bedrock's (OpenAI, Anthropic); the CLI passes the standard ones. */
  routes?: (deps: import('../api/shared/api-env.js').ApiDeps) => Hono<ApiEnv>[];
}

export interface QuarryServer {
  url: string;
  port: number;
  dataDir: string;
  bootstrap: BootstrapResult;
  catalog: ModelCatalog;
  keys: KeyStore;
  /** Accounts, users, roles, policies; the authorizer's policy source unless options.policies replaces it. */
  iam: IamStore;
  store: Store;
  meter: UsageMeter;
  /** The invocation pipeline, with its router (deployment health) and response cache (statistics). */
  runtime: Runtime;
  knowledge: KnowledgeModule;
  app: Hono<ApiEnv>;
  close(): Promise<void>;
}

/** The composition root: store → keys → providers → catalog → runtime → app → listener. */
export async function startQuarry(opts: QuarryServerOptions): Promise<QuarryServer> {
  const { config } = opts;
  const env = opts.env ?? process.env;
  const log = opts.log ?? createLogger();
  const dataDir = resolve(opts.dataDir ?? config.dataDir ?? '.quarry');
  const store = await openStore({ dataDir, url: config.store.url, onPoolError: (err) => log.warn({ err }, 'a database connection was lost; it is replaced on the next query') });
  // One call with every domain's migrations: Kysely refuses a run that does not list all migrations already applied.
  await migrate(store.db, iamMigrations, billingMigrations, jobMigrations, knowledgeMigrations);
  const keys = new KeyStore(store.db, SecretBox.fromEnvOrFile(dataDir, env), { defaultAccountId: config.accountId });
  const iam = new IamStore(store.db, keys, { defaultAccountId: config.accountId });
  await iam.ensureAccount(config.accountId, 'default');
  const bootstrap = await bootstrapCredentials(keys, dataDir, env);
  const providers = await buildProviders({ config, dataDir, log, extraTypes: opts.extraProviderTypes, autoProviders: opts.autoProviders });
  const howToAdd = `To add one: put a .gguf file in ${join(dataDir, 'models')}, run "quarry models pull hf:<owner>/<repo>/<file>.gguf", or configure a provider in quarry.yaml (see the README).`;
  const catalog = new ModelCatalog(providers, howToAdd);
  await catalog.refresh();
  const metrics = new Metrics();
  const meter = new UsageMeter(store.db, log);
  const runtime = new Runtime({
    catalog,
    meter,
    metrics,
    timeoutMs: config.limits.invocationTimeoutMs,
    region: config.region,
    routing: { config, providers, log },
    cache: responseCache(config),
  });
  const knowledge = await buildKnowledge({ config, store, runtime, dataDir, log });
  const apiDeps = { runtime, keys, region: config.region, accountId: config.accountId, maxBodyBytes: config.limits.maxBodyBytes };
  const authorizer = new Authorizer(opts.policies ?? iam, config.accountId);
  const app = createApp({ ...apiDeps, authorizer, metrics, log, knowledge, routes: [...(opts.routes?.(apiDeps) ?? []), iamAdminRoutes({ iam, region: config.region, maxBodyBytes: config.limits.maxBodyBytes })] });
  const tls = opts.tls ? { cert: readFileSync(opts.tls.certFile), key: readFileSync(opts.tls.keyFile) } : undefined;
  let listener: Listener;
  try {
    listener = await listen(getRequestListener(app.fetch) as never, { host: opts.host ?? config.host ?? '127.0.0.1', port: opts.port ?? config.port ?? 4100, tls });
  } catch (e) {
    await knowledge.close();
    await catalog.close();
    await store.close();
    throw e;
  }
  return {
    url: listener.url,
    port: listener.port,
    dataDir,
    bootstrap,
    catalog,
    keys,
    iam,
    store,
    meter,
    runtime,
    knowledge,
    app,
    async close() {
      await listener.close();
      await knowledge.close();
      await meter.flush();
      await keys.flush();
      await catalog.close();
      await runtime.cache?.store.close?.();
      await store.close();
    },
  };
}

function responseCache(config: QuarryConfig): ExactResponseCache | undefined {
  const c = config.responseCache;
  return c?.enabled ? new ExactResponseCache(new LruResponseCacheStore(c.maxEntries, c.maxBytes), c) : undefined;
}
