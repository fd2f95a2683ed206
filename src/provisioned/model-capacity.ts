import { llamaOptionsSchema } from '../providers/llama/llama-options.js';

/** The parts of the configuration that say how many requests a model serves at once. */
export interface CapacitySources {
  deployments: readonly { model: string; capacity?: number; drained?: boolean }[];
  providers: readonly ({ id: string; type: string } & Record<string, unknown>)[];
}

/** The zero-configuration llama provider's id (server/build-providers.ts), with default options. */
const AUTO_LLAMA_ID = 'local';

/**
 * Requests a model can serve at once, when that is known: the sum of its deployments' `capacity` when every one
 * declares it; else, for a model the embedded llama engine runs, its context sequences (the engine cannot run more
 * at once, so units provisioned on it reserve sequences). Undefined means an upstream whose capacity Quarry cannot
 * see — provisioned units then guarantee their own share but cannot be kept from on-demand traffic upstream.
 */
export function modelCapacity(src: CapacitySources, modelId: string, providerId: string | undefined): number | undefined {
  const ds = src.deployments.filter((d) => d.model === modelId && !d.drained);
  if (ds.length) return ds.some((d) => d.capacity === undefined) ? undefined : ds.reduce((n, d) => n + d.capacity!, 0);
  if (providerId === undefined) return undefined;
  const entry = src.providers.find((p) => p.id === providerId);
  if (entry ? entry.type !== 'llama' : providerId !== AUTO_LLAMA_ID) return undefined;
  const { id: _id, type: _type, baseUrl: _b, apiKey: _k, region: _r, timeoutMs: _t, ...options } = entry ?? { id: '', type: '' };
  const parsed = llamaOptionsSchema.safeParse(options);
  return parsed.success ? parsed.data.sequences : undefined;
}
