import type { Logger } from '../core/index.js';
import type { Database } from '../store/index.js';
import { appendToChain, type UnchainedRow } from './append-to-chain.js';
import type { AuditEventInput } from './audit-event.js';
import { canonicalJson } from './canonical-json.js';
import { type AuditPage, type AuditQuery, queryAuditEvents } from './query-audit-events.js';
import { Redactor } from './redact-parameters.js';
import type { AuditTables } from './tables.js';
import { type VerifyOptions, type VerifyReport, verifyAuditChains } from './verify-audit-chains.js';

export interface AuditLogOptions {
  /** Extra parameter names to redact (audit.redactKeys), on top of the built-in secret names. */
  redactKeys?: readonly string[];
  /** Whether model invocations and retrievals are recorded too (audit.dataPlane); management calls always are. */
  dataPlane?: boolean;
  dialect: 'sqlite' | 'postgres';
  flushMs?: number;
  flushAt?: number;
  /** Events held while the database refuses them; past this the oldest are dropped (and counted) rather than the process dying. */
  maxBuffered?: number;
}

// Batched like usage records: an INSERT per request would make the database's write path the gateway's ceiling, and a
// chained append costs a head read and a compare-and-set besides. A quarter second bounds what a crash (not a graceful
// close, which flushes) can lose.
const FLUSH_MS = 250;
const FLUSH_AT = 100;
const MAX_BUFFERED = 100_000;
const RETRY_MS = 1000;
const MAX_ERROR_MESSAGE = 1024;
const MAX_USER_AGENT = 512;

/**
 * The audit trail's writer and reader. `record` only queues (microseconds on the request path); batches are written
 * off the request path, each account's events appended to that account's hash chain in one transaction. Events the
 * database refused stay queued and are retried; `flush` (and `close`) resolves once everything recorded so far is
 * stored or has failed for good.
 */
export class AuditLog {
  readonly dataPlane: boolean;
  readonly redactor: Redactor;
  private readonly db;
  private readonly dialect: 'sqlite' | 'postgres';
  private readonly flushMs: number;
  private readonly flushAt: number;
  private readonly maxBuffered: number;
  private buffer: AuditEventInput[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;
  /** Events lost to a full buffer while the database was unavailable. */
  dropped = 0;
  /** Appends retried because another writer moved the chain's head first: how contended the chains are. */
  conflicts = 0;

  constructor(
    db: Database,
    private readonly log: Logger,
    opts: AuditLogOptions,
  ) {
    this.db = db.withTables<AuditTables>();
    this.dialect = opts.dialect;
    this.dataPlane = opts.dataPlane ?? false;
    this.redactor = new Redactor(opts.redactKeys);
    this.flushMs = opts.flushMs ?? FLUSH_MS;
    this.flushAt = opts.flushAt ?? FLUSH_AT;
    this.maxBuffered = opts.maxBuffered ?? MAX_BUFFERED;
  }

  record(e: AuditEventInput): void {
    if (this.closed) {
      this.log.error({ eventName: e.eventName, requestId: e.requestId }, 'audit event recorded after the audit log was closed; it is not stored');
      return;
    }
    this.buffer.push(e);
    if (this.buffer.length > this.maxBuffered) {
      const over = this.buffer.length - this.maxBuffered;
      this.buffer.splice(0, over);
      this.dropped += over;
      this.log.error({ dropped: this.dropped }, 'audit events dropped: the database has refused them for too long');
    }
    if (this.buffer.length >= this.flushAt) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.flushMs);
  }

  /** Writes what is queued; resolves when everything recorded before the call has been tried. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer;
    this.buffer = [];
    this.flushing = this.flushing.then(() => this.write(batch));
    return this.flushing;
  }

  /** Flushes and refuses further events: the server's graceful close calls this after the listener stopped. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length) this.log.error({ events: this.buffer.length }, 'audit events could not be stored before closing');
  }

  query(q: AuditQuery): Promise<AuditPage> {
    return queryAuditEvents(this.db, this.dialect, q);
  }

  verify(opts: VerifyOptions = {}): Promise<VerifyReport> {
    return verifyAuditChains(this.db, opts);
  }

  private async write(batch: AuditEventInput[]): Promise<void> {
    if (!batch.length) return;
    const byAccount = new Map<string, UnchainedRow[]>();
    for (const e of batch) {
      const rows = byAccount.get(e.accountId);
      if (rows) rows.push(this.toRow(e));
      else byAccount.set(e.accountId, [this.toRow(e)]);
    }
    const failed: AuditEventInput[] = [];
    for (const [accountId, rows] of byAccount) {
      try {
        this.conflicts += (await appendToChain(this.db, accountId, rows)).conflicts;
      } catch (err) {
        this.log.error({ err, accountId, events: rows.length }, 'failed to store audit events; they stay queued and are retried');
        const ids = new Set(rows.map((r) => r.id));
        for (const e of batch) if (ids.has(e.id)) failed.push(e);
      }
    }
    if (failed.length && !this.closed) {
      // Back at the front, in their order, and retried after a pause rather than in a tight loop against a dead database.
      this.buffer = [...failed, ...this.buffer];
      this.timer ??= setTimeout(() => void this.flush(), RETRY_MS);
    }
  }

  private toRow(e: AuditEventInput): UnchainedRow {
    let resources = e.resources;
    let params: unknown;
    if (e.details) {
      try {
        const d = e.details();
        if (d.resources) resources = [...resources, ...d.resources.filter((r) => !resources.includes(r))];
        params = d.requestParameters;
      } catch (err) {
        this.log.warn({ err, requestId: e.requestId }, 'could not read an audited request’s parameters');
      }
      // Evaluated once: a retried event keeps what the first attempt derived.
      e.resources = resources;
      e.details = params === undefined ? undefined : () => ({ requestParameters: params });
    }
    const prepared = this.redactor.prepare(params);
    return {
      id: e.id,
      event_time: e.time,
      event_name: e.eventName,
      action: e.action,
      category: e.category,
      read_only: e.readOnly ? 1 : 0,
      principal_id: e.principal.id,
      principal_name: e.principal.name,
      principal_type: e.principal.type,
      auth_method: e.principal.authMethod,
      key_id: e.principal.keyId,
      access_key_id: e.principal.accessKeyId,
      source_ip: e.sourceIp,
      user_agent: e.userAgent === null ? null : e.userAgent.slice(0, MAX_USER_AGENT),
      resources: canonicalJson(resources),
      request_parameters: prepared === null ? null : canonicalJson(prepared),
      outcome: e.outcome,
      error_code: e.errorCode,
      error_message: e.errorMessage === null ? null : e.errorMessage.slice(0, MAX_ERROR_MESSAGE),
      http_status: e.httpStatus,
      request_id: e.requestId,
      wire_api: e.wireApi,
    };
  }
}
