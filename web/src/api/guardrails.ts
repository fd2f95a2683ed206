import type { GuardrailInput } from '../lib/guardrail-draft';
import type { ApiClient } from './api-client';

/**
 * Guardrails through Bedrock's control plane (`@aws-sdk/client-bedrock` Create/Get/List/DeleteGuardrail and
 * CreateGuardrailVersion) and ApplyGuardrail (`@aws-sdk/client-bedrock-runtime`), in the SDKs' wire shapes.
 */

export interface GuardrailSummary {
  id: string;
  arn: string;
  status: string;
  name: string;
  description?: string;
  version: string;
  createdAt: string;
  updatedAt: string;
}

export interface Guardrail {
  name: string;
  description?: string;
  guardrailId: string;
  version: string;
  status: string;
  topicPolicy?: { topics: { name: string; definition: string; examples?: string[] }[] };
  contentPolicy?: { filters: { type: string; inputStrength: string; outputStrength: string }[] };
  wordPolicy?: { words?: { text: string }[]; managedWordLists?: { type: string }[] };
  sensitiveInformationPolicy?: { piiEntities?: { type: string; action: string }[]; regexes?: { name: string; pattern: string; action: string }[] };
  contextualGroundingPolicy?: { filters: { type: string; threshold: number }[] };
  blockedInputMessaging: string;
  blockedOutputsMessaging: string;
  updatedAt: string;
}

/** ApplyGuardrail's response; assessments are kept loose and read by `findingsOf`. */
export interface ApplyResult {
  action: 'NONE' | 'GUARDRAIL_INTERVENED';
  actionReason?: string;
  outputs: { text?: string }[];
  assessments: Record<string, unknown>[];
}

const path = (id: string) => `/guardrails/${encodeURIComponent(id)}`;

export const guardrailsApi = (api: ApiClient) => ({
  /** Every guardrail (its DRAFT summary), or with `id` every version of that one. */
  async list(id?: string, signal?: AbortSignal): Promise<GuardrailSummary[]> {
    const all: GuardrailSummary[] = [];
    let nextToken: string | undefined;
    do {
      const qs = new URLSearchParams({ maxResults: '1000', ...(id ? { guardrailIdentifier: id } : {}), ...(nextToken ? { nextToken } : {}) });
      const r = await api.json<{ guardrails: GuardrailSummary[]; nextToken?: string }>(`/guardrails?${qs}`, { signal });
      all.push(...r.guardrails);
      nextToken = r.nextToken;
    } while (nextToken);
    return all;
  },
  get(id: string, signal?: AbortSignal): Promise<Guardrail> {
    return api.json<Guardrail>(path(id), { signal });
  },
  async create(input: GuardrailInput): Promise<string> {
    const r = await api.json<{ guardrailId: string }>('/guardrails', { method: 'POST', body: input });
    return r.guardrailId;
  },
  async publish(id: string, description?: string): Promise<string> {
    const r = await api.json<{ version: string }>(path(id), { method: 'POST', body: description ? { description } : {} });
    return r.version;
  },
  async remove(id: string): Promise<void> {
    await api.fetch(path(id), { method: 'DELETE' });
  },
  apply(id: string, version: string, source: 'INPUT' | 'OUTPUT', text: string): Promise<ApplyResult> {
    return api.json<ApplyResult>(`/guardrail/${encodeURIComponent(id)}/version/${encodeURIComponent(version)}/apply`, {
      method: 'POST',
      body: { source, content: [{ text: { text } }], outputScope: 'FULL' },
    });
  },
});

export type GuardrailsApi = ReturnType<typeof guardrailsApi>;
