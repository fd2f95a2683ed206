import type { ProvisionedPrice } from '../billing/index.js';
import { type ModelInfo, QuarryError, validation } from '../core/index.js';
import { newProvisionedId, provisionedIdOf } from './provisioned-ids.js';
import type { ProvisionedRepository, ProvisionedRow } from './provisioned-repository.js';
import type { Commitment, CreateProvisionedInput, ListProvisionedQuery, UpdateProvisionedInput } from './provisioned-schemas.js';
import { capacityOf, type ProvisionedConfig } from './unit-capacity.js';

export interface ProvisionedServiceDeps {
  repo: ProvisionedRepository;
  config: ProvisionedConfig;
  /** The catalog model an id names (inference profiles and aliases resolved); throws ResourceNotFoundException. */
  resolveModel(id: string): Promise<ModelInfo>;
  /** The pricing catalog's provisioned-throughput entry for a model. */
  priceOf(model: ModelInfo): ProvisionedPrice | undefined;
  /** Requests a model serves at once in all, when known (model-capacity.ts). */
  modelCapacity(modelId: string): Promise<number | undefined>;
  /** Called after every change so this replica's capacity index sees it at once (others within syncSeconds). */
  changed(): Promise<void>;
  now?: () => Date;
}

/** USD per model unit per hour for a term; after a commitment ends the throughput bills at the no-commitment rate. */
export function hourlyRate(price: ProvisionedPrice | undefined, commitment: string, committed: boolean): number | undefined {
  if (!price) return undefined;
  if (!committed || commitment === '') return price.noCommitmentPerHour;
  return commitment === 'OneMonth' ? price.oneMonthPerHour : price.sixMonthPerHour;
}

const TERM_FLAG: Record<string, string> = { '': '--pt-no-commit', OneMonth: '--pt-1-month', SixMonths: '--pt-6-month' };

/**
 * Provisioned throughput's control plane: buying model units for a model (with or without a term), renaming,
 * switching the model, and releasing them. Capacity is checked against the model's deployments when those declare
 * one; the price must be known, because a throughput bills every hour whether used or not.
 */
export class ProvisionedService {
  constructor(private readonly d: ProvisionedServiceDeps) {}

  private now(): Date {
    return this.d.now?.() ?? new Date();
  }

  async create(scope: string, input: CreateProvisionedInput): Promise<ProvisionedRow> {
    const { repo } = this.d;
    if (input.clientRequestToken) {
      const earlier = await repo.byRequestToken(scope, input.clientRequestToken);
      if (earlier) return earlier;
    }
    const model = await this.d.resolveModel(input.modelId);
    const commitment = input.commitmentDuration ?? '';
    this.requirePrice(model, commitment);
    if (await repo.byName(scope, input.provisionedModelName)) {
      throw new QuarryError('ConflictException', `A provisioned throughput named ${input.provisionedModelName} already exists.`);
    }
    await this.requireCapacity(model.id, input.modelUnits);
    const now = this.now();
    const row: ProvisionedRow = {
      id: newProvisionedId(),
      scope,
      name: input.provisionedModelName,
      model_id: model.id,
      model_units: input.modelUnits,
      commitment,
      commitment_expires: commitment ? addMonths(now, commitment === 'OneMonth' ? 1 : 6).toISOString() : null,
      // The units are reserved the moment the row exists: there is no provisioning delay to model.
      status: 'InService',
      failure_message: null,
      tags: JSON.stringify(input.tags ?? []),
      request_token: input.clientRequestToken ?? null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      deleted_at: null,
    };
    await repo.insert(row);
    await this.d.changed();
    return row;
  }

  async get(scope: string, identifier: string): Promise<ProvisionedRow> {
    const id = provisionedIdOf(identifier, scope);
    const row = id ? await this.d.repo.get(scope, id) : await this.d.repo.byName(scope, decodeName(identifier));
    if (!row) throw new QuarryError('ResourceNotFoundException', `Provisioned throughput ${identifier} was not found.`);
    return row;
  }

  async list(scope: string, q: ListProvisionedQuery, limit: number, after?: string): Promise<ProvisionedRow[]> {
    let modelId: string | undefined;
    if (q.modelArnEquals) modelId = (await this.d.resolveModel(q.modelArnEquals).catch(() => undefined))?.id ?? q.modelArnEquals;
    return this.d.repo.list(
      scope,
      {
        createdAfter: q.creationTimeAfter && new Date(q.creationTimeAfter).toISOString(),
        createdBefore: q.creationTimeBefore && new Date(q.creationTimeBefore).toISOString(),
        status: q.statusEquals,
        modelId,
        nameContains: q.nameContains,
        descending: q.sortOrder === 'Descending',
      },
      limit,
      after,
    );
  }

  async update(scope: string, identifier: string, input: UpdateProvisionedInput): Promise<void> {
    const row = await this.get(scope, identifier);
    const set: Parameters<ProvisionedRepository['update']>[2] = { updated_at: this.now().toISOString() };
    if (input.desiredProvisionedModelName && input.desiredProvisionedModelName !== row.name) {
      if (await this.d.repo.byName(scope, input.desiredProvisionedModelName)) {
        throw new QuarryError('ConflictException', `A provisioned throughput named ${input.desiredProvisionedModelName} already exists.`);
      }
      set.name = input.desiredProvisionedModelName;
    }
    if (input.desiredModelId) {
      const model = await this.d.resolveModel(input.desiredModelId);
      if (model.id !== row.model_id) {
        // Bedrock switches between models of one base only; here the units move to another model's capacity, so
        // that model must have room and a price for the same term.
        this.requirePrice(model, row.commitment);
        await this.requireCapacity(model.id, row.model_units);
        set.model_id = model.id;
      }
    }
    await this.d.repo.update(scope, row.id, set);
    await this.d.changed();
  }

  async delete(scope: string, identifier: string): Promise<void> {
    const row = await this.get(scope, identifier);
    const now = this.now();
    if (row.commitment_expires && new Date(row.commitment_expires) > now) {
      throw validation(`Provisioned throughput ${row.name} has a ${row.commitment} commitment until ${row.commitment_expires}; it cannot be deleted before then.`);
    }
    await this.d.repo.update(scope, row.id, { deleted_at: now.toISOString(), updated_at: now.toISOString() });
    await this.d.changed();
  }

  private requirePrice(model: ModelInfo, commitment: Commitment | '' | string): void {
    const rate = hourlyRate(this.d.priceOf(model), commitment, true);
    if (rate === undefined) {
      throw validation(
        `The pricing catalog has no ${commitment || 'no-commitment'} provisioned-throughput price for ${model.id}, and a provisioned throughput bills every hour; set one with "quarry pricing set ${model.id} ${TERM_FLAG[commitment]} <USD per unit-hour>".`,
      );
    }
  }

  /** Refuses units the model's deployments cannot hold next to the throughputs already bought on it. */
  private async requireCapacity(modelId: string, units: number): Promise<void> {
    const total = await this.d.modelCapacity(modelId);
    if (total === undefined) return;
    const reserved = (await this.d.repo.active()).filter((r) => r.model_id === modelId).reduce((n, r) => n + r.model_units, 0);
    const per = capacityOf(1, this.d.config, undefined).concurrentRequests;
    if ((reserved + units) * per > total) {
      const free = Math.max(0, Math.floor(total / per) - reserved);
      throw new QuarryError(
        'ServiceQuotaExceededException',
        `${modelId} has capacity for ${free} more model unit${free === 1 ? '' : 's'}: its deployments serve ${total} requests at once, a unit takes ${per}, and ${reserved} unit${reserved === 1 ? ' is' : 's are'} already provisioned. Ask for fewer units or add deployment capacity.`,
      );
    }
  }
}



function addMonths(d: Date, months: number): Date {
  const out = new Date(d);
  out.setUTCMonth(out.getUTCMonth() + months);
  return out;
}

function decodeName(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
