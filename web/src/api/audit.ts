import type { ApiClient } from './api-client';

/** The audit trail (`GET /quarry/audit/events`, `POST /quarry/audit/verify`), as the server answers it. */

export interface AuditEvent {
  eventId: string;
  eventTime: string;
  accountId: string;
  sequence: number;
  eventName: string;
  action: string | null;
  category: 'management' | 'data';
  readOnly: boolean;
  principal: { id: string; name: string; type: string; arn: string; authMethod: string };
  keyId: string | null;
  sourceIp: string | null;
  resources: string[];
  requestParameters: unknown;
  outcome: 'success' | 'error';
  errorCode: string | null;
  errorMessage: string | null;
  httpStatus: number;
  requestId: string;
  wireApi: string;
}

export interface AuditPage {
  events: AuditEvent[];
  nextToken?: string;
}

export interface ChainReport {
  accountId: string;
  valid: boolean;
  events: number;
  head: { sequence: number; hash: string } | null;
  firstBreak?: { sequence: number; eventId: string | null; reason: string; message: string };
}

export interface VerifyReport {
  valid: boolean;
  eventsChecked: number;
  chains: ChainReport[];
}

export const auditApi = (api: ApiClient) => ({
  /** `query` is built by `auditQuery` (web/src/lib/audit-query.ts) from the filter form. */
  events(query: URLSearchParams, signal?: AbortSignal): Promise<AuditPage> {
    return api.json<AuditPage>(`/quarry/audit/events?${query}`, { signal });
  },
  verify(): Promise<VerifyReport> {
    return api.json<VerifyReport>('/quarry/audit/verify', { method: 'POST', body: {} });
  },
});

export type AuditApi = ReturnType<typeof auditApi>;
