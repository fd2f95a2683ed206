import type { ApiClient } from './api-client';

/** The server's own infrastructure: routing's deployment health and the secrets keyring (default account only). */

export interface DeploymentHealth {
  id: string;
  model: string;
  provider: string;
  region?: string;
  state: 'closed' | 'open' | 'half-open';
  drained: boolean;
  /** Who decided `drained`: an operator at runtime (stored, for every replica), or the configuration file. */
  drainedBy: 'operator' | 'config';
  outstanding: number;
  latencyMs: number;
  calls: number;
  failures: number;
  timeouts: number;
  breakerOpened: number;
  active?: {
    state: 'healthy' | 'unhealthy' | 'unknown';
    lastCheckAt?: string;
    lastError?: string;
    lastErrorAt?: string;
    consecutiveFailures: number;
    consecutiveSuccesses: number;
    checks: number;
  };
}

/** An operator's drain or restore, as stored for every replica. */
export interface DrainOverride {
  deploymentId: string;
  drained: boolean;
  updatedBy: string;
  updatedAt: string;
}

export interface KeyringStatus {
  masterKeyId: string;
  activeKeyId: string;
  rotating: boolean;
  keys: { keyId: string; state: string; masterKeyId: string; createdAt: string; retiredAt: string | null; records: number }[];
}

export interface RotationReport {
  previousKeyId: string;
  activeKeyId: string;
  resumed: boolean;
  rewrapped: Record<string, number>;
  retired: boolean;
  startedAt: string;
  finishedAt: string;
}

export const operationsApi = (api: ApiClient) => ({
  async deployments(): Promise<DeploymentHealth[]> {
    return (await api.json<{ deployments: DeploymentHealth[] }>('/quarry/routing/deployments')).deployments;
  },
  /** Stops new calls to a deployment on every replica; calls in flight finish. */
  drain(id: string): Promise<{ override: DrainOverride }> {
    return api.json(`/quarry/routing/deployments/${encodeURIComponent(id)}/drain`, { method: 'POST', body: {} });
  },
  restore(id: string): Promise<{ override: DrainOverride }> {
    return api.json(`/quarry/routing/deployments/${encodeURIComponent(id)}/restore`, { method: 'POST', body: {} });
  },
  /** Forgets the operator's drain or restore: the configuration's `drained` decides again. */
  reset(id: string): Promise<{ override: null }> {
    return api.json(`/quarry/routing/deployments/${encodeURIComponent(id)}/reset`, { method: 'POST', body: {} });
  },
  keyring(): Promise<KeyringStatus> {
    return api.json<KeyringStatus>('/quarry/secrets/keyring');
  },
  rotateKeyring(): Promise<RotationReport> {
    return api.json<RotationReport>('/quarry/secrets/keyring/rotate', { method: 'POST', body: {} });
  },
});

export type OperationsApi = ReturnType<typeof operationsApi>;
