import type { AuditEventsTable } from './tables.js';

export type AuditCategory = AuditEventsTable['category'];
export type AuditOutcome = AuditEventsTable['outcome'];

/** Who made the call, as the server authenticated it. */
export interface AuditPrincipal {
  id: string;
  name: string;
  /** `Administrator` for the account's administrators (AWS's root), `User` for everyone else. */
  type: 'Administrator' | 'User';
  authMethod: string;
  keyId: string | null;
  accessKeyId: string | null;
}

/** The part of an event worth computing only off the request path: parsing a body, naming a model's ARN. */
export interface AuditDetails {
  resources?: readonly string[];
  requestParameters?: unknown;
}

/**
 * What the middleware captures for one call. It holds cheap values only; `details` runs when the batch is written,
 * after the response has gone, so parsing and redacting a body never adds to a request's latency.
 */
export interface AuditEventInput {
  id: string;
  time: string;
  accountId: string;
  eventName: string;
  action: string | null;
  category: AuditCategory;
  readOnly: boolean;
  principal: AuditPrincipal;
  sourceIp: string | null;
  userAgent: string | null;
  resources: readonly string[];
  details?: () => AuditDetails;
  outcome: AuditOutcome;
  errorCode: string | null;
  errorMessage: string | null;
  httpStatus: number;
  requestId: string;
  wireApi: string;
}

/** An event as the API returns it (CloudTrail's names where CloudTrail has one). */
export interface AuditEvent {
  eventId: string;
  eventTime: string;
  accountId: string;
  sequence: number;
  eventName: string;
  action: string | null;
  category: AuditCategory;
  readOnly: boolean;
  principal: { id: string; name: string; type: string; arn: string; authMethod: string };
  keyId: string | null;
  accessKeyId: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  resources: string[];
  requestParameters: unknown;
  outcome: AuditOutcome;
  errorCode: string | null;
  errorMessage: string | null;
  httpStatus: number;
  requestId: string;
  wireApi: string;
  previousHash: string;
  hash: string;
}

export function auditEventView(r: AuditEventsTable): AuditEvent {
  return {
    eventId: r.id,
    eventTime: r.event_time,
    accountId: r.account_id,
    sequence: Number(r.seq),
    eventName: r.event_name,
    action: r.action,
    category: r.category,
    readOnly: Number(r.read_only) === 1,
    principal: {
      id: r.principal_id,
      name: r.principal_name,
      type: r.principal_type,
      arn: `arn:aws:iam::${r.account_id}:user/${r.principal_name}`,
      authMethod: r.auth_method,
    },
    keyId: r.key_id,
    accessKeyId: r.access_key_id,
    sourceIp: r.source_ip,
    userAgent: r.user_agent,
    resources: parseJson(r.resources, []) as string[],
    requestParameters: r.request_parameters === null ? null : parseJson(r.request_parameters, null),
    outcome: r.outcome,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    httpStatus: Number(r.http_status),
    requestId: r.request_id,
    wireApi: r.wire_api,
    previousHash: r.prev_hash,
    hash: r.hash,
  };
}

// A row edited by hand may hold anything; the listing shows what it can rather than failing (verify says it was edited).
function parseJson(text: string, fallback: unknown): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}
