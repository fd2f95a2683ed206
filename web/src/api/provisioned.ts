import type { Commitment, ProvisionedPrice } from '../lib/provisioned-terms';
import type { ApiClient } from './api-client';

/**
 * Provisioned throughput through Bedrock's control plane (the shapes of `@aws-sdk/client-bedrock`'s
 * Create/Get/List/Update/DeleteProvisionedModelThroughput), plus Quarry's utilisation report.
 */

export interface ProvisionedThroughput {
  provisionedModelName: string;
  provisionedModelArn: string;
  modelArn: string;
  foundationModelArn: string;
  modelUnits: number;
  status: 'Creating' | 'InService' | 'Updating' | 'Failed';
  failureMessage?: string;
  commitmentDuration?: Commitment;
  commitmentExpirationTime?: string;
  creationTime: string;
  lastModifiedTime: string;
}

export interface TermResult {
  term: 'no-commitment' | '1-month' | '6-month';
  hourlyPerUnit: number;
  monthlyUsd: number;
  savingsUsd: number;
  cheaper: boolean;
  utilisation: number;
  breakEvenUtilisation: number;
}

export interface UtilisationReport {
  provisionedModelId: string;
  modelId: string;
  modelUnits: number;
  capacity: { concurrentRequests: number; tokensPerMinute?: number };
  hours: {
    hour: string;
    requests: number;
    throttled: number;
    inputTokens: number;
    outputTokens: number;
    concurrencyUtilisation: number;
    tokenUtilisation?: number;
    provisionedUsd: number;
  }[];
  totals: {
    requests: number;
    throttled: number;
    inputTokens: number;
    outputTokens: number;
    concurrencyUtilisation: number;
    tokenUtilisation?: number;
    provisionedUsd: number;
    onDemandUsd?: number;
  };
  breakEven?: { onDemand: { monthlyUsd: number }; modelUnits: number; terms: TermResult[]; cheapest: string; assumptions: string[] };
  breakEvenError?: string;
}

const path = (id: string) => `/provisioned-model-throughput/${encodeURIComponent(id)}`;

export const provisionedApi = (api: ApiClient) => ({
  async list(): Promise<ProvisionedThroughput[]> {
    const all: ProvisionedThroughput[] = [];
    let nextToken: string | undefined;
    do {
      const qs = new URLSearchParams({ maxResults: '1000', sortBy: 'CreationTime', sortOrder: 'Descending', ...(nextToken ? { nextToken } : {}) });
      const r = await api.json<{ provisionedModelSummaries: ProvisionedThroughput[]; nextToken?: string }>(`/provisioned-model-throughputs?${qs}`);
      all.push(...r.provisionedModelSummaries);
      nextToken = r.nextToken;
    } while (nextToken);
    return all;
  },
  get(id: string): Promise<ProvisionedThroughput> {
    return api.json<ProvisionedThroughput>(path(id));
  },
  async create(input: { name: string; modelId: string; units: number; commitment: Commitment | ''; clientRequestToken: string }): Promise<string> {
    const r = await api.json<{ provisionedModelArn: string }>('/provisioned-model-throughput', {
      method: 'POST',
      body: {
        provisionedModelName: input.name,
        modelId: input.modelId,
        modelUnits: input.units,
        clientRequestToken: input.clientRequestToken,
        ...(input.commitment ? { commitmentDuration: input.commitment } : {}),
      },
    });
    return r.provisionedModelArn;
  },
  async rename(id: string, name: string): Promise<void> {
    await api.fetch(path(id), { method: 'PATCH', body: { desiredProvisionedModelName: name } });
  },
  async remove(id: string): Promise<void> {
    await api.fetch(path(id), { method: 'DELETE' });
  },
  utilisation(id: string, hours: number, signal?: AbortSignal): Promise<UtilisationReport> {
    return api.json<UtilisationReport>(`/quarry${path(id)}/utilization?hours=${hours}`, { signal });
  },
  /** Undefined when the catalog has no entry for the model (buying is then refused, and the form says so first). */
  async price(modelId: string, signal?: AbortSignal): Promise<ProvisionedPrice | undefined> {
    try {
      const r = await api.json<{ entry: { provisioned?: ProvisionedPrice } }>(`/quarry/pricing/models/${encodeURIComponent(modelId)}`, { signal });
      return r.entry.provisioned;
    } catch (e) {
      if (e instanceof Error && 'status' in e && e.status === 404) return undefined;
      throw e;
    }
  },
});

export type ProvisionedApi = ReturnType<typeof provisionedApi>;
