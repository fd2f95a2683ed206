import type { Hono } from 'hono';
import { appRoutes } from '../api/quarry-apps/app-routes.js';
import { appShareRoutes } from '../api/quarry-apps/app-share-routes.js';
import { appSnapshotRoutes, sharedSnapshotRoutes } from '../api/quarry-apps/app-snapshot-routes.js';
import { sharedAppRoutes } from '../api/quarry-apps/shared-app-routes.js';
import type { ApiEnv } from '../api/shared/api-env.js';
import type { AppExtractText, AppKnowledgeSearch } from '../apps/index.js';
import { type AppModelPort, AppService } from '../apps/index.js';
import type { PriceBook } from '../billing/index.js';
import { QuarryError } from '../core/index.js';
import type { Authorizer, KeyStore, Principal } from '../iam/index.js';
import { type KnowledgeModule, parseDocument } from '../knowledge/index.js';
import type { Runtime } from '../runtime/index.js';
import type { Store } from '../store/index.js';
import type { QuarryConfig } from './config.js';

export interface BuiltApps {
  service: AppService;
  routes: Hono<ApiEnv>[];
  /** Share links, answered without credentials (the token is one): mounted before authentication. */
  publicRoutes: Hono<ApiEnv>[];
}

/** A document widget's file read as knowledge-base ingestion reads one (no OCR: a run should not wait on it). */
const extractText: AppExtractText = async (file, opts) => {
  const docs = await parseDocument(file, { maxChars: opts.maxChars, ...(opts.signal ? { signal: opts.signal } : {}) });
  return docs.map((d) => d.text).join('\n\n');
};

/** A chatbot's grounding: the knowledge base's hybrid search, as Retrieve does it, embedding as (and metered to) the caller. */
function knowledgeSearch(knowledge: KnowledgeModule): AppKnowledgeSearch {
  return async (ctx, accountId, kbId, text, numberOfResults) => {
    const { chunks } = await knowledge.service.retrieve(ctx, accountId, kbId, { text, numberOfResults, searchType: 'HYBRID' });
    return chunks.map((c) => ({ text: c.text, source: c.location.uri }));
  };
}

/**
 * A link runs as the key that made it, so it dies with that key: deleted, disabled or expired. A console session's
 * principal has no key row to check; its policies are still evaluated on every run.
 */
function sharerCheck(keys: KeyStore): (principal: Principal) => Promise<void> {
  return async function checkSharer(principal) {
    if (principal.authMethod === 'session') return;
    const key = await keys.key(principal.keyId);
    const expired = key?.expires_at ? Date.parse(key.expires_at) <= Date.now() : false;
    if (!key || key.disabled || expired) {
      throw new QuarryError('AccessDeniedException', "This share link no longer works: the key that made it was deleted, disabled or has expired. Ask the app's owner for a new link.");
    }
  };
}

/**
 * No-code apps for this server: widgets call models through the runtime (so IAM, quotas, budgets, guardrails and
 * metering apply to every widget as to any other call) and each run reports its cost at the prices the meter bills.
 * The store must already be migrated with appMigrations.
 */
export function buildApps(opts: { config: QuarryConfig; store: Store; runtime: Runtime; prices: PriceBook; keys: KeyStore; authorizer: Authorizer; knowledge?: KnowledgeModule }): BuiltApps {
  const { config, runtime, prices } = opts;
  // Where the compiler checks that the runtime fits the port the domain declares.
  runtime satisfies AppModelPort;
  const service = new AppService({ db: opts.store.db, models: runtime, costOf: (model, usage, images) => prices.costOf(model, config.region, { usage, ...(images ? { images } : {}) }), extractText, ...(opts.knowledge ? { knowledge: knowledgeSearch(opts.knowledge) } : {}) });
  const common = { apps: service, region: config.region, maxBodyBytes: config.limits.maxBodyBytes };
  return {
    service,
    routes: [appRoutes(common), appShareRoutes(common), appSnapshotRoutes(common)],
    publicRoutes: [sharedAppRoutes({ ...common, authorizer: opts.authorizer, checkSharer: sharerCheck(opts.keys) }), sharedSnapshotRoutes(common)],
  };
}
