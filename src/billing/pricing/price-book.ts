import { type ModelInfo, notFound } from '../../core/index.js';
import type { Database } from '../../store/index.js';
import { type Billable, costOfUsage } from '../cost.js';
import { DEFAULT_PRICES } from './default-prices.js';
import type { ModelPrice, ModelPriceBody, PriceOrigin } from './model-price.js';
import { PriceRepository } from './price-repository.js';

export interface PricedEntry extends ModelPrice {
  origin: PriceOrigin;
}

export interface PriceBookOptions {
  /** The built-in entries (DEFAULT_PRICES unless a test passes its own). */
  defaults?: readonly ModelPrice[];
  /** How often edits made on another replica are picked up, ms; 0 never re-reads. */
  refreshMs?: number;
  now?: () => number;
}

const key = (modelId: string, region: string) => `${modelId}\u0000${region}`;
// Bedrock's cross-region inference profiles put a geography before the model id; their price is the model's.
const GEO_PREFIX = /^(us|eu|apac|us-gov|ca|jp|au|global)\./;
// OpenAI's dated snapshots (gpt-4o-2024-08-06) are priced as their family unless the catalog names them.
const DATED = /-\d{4}-\d{2}-\d{2}$/;
// Bedrock's context-length variants (…-v1:0:200k) are priced as the model.
const CONTEXT_VARIANT = /(:\d+)(:\d+k)$/;

/**
 * The pricing catalog: built-in list prices, overridden per model and region by entries edited through the API
 * (stored, so every replica sees them), overridden in turn by `models[].pricing` in the configuration. Lookups are on
 * every invocation's path, so they are answered from memory; edits made here apply at once, edits made on another
 * replica within `refreshMs`.
 */
export class PriceBook {
  private readonly repo: PriceRepository | undefined;
  private readonly defaults = new Map<string, ModelPrice>();
  private custom = new Map<string, ModelPrice>();
  private memo = new Map<string, PricedEntry | null>();
  /**
   * priceOf's answers by model object, so an invocation's price is one WeakMap and one Map lookup: building the memo
   * key and merging the configured prices took about a tenth of the settle step's time. Catalog entries are long-lived
   * objects; a model object that is not is simply collected with its entry.
   */
  private priced = new WeakMap<ModelInfo, Map<string, ModelPrice | undefined>>();
  private loadedAt = 0;
  private loading: Promise<void> | undefined;
  private readonly refreshMs: number;
  private readonly now: () => number;

  constructor(db: Database | undefined, opts: PriceBookOptions = {}) {
    this.repo = db ? new PriceRepository(db) : undefined;
    for (const p of opts.defaults ?? DEFAULT_PRICES) this.defaults.set(key(p.modelId, p.region), p);
    this.refreshMs = opts.refreshMs ?? 30_000;
    this.now = opts.now ?? Date.now;
  }

  /** Reads the stored entries; call once before serving. */
  async load(): Promise<void> {
    if (!this.repo) return;
    const rows = await this.repo.list();
    this.custom = new Map(rows.map((p) => [key(p.modelId, p.region), p]));
    this.memo = new Map();
    this.priced = new WeakMap();
    this.loadedAt = this.now();
  }

  /** The entry that prices `modelIds` (tried in order, with their catalog spellings) in `region`, if any. */
  lookup(modelIds: readonly string[], region: string): PricedEntry | undefined {
    this.maybeRefresh();
    const k = `${modelIds.join('\u0001')}\u0000${region}`;
    let hit = this.memo.get(k);
    if (hit === undefined) {
      hit = this.find(modelIds, region) ?? null;
      // Bounded: model ids come from the catalog, but a hostile caller of the API could ask for many.
      if (this.memo.size > 10_000) this.memo.clear();
      this.memo.set(k, hit);
    }
    return hit ?? undefined;
  }

  /**
   * The entry a model is billed by: the catalog's, with the configuration's prices (`models[].pricing`) on top, which
   * makes it the configuration's. (What `quarry pricing show` prints; priceOf remembers it per model.)
   */
  entryOf(model: ModelInfo, region: string): PricedEntry | undefined {
    const entry = this.lookup([model.id, model.upstreamModel], region);
    if (!model.pricing) return entry;
    return { ...(entry ?? { modelId: model.id, region: '*', asOf: 'configuration', source: 'models[].pricing' }), ...model.pricing, origin: 'configuration' };
  }

  /** The prices a model is billed at: the catalog's entry, with the configuration's input/output prices on top. */
  priceOf(model: ModelInfo, region: string): ModelPrice | undefined {
    this.maybeRefresh();
    let byRegion = this.priced.get(model);
    if (!byRegion) {
      byRegion = new Map();
      this.priced.set(model, byRegion);
    }
    if (byRegion.has(region)) return byRegion.get(region);
    const price = this.entryOf(model, region);
    if (byRegion.size > 1_000) byRegion.clear();
    byRegion.set(region, price);
    return price;
  }

  /**
   * USD for one call of `model` in `region`. (The billable is written out rather than spread with `kind` added: on
   * Node 20, `{ ...b, kind }` gives every result a map of its own, and this runs on every invocation.)
   */
  costOf(model: ModelInfo, region: string, b: Omit<Billable, 'kind'>): number {
    return costOfUsage({ usage: b.usage, kind: model.kind, images: b.images, batch: b.batch }, this.priceOf(model, region));
  }

  /** Every entry in effect: custom ones, and the defaults they do not replace. */
  list(filter: { modelId?: string; region?: string } = {}): PricedEntry[] {
    this.maybeRefresh();
    const out: PricedEntry[] = [...this.custom.values()].map((p) => ({ ...p, origin: 'custom' as const }));
    for (const [k, p] of this.defaults) if (!this.custom.has(k)) out.push({ ...p, origin: 'default' });
    return out
      .filter((p) => (!filter.modelId || p.modelId === filter.modelId) && (!filter.region || p.region === filter.region))
      .sort((a, b) => a.modelId.localeCompare(b.modelId) || a.region.localeCompare(b.region));
  }

  /** Stores an entry; it replaces the built-in one for the same model and region. */
  async put(modelId: string, body: ModelPriceBody): Promise<PricedEntry> {
    if (!this.repo) throw new Error('this price book has no store');
    const { region, asOf, source, ...prices } = body;
    const p: ModelPrice = { modelId, region, ...prices, asOf: asOf ?? new Date(this.now()).toISOString().slice(0, 10), source: source ?? 'edited' };
    await this.repo.put(p);
    await this.load();
    return { ...p, origin: 'custom' };
  }

  /** Removes a stored entry (the built-in one, if any, applies again). */
  async remove(modelId: string, region: string): Promise<void> {
    if (!this.repo || !(await this.repo.remove(modelId, region))) {
      const builtIn = this.defaults.has(key(modelId, region)) ? ' (a built-in entry cannot be removed; PUT one to replace it)' : '';
      throw notFound(`No edited price for ${modelId} in region ${region}${builtIn}.`);
    }
    await this.load();
  }

  private find(modelIds: readonly string[], region: string): PricedEntry | undefined {
    const candidates = spellings(modelIds);
    for (const r of region === '*' ? ['*'] : [region, '*']) {
      for (const id of candidates) {
        const custom = this.custom.get(key(id, r));
        if (custom) return { ...custom, origin: 'custom' };
        const builtIn = this.defaults.get(key(id, r));
        if (builtIn) return { ...builtIn, origin: 'default' };
      }
    }
    return undefined;
  }

  private maybeRefresh(): void {
    if (!this.repo || this.refreshMs <= 0 || this.loading || this.now() - this.loadedAt < this.refreshMs) return;
    // A failed re-read keeps the prices already known; the next lookup after refreshMs tries again.
    this.loadedAt = this.now();
    this.loading = this.load()
      .catch(() => undefined)
      .finally(() => {
        this.loading = undefined;
      });
  }
}

/** The ids as given, then the catalog spellings they stand for (no geography prefix, no ARN, no dated snapshot). */
export function spellings(ids: readonly string[]): string[] {
  const out: string[] = [];
  const add = (s: string) => {
    if (s && !out.includes(s)) out.push(s);
  };
  for (const id of ids) add(id);
  for (const id of ids) {
    let s = id.startsWith('arn:') ? id.slice(id.lastIndexOf('/') + 1) : id;
    add(s);
    s = s.replace(GEO_PREFIX, '');
    add(s);
    add(s.replace(CONTEXT_VARIANT, '$1'));
    add(s.replace(DATED, ''));
  }
  return out;
}
