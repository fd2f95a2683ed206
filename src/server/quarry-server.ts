import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import { AgentFunctionRegistry, AgentsModule, agentMigrations } from '../agents/index.js';
import { auditRoutes } from '../api/quarry-admin/audit-routes.js';
import { iamAdminRoutes } from '../api/quarry-admin/iam-admin-routes.js';
import { pricingRoutes } from '../api/quarry-admin/pricing-routes.js';
import { routingHealthRoutes } from '../api/quarry-admin/routing-health-routes.js';
import { secretsRoutes } from '../api/quarry-admin/secrets-routes.js';
import type { ApiEnv } from '../api/shared/api-env.js';
import { appMigrations } from '../apps/index.js';
import { AuditLog, auditMigrations } from '../audit/index.js';
import { billingMigrations, budgetMigrations, PriceBook, SqliteUsageWriter, UsageJournal, UsageMeter } from '../billing/index.js';
import type { Logger, ProviderFactory } from '../core/index.js';
import { type GuardrailModule, guardrailMigrations, InvocationGuards } from '../guardrails/index.js';
import { Authorizer, type BootstrapResult, bootstrapCredentials, IamStore, iamMigrations, KeyStore, type PolicySource } from '../iam/index.js';
import { type KnowledgeModule, knowledgeMigrations } from '../knowledge/index.js';
import { Metrics } from '../metrics/index.js';
import { ModelCatalog } from '../models/index.js';
import { provisionedMigrations } from '../provisioned/index.js';
import { connectRedis, quotaMigrations } from '../quotas/index.js';
import { responseMigrations, StoredResponses } from '../responses/index.js';
import { DeploymentDrains, DrainStore, defaultRoutingPolicy, drainMigrations, RedisBreakerSync } from '../routing/index.js';
import { type AdmissionStep, OverloadGuard, Runtime } from '../runtime/index.js';
import { type RotationOptions, type SecretKeyring, secretMigrations } from '../secrets/index.js';
import { jobMigrations, migrate, openStore, type Store } from '../store/index.js';
import { createApp } from './app.js';
import { buildApps } from './build-apps.js';
import { type BuiltBudgets, buildBudgets } from './build-budgets.js';
import { buildConsoleAuth } from './build-console-auth.js';
import { buildGuardrails } from './build-guardrails.js';
import { buildKnowledge } from './build-knowledge.js';
import { buildProviders } from './build-providers.js';
import { type BuiltProvisioned, buildProvisioned } from './build-provisioned.js';
import { type BuiltQuotas, buildQuotas } from './build-quotas.js';
import { buildResponseCache } from './build-response-cache.js';
import { buildSecrets } from './build-secrets.js';
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
  /** Keyring timing; tests shorten how long a rotation waits for replicas to see the new key. */
  keyring?: { refreshMs?: number; rotation?: RotationOptions };
}

export interface QuarryServer {
  url: string;
  port: number;
  dataDir: string;
  bootstrap: BootstrapResult;
  catalog: ModelCatalog;
  keys: KeyStore;
  /** Seals every recoverable secret in the store (SigV4 secret keys). */
  keyring: SecretKeyring;
  /** Accounts, users, roles, policies; the authorizer's policy source unless options.policies replaces it. */
  iam: IamStore;
  store: Store;
  meter: UsageMeter;
  /** The pricing catalog usage is costed from. */
  prices: PriceBook;
  /** The invocation pipeline, with its router (deployment health) and response cache (statistics). */
  runtime: Runtime;
  knowledge: KnowledgeModule;
  /** Agents, their versions, aliases and parts (Bedrock Agents' control plane). */
  agents: AgentsModule;
  /** The audit trail (hash-chained events per account). */
  audit: AuditLog;
  /** Guardrail resources and the engine that applies them. */
  guardrails: GuardrailModule;
  /** Rate limits: stored overrides, their resolution and the limiter. */
  quotas: BuiltQuotas['module'];
  /** The cost explorer and budgets (spend counters, alerts, the admission step). */
  budgets: BuiltBudgets;
  provisioned: BuiltProvisioned;
  app: Hono<ApiEnv>;
  /**
   * Stops the server. With `drainMs`, gracefully: new connections and invocations are refused (503 with Retry-After,
   * so a balancer retries elsewhere), requests in flight get that long to finish, then usage and audit are flushed.
   */
  close(opts?: { drainMs?: number }): Promise<void>;
}

/** The composition root: store → keys → providers → catalog → runtime → app → listener. */
export async function startQuarry(opts: QuarryServerOptions): Promise<QuarryServer> {
  const { config } = opts;
  const env = opts.env ?? process.env;
  const log = opts.log ?? createLogger();
  const dataDir = resolve(opts.dataDir ?? config.dataDir ?? '.quarry');
  const store = await openStore({ dataDir, url: config.store.url, onPoolError: (err) => log.warn({ err }, 'a database connection was lost; it is replaced on the next query') });
  // One call with every domain's migrations: Kysely refuses a run that does not list all migrations already applied.
  await migrate(store.db, iamMigrations, billingMigrations, jobMigrations, knowledgeMigrations, guardrailMigrations, auditMigrations, agentMigrations, quotaMigrations, budgetMigrations, provisionedMigrations, appMigrations, secretMigrations, drainMigrations, responseMigrations);
  const keyring = await buildSecrets({ store, dataDir, env, log, refreshMs: opts.keyring?.refreshMs }).catch(async (e) => {
    await store.close();
    throw e;
  });
  const keys = new KeyStore(store.db, keyring, { defaultAccountId: config.accountId, region: config.region });
  const iam = new IamStore(store.db, keys, { defaultAccountId: config.accountId });
  await iam.ensureAccount(config.accountId, 'default');
  const bootstrap = await bootstrapCredentials(keys, dataDir, env);
  const providers = await buildProviders({ config, dataDir, log, extraTypes: opts.extraProviderTypes, autoProviders: opts.autoProviders });
  const howToAdd = `To add one: put a .gguf file in ${join(dataDir, 'models')}, run "quarry models pull hf:<owner>/<repo>/<file>.gguf", or configure a provider in quarry.yaml (see the README).`;
  const catalog = new ModelCatalog(providers, howToAdd);
  await catalog.refresh();
  const metrics = new Metrics();
  // On SQLite a record is durable once journaled (see UsageJournal); what a killed process left is stored first.
  const journalDir = join(dataDir, 'usage-journal');
  const journaled = config.metering.mode === 'durable' && (config.metering.journal ?? store.dialect === 'sqlite');
  const { mode, groupCommitMs } = config.metering;
  // Journaled records are stored by a worker thread where the store is a SQLite file (see SqliteUsageWriter).
  const writer = journaled && store.dialect === 'sqlite' && store.file ? new SqliteUsageWriter(store.file) : undefined;
  const meter = new UsageMeter(store.db, log, { mode, groupCommitMs, ...(journaled ? { journal: UsageJournal.open(journalDir) } : {}), ...(writer ? { writer } : {}) });
  await meter.recover(journalDir);
  const prices = new PriceBook(store.db);
  await prices.load();
  const audit = new AuditLog(store.db, log, { dialect: store.dialect, dataPlane: config.audit.dataPlane, redactKeys: config.audit.redactKeys });
  // Read by the runtime on every invocation: steps join and leave it as limits are defined (see buildQuotas).
  const admission: AdmissionStep[] = [];
  const overload = new OverloadGuard(config.limits);
  // Routing's own connection (shared response cache and circuit breakers), opened before the runtime that uses it.
  const routingRedis = config.redis ? await connectRedis(config.redis.url, log) : undefined;
  const breakerSync = routingRedis && config.redis ? new RedisBreakerSync({ redis: routingRedis, keyPrefix: `${config.redis.keyPrefix}cb:`, log }) : undefined;
  const runtime = new Runtime({
    catalog,
    meter,
    prices,
    metrics,
    timeoutMs: config.limits.invocationTimeoutMs,
    region: config.region,
    routing: { config, providers, log, breakerSync },
    // Late-bound: the runtime embeds prompts for the semantic cache once it exists.
    cache: buildResponseCache(config, routingRedis, (text, signal): Promise<Float32Array> => runtime.embedPrompt(config.responseCache?.semantic?.embeddingModel ?? '', text, signal)),
    admission,
    overload,
    // Late-bound: provisioned throughput is built below, on the quotas' rate limiter.
    accountModelArn: (accountId, modelId) => provisioned.arnOf(accountId, modelId),
    // Late-bound: the guardrails module is built below, with this runtime as its embedder.
    guardrails: new InvocationGuards({ engine: () => guardrails.engine, region: config.region, defaultAccountId: config.accountId }),
  });
  await checkSemanticCacheModel(runtime, config.responseCache?.semantic?.embeddingModel).catch(async (e) => {
    await catalog.close();
    await breakerSync?.close();
    routingRedis?.disconnect();
    await store.close();
    throw e;
  });
  metrics.trackDeployments(() => runtime.router.health());
  // Operators' drains apply before the first call is routed, so a restart never sends traffic to a drained deployment.
  const drains = new DeploymentDrains({ store: new DrainStore(store.db), router: runtime.router, refreshMs: (config.routing ?? defaultRoutingPolicy()).drainRefreshMs, log });
  // Without routing configuration there are no deployments to drain, so nothing to keep re-reading.
  if (runtime.router.enabled) await drains.start();
  await runtime.router.startHealthChecks();
  const quotas = await buildQuotas({ config, store, iam, admission, log });
  const budgets = await buildBudgets({ config, store, iam, runtime, meter, admission, log, prices, redis: quotas.redis });
  const provisioned = await buildProvisioned({ config, store, runtime, meter, prices, limiter: quotas.module.limiter, admission, log });
  const knowledge = await buildKnowledge({ config, store, runtime, dataDir, log });
  const guardrails = await buildGuardrails({ store, runtime: () => runtime, catalog, region: config.region, log, judge: config.guardrails.judge, embeddingModelId: config.guardrails.embeddingModelId });
  const agents = new AgentsModule({ db: store.db, region: config.region, models: runtime, knowledge, guardrails, functions: new AgentFunctionRegistry(config.agents) });
  const authorizer = new Authorizer(opts.policies ?? iam, config.accountId);
  const apps = buildApps({ config, store, runtime, prices, keys, authorizer, knowledge });
  const apiDeps = { runtime, keys, region: config.region, accountId: config.accountId, maxBodyBytes: config.limits.maxBodyBytes, responses: new StoredResponses(store.db, { retentionDays: config.responses.retentionDays }) };
  const app = createApp({ ...apiDeps, authorizer, metrics, log, publicRoutes: apps.publicRoutes, knowledge, agents, guardrails, audit, consoleAuth: buildConsoleAuth({ config, store, iam, audit }), routes: [...(opts.routes?.(apiDeps) ?? []), iamAdminRoutes({ iam, region: config.region, maxBodyBytes: config.limits.maxBodyBytes }), quotas.routes, ...budgets.routes, ...provisioned.routes, ...apps.routes, auditRoutes({ audit, defaultAccountId: config.accountId }), pricingRoutes({ prices, region: config.region, operatorAccountId: config.accountId, maxBodyBytes: config.limits.maxBodyBytes, resolveModel: (id) => runtime.resolveModel(id).then((r) => r.model, () => undefined) }), secretsRoutes({ keyring, operatorAccountId: config.accountId, rotation: opts.keyring?.rotation }), routingHealthRoutes({ health: () => runtime.router.health(), drains, operatorAccountId: config.accountId })] });
  const tls = opts.tls ? { cert: readFileSync(opts.tls.certFile), key: readFileSync(opts.tls.keyFile) } : undefined;
  let listener: Listener;
  try {
    listener = await listen(getRequestListener(app.fetch) as never, { host: opts.host ?? config.host ?? '127.0.0.1', port: opts.port ?? config.port ?? 4100, tls });
  } catch (e) {
    drains.close();
    await provisioned.close();
    await budgets.close();
    await quotas.close();
    await knowledge.close();
    await catalog.close();
    await breakerSync?.close();
    routingRedis?.disconnect();
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
    keyring,
    iam,
    store,
    meter,
    prices,
    runtime,
    knowledge,
    agents,
    guardrails,
    audit,
    quotas: quotas.module,
    budgets,
    provisioned,
    app,
    async close({ drainMs = 0 } = {}) {
      // Refuses what arrives on open connections from now on; the listener waits for what is in flight.
      void overload.drain();
      await listener.close(drainMs);
      await knowledge.close();
      await provisioned.close();
      await budgets.close();
      await quotas.close();
      await meter.close();
      // After the listener closed, so the calls it finished are in; before the store closes, so they are written.
      await audit.close();
      await keys.flush();
      drains.close();
      runtime.router.close();
      await catalog.close();
      await runtime.cache?.store.close?.();
      await breakerSync?.close();
      routingRedis?.disconnect();
      await store.close();
    },
  };
}

/** A semantic cache whose embedding model is missing would miss on every request, silently: refused at start instead. */
async function checkSemanticCacheModel(runtime: Runtime, modelId: string | undefined): Promise<void> {
  if (!modelId) return;
  const { model } = await runtime.resolveModel(modelId).catch(() => {
    throw new Error(`responseCache.semantic.embeddingModel: no model ${modelId} is available.`);
  });
  if (model.kind !== 'embedding') throw new Error(`responseCache.semantic.embeddingModel: ${modelId} is not an embedding model.`);
}
