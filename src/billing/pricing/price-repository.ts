import type { Database } from '../../store/index.js';
import type { BillingTables, ModelPricesTable } from '../tables.js';
import type { ModelPrice } from './model-price.js';

/** The catalog entries edited through the API or CLI, one row per model and region. */
export class PriceRepository {
  private readonly db;

  constructor(db: Database) {
    this.db = db.withTables<BillingTables>();
  }

  async list(): Promise<ModelPrice[]> {
    const rows = await this.db.selectFrom('model_prices').selectAll().orderBy('model_id').orderBy('region').execute();
    return rows.map(fromRow);
  }

  /** Inserts or replaces the entry for its model and region. */
  async put(p: ModelPrice, now = new Date()): Promise<void> {
    const row = toRow(p, now);
    await this.db
      .insertInto('model_prices')
      .values(row)
      .onConflict((oc) => oc.columns(['model_id', 'region']).doUpdateSet(row))
      .execute();
  }

  /** True when there was an entry to remove. */
  async remove(modelId: string, region: string): Promise<boolean> {
    const r = await this.db.deleteFrom('model_prices').where('model_id', '=', modelId).where('region', '=', region).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}

// PostgreSQL returns double precision as numbers, SQLite too; Number() keeps either honest if a driver returns strings.
const num = (v: number | string | null): number | undefined => (v === null ? undefined : Number(v));

function fromRow(r: ModelPricesTable): ModelPrice {
  const p: ModelPrice = { modelId: r.model_id, region: r.region, asOf: r.as_of, source: r.source };
  const set = <K extends keyof ModelPrice>(k: K, v: ModelPrice[K] | undefined) => {
    if (v !== undefined) p[k] = v;
  };
  set('inputPer1k', num(r.input_per_1k));
  set('outputPer1k', num(r.output_per_1k));
  set('cacheReadPer1k', num(r.cache_read_per_1k));
  set('cacheWritePer1k', num(r.cache_write_per_1k));
  set('batchDiscount', num(r.batch_discount));
  set('embeddingPer1k', num(r.embedding_per_1k));
  set('imagePerImage', num(r.image_per_image));
  const pt = {
    noCommitmentPerHour: num(r.pt_no_commit_per_hour),
    oneMonthPerHour: num(r.pt_1_month_per_hour),
    sixMonthPerHour: num(r.pt_6_month_per_hour),
    unitInputTokensPerMinute: num(r.pt_unit_input_tpm),
    unitOutputTokensPerMinute: num(r.pt_unit_output_tpm),
  };
  const defined = Object.entries(pt).filter(([, v]) => v !== undefined);
  if (defined.length) p.provisioned = Object.fromEntries(defined);
  return p;
}

function toRow(p: ModelPrice, now: Date): ModelPricesTable {
  const pt = p.provisioned ?? {};
  return {
    model_id: p.modelId,
    region: p.region,
    input_per_1k: p.inputPer1k ?? null,
    output_per_1k: p.outputPer1k ?? null,
    cache_read_per_1k: p.cacheReadPer1k ?? null,
    cache_write_per_1k: p.cacheWritePer1k ?? null,
    batch_discount: p.batchDiscount ?? null,
    embedding_per_1k: p.embeddingPer1k ?? null,
    image_per_image: p.imagePerImage ?? null,
    pt_no_commit_per_hour: pt.noCommitmentPerHour ?? null,
    pt_1_month_per_hour: pt.oneMonthPerHour ?? null,
    pt_6_month_per_hour: pt.sixMonthPerHour ?? null,
    pt_unit_input_tpm: pt.unitInputTokensPerMinute ?? null,
    pt_unit_output_tpm: pt.unitOutputTokensPerMinute ?? null,
    as_of: p.asOf,
    source: p.source,
    updated_at: now.toISOString(),
  };
}
