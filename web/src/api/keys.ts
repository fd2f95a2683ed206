import type { KeyStatus } from '../lib/key-terms';
import type { ApiClient } from './api-client';

/** API keys through the IAM admin API (`/quarry/iam/...`), as the server answers them. */

export interface ApiKey {
  keyId: string;
  userName: string;
  type: 'bearer' | 'sigv4';
  /** SigV4 only: the access key id, which is not secret. */
  accessKeyId?: string;
  /** The first characters of the key, to tell keys apart. */
  hint: string;
  name?: string;
  description?: string;
  status: KeyStatus;
  createdAt: string;
  lastUsedAt?: string;
  expiresAt?: string;
  replacedBy?: string;
}

/** A key as created: the only answer that carries its secret (`apiKey` for bearer, `secretAccessKey` for SigV4). */
export type NewApiKey = ApiKey & { apiKey?: string; secretAccessKey?: string };

export interface WhoAmI {
  user: { userName: string; isAdmin: boolean; accountId: string; arn: string };
  /** The key this console signed in with. */
  keyId?: string;
}

/** A rotation's answer: the key it replaced (now ending at its `expiresAt`) and its successor, secret included. */
export interface RotatedApiKey {
  previous: ApiKey;
  key: NewApiKey;
}

export interface CreateKeyInput {
  type: 'bearer' | 'sigv4';
  name?: string;
  description?: string;
  expiresInSeconds?: number;
}

const userKeys = (userName: string) => `/quarry/iam/users/${encodeURIComponent(userName)}/keys`;
const keyPath = (keyId: string) => `/quarry/iam/keys/${encodeURIComponent(keyId)}`;

export const keysApi = (api: ApiClient) => ({
  whoami(signal?: AbortSignal): Promise<WhoAmI> {
    return api.json<WhoAmI>('/quarry/iam/whoami', { signal });
  },
  /** Every key of the account, each with its owner; the server refuses (403) a caller not allowed ListApiKeys on `*`. */
  async listAll(): Promise<ApiKey[]> {
    return (await api.json<{ keys: ApiKey[] }>('/quarry/iam/keys')).keys;
  },
  async list(userName: string): Promise<ApiKey[]> {
    return (await api.json<{ keys: ApiKey[] }>(userKeys(userName))).keys;
  },
  async create(userName: string, input: CreateKeyInput): Promise<NewApiKey> {
    return (await api.json<{ key: NewApiKey }>(userKeys(userName), { method: 'POST', body: input })).key;
  },
  async setEnabled(keyId: string, enabled: boolean): Promise<void> {
    await api.fetch(keyPath(keyId), { method: 'PATCH', body: { enabled } });
  },
  /** A new secret for the key (same name, kind and owner); the old one keeps working for `graceSeconds`. */
  rotate(keyId: string, graceSeconds: number): Promise<RotatedApiKey> {
    return api.json<RotatedApiKey>(`${keyPath(keyId)}/rotate`, { method: 'POST', body: { graceSeconds } });
  },
  async remove(keyId: string): Promise<void> {
    await api.fetch(keyPath(keyId), { method: 'DELETE' });
  },
});

export type KeysApi = ReturnType<typeof keysApi>;
