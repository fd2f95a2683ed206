/** What the IAM store returns to the API and the CLI: names and times, never a stored secret or hash. */

export interface AccountView {
  accountId: string;
  name: string;
  createdAt: string;
}

export interface UserView {
  userId: string;
  userName: string;
  accountId: string;
  isAdmin: boolean;
  createdAt: string;
}

export interface RoleView {
  roleId: string;
  roleName: string;
  description?: string;
  createdAt: string;
}

export interface PolicyView {
  policyId: string;
  policyName: string;
  description?: string;
  createdAt: string;
  updatedAt: string;
}

export type ApiKeyStatus = 'Active' | 'Inactive' | 'Expired';

export interface ApiKeyView {
  keyId: string;
  userName: string;
  type: 'bearer' | 'sigv4';
  /** SigV4 only: the access key id, which is not secret. */
  accessKeyId?: string;
  /** The first characters of the key, to tell keys apart. */
  hint: string;
  name?: string;
  description?: string;
  status: ApiKeyStatus;
  createdAt: string;
  lastUsedAt?: string;
  expiresAt?: string;
  /** Set once the key was rotated: its successor. */
  replacedBy?: string;
}

/** A key as created or rotated: the only time its secret is shown. */
export type NewApiKeyView = ApiKeyView & { apiKey?: string; secretAccessKey?: string };
