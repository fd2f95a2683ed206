import type { Logger } from '../core/index.js';
import { type Database, timeOrderedId } from '../store/index.js';
import type { CostAllocationTags } from './cost-allocation-tags.js';
import type { BillingTables, UsageRecordsTable, UsageTagsTable } from './tables.js';
import { readSegment, removeFile, UsageJournal } from './usage-journal.js';
import { KyselyUsageWriter, ROWS_PER_STATEMENT, type UsageRowWriter } from './usage-row-writer.js';

type Added = 'account_id' | 'deployment_id' | 'provider_id' | 'region' | 'images' | 'tags' | 'cache_hit' | 'saved_usd';

/** What a caller records; the columns added after the first release may be left out (they take their defaults). */
export type UsageRecord = Omit<UsageRecordsTable, 'id' | Added | 'tags'> &
  Partial<Omit<UsageRecordsTable, 'tags'>> & {
    /** Cost-allocation tags, stored as JSON on the record and one usage_tags row each. */
    tags?: CostAllocationTags;
  };

/**
 * `durable`: `record()` resolves once the record is committed, so the caller can hold the response until then.
 * `buffered`: `record()` resolves at once and records are written within 250 ms — faster, but a crash loses them.
 */
export type MeteringMode = 'durable' | 'buffered';

export interface UsageMeterOptions {
  mode?: MeteringMode;
  /** Durable mode: how long the first record of a group waits for others to join it, ms (0: the next event-loop turn). */
  groupCommitMs?: number;
  /** Largest group written in one transaction. */
  maxGroup?: number;
  /**
   * Durable mode on the embedded store: a record is durable once appended to this journal, and the database takes
   * records in batches (see UsageJournal). Absent: each record is committed to the database before it resolves.
   */
  journal?: UsageJournal;
  /** Journaled mode: how long a record waits to be stored, ms, unless `at` records are waiting (JOURNAL_FLUSH_*). */
  journalFlush?: { ms: number; at: number };
  /** Where groups of records are stored; the store's own connection when absent (see SqliteUsageWriter for the other). */
  writer?: UsageRowWriter;
}

export interface MeterStats {
  records: number;
  commits: number;
  largestGroup: number;
  failures: number;
}

interface Pending {
  row: UsageRecordsTable;
  tags: UsageTagsTable[];
  resolve(): void;
  reject(e: unknown): void;
  /** The journal segment holding the record (journaled mode), or -1. */
  segment: number;
  /** The record as its journal line (journaled mode), which a writer may take instead of the row. */
  line?: string;
}

const BUFFERED_FLUSH_MS = 250;
const BUFFERED_FLUSH_AT = 50;
// Journaled records reach the database within this long, or sooner in groups of this many. Small enough that a
// group's insert (about 10 µs a row; on the event loop unless a SqliteUsageWriter stores it) stays a short stall, and
// readers in other processes see a record soon; readers in this one flush first.
const JOURNAL_FLUSH_MS = 50;
const JOURNAL_FLUSH_AT = 64;
// A write that fails (a dropped PostgreSQL connection, a busy SQLite file past its timeout) is tried again: the rows
// keep their ids, so a retry after a commit whose acknowledgement was lost inserts nothing twice.
const RETRY_DELAYS_MS = [20, 100, 400];
/**
 * Writes usage records with group commit: records that arrive while a write is in flight (or within `groupCommitMs`
 * of the first) share the next transaction, so one commit — one fsync on PostgreSQL, one WAL append on SQLite —
 * serves many concurrent requests, and a request waits for at most about one commit. Every insert is idempotent on
 * the record id, which is made once per invocation. Records are durable against a killed process once `record()`
 * resolves: SQLite in WAL mode has then written the commit to the OS, PostgreSQL has flushed it.
 */
export class UsageMeter {
  private readonly db;
  private readonly mode: MeteringMode;
  private readonly groupCommitMs: number;
  private readonly maxGroup: number;
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private scheduled = false;
  private writing: Promise<void> | undefined;
  private readonly counters: MeterStats = { records: 0, commits: 0, largestGroup: 0, failures: 0 };
  private readonly writer: UsageRowWriter;
  private readonly journalFlush: { ms: number; at: number };
  private readonly journal: UsageJournal | undefined;
  /** Journaled mode: records not yet stored, per segment; a sealed segment is deleted when its count reaches zero. */
  private readonly unstored = new Map<number, number>();
  private sealedUpTo = -1;
  /** Journaled mode: records waiting for this turn of the event loop's one journal write. */
  private unjournaled: Pending[] = [];

  constructor(
    db: Database,
    private readonly log: Logger,
    opts: UsageMeterOptions = {},
  ) {
    this.db = db.withTables<BillingTables>();
    this.mode = opts.mode ?? 'durable';
    this.groupCommitMs = opts.groupCommitMs ?? 0;
    this.maxGroup = opts.maxGroup ?? 1000;
    this.journal = this.mode === 'durable' ? opts.journal : undefined;
    this.writer = opts.writer ?? new KyselyUsageWriter(db);
    this.journalFlush = opts.journalFlush ?? { ms: JOURNAL_FLUSH_MS, at: JOURNAL_FLUSH_AT };
  }

  get durable(): boolean {
    return this.mode === 'durable';
  }

  /** Queues one record. Durable mode: resolves when it is committed, rejects if it could not be. */
  record(r: UsageRecord): Promise<void> {
    const { tags } = r;
    const id = r.id ?? timeOrderedId();
    // Every column, in COLUMNS order; the ones a caller may leave out (or pass as undefined) take the table's defaults.
    const row: UsageRecordsTable = {
      id,
      request_id: r.request_id,
      time: r.time,
      principal: r.principal,
      key_id: r.key_id,
      model_id: r.model_id,
      api: r.api,
      input_tokens: r.input_tokens,
      output_tokens: r.output_tokens,
      cache_read_tokens: r.cache_read_tokens,
      cache_write_tokens: r.cache_write_tokens,
      cost_usd: r.cost_usd,
      latency_ms: r.latency_ms,
      outcome: r.outcome,
      account_id: r.account_id ?? '',
      deployment_id: r.deployment_id ?? '',
      provider_id: r.provider_id ?? '',
      region: r.region ?? '',
      images: r.images ?? 0,
      tags: tags ? JSON.stringify(tags) : '{}',
      cache_hit: r.cache_hit ?? 0,
      saved_usd: r.saved_usd ?? 0,
    };
    const tagRows = tagRowsOf(row.id, tags);
    if (this.journal) {
      return new Promise<void>((resolve, reject) => {
        this.unjournaled.push({ row, tags: tagRows, resolve, reject, segment: -1 });
        if (this.unjournaled.length === 1) setImmediate(this.writeJournal);
      });
    }
    if (this.mode === 'buffered') {
      this.queue.push({ row, tags: tagRows, resolve: noop, reject: noop, segment: -1 });
      this.schedule();
      return RESOLVED;
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ row, tags: tagRows, resolve, reject, segment: -1 });
      this.schedule();
    });
  }

  /**
   * Stores what journal segments a dead process left (see UsageJournal.leftovers), then deletes them. Inserts are
   * idempotent on the record id, so a segment that was already stored before the crash adds nothing. Returns how many
   * records were read.
   */
  async recover(dir: string): Promise<number> {
    let n = 0;
    for (const path of UsageJournal.leftovers(dir)) {
      const { lines, torn } = readSegment(path);
      if (torn) this.log.warn({ path, torn }, 'skipped usage journal lines cut short by a crash');
      for (let i = 0; i < lines.length; i += ROWS_PER_STATEMENT) {
        const group = lines.slice(i, i + ROWS_PER_STATEMENT).map((line): Pending => {
          const row = JSON.parse(line) as UsageRecordsTable;
          return { row, tags: tagRowsOf(row.id, JSON.parse(row.tags) as CostAllocationTags), resolve: noop, reject: noop, segment: -1, line };
        });
        await this.write(group);
      }
      n += lines.length;
      removeFile(path);
    }
    if (n) this.log.info({ records: n }, 'stored usage records journaled before a crash');
    return n;
  }

  /**
   * Journaled mode: appends the records of this turn of the event loop in one write, then lets their answers go. One
   * system call serves every request that finished in the turn, as one commit does without the journal.
   */
  private readonly writeJournal = (): void => {
    const batch = this.unjournaled;
    if (!batch.length) return;
    this.unjournaled = [];
    let text = '';
    for (const p of batch) {
      p.line = JSON.stringify(p.row);
      text += `${p.line}\n`;
    }
    let segment: number;
    try {
      segment = this.journal!.append(text);
    } catch (e) {
      this.counters.failures += batch.length;
      this.log.error({ err: e, records: batch.length }, 'failed to journal usage records');
      for (const p of batch) p.reject(e);
      return;
    }
    this.unstored.set(segment, (this.unstored.get(segment) ?? 0) + batch.length);
    for (const p of batch) {
      p.segment = segment;
      p.resolve();
      p.resolve = noop;
      this.queue.push(p);
    }
    this.schedule();
  };

  /** Writes what is queued; resolves when everything recorded so far has been written (or given up on). */
  async flush(): Promise<void> {
    for (this.writeJournal(); this.queue.length || this.writing; this.writeJournal()) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.scheduled = false;
      this.kick();
      await this.writing;
    }
  }

  /** Writes what is queued and closes the journal. */
  async close(): Promise<void> {
    await this.flush();
    this.journal?.close();
    await this.writer.close();
  }

  stats(): MeterStats {
    return { ...this.counters };
  }

  async query(filter: { principal?: string; since?: string; requestId?: string } = {}) {
    // Journaled records are durable before they are stored; a reader here sees them all.
    if (this.journal) await this.flush();
    let q = this.db.selectFrom('usage_records').selectAll().orderBy('time');
    if (filter.principal) q = q.where('principal', '=', filter.principal);
    if (filter.since) q = q.where('time', '>=', filter.since);
    if (filter.requestId) q = q.where('request_id', '=', filter.requestId);
    return q.execute();
  }

  private schedule(): void {
    if (this.mode === 'buffered' || this.journal) {
      const [ms, at] = this.journal ? [this.journalFlush.ms, this.journalFlush.at] : [BUFFERED_FLUSH_MS, BUFFERED_FLUSH_AT];
      // A full group goes now, whether or not the timer is running: left to the timer, a group grew with the request
      // rate (450 rows in 50 ms at concurrency 10), and with it the one transaction that stores it.
      if (this.queue.length >= at) {
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
        this.scheduled = false;
        this.kick();
        return;
      }
      if (this.scheduled) return;
      this.scheduled = true;
      this.timer = setTimeout(() => this.fire(), ms);
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    if (this.groupCommitMs > 0) this.timer = setTimeout(() => this.fire(), this.groupCommitMs);
    else setImmediate(() => this.fire());
  }

  private fire(): void {
    this.timer = undefined;
    this.scheduled = false;
    this.kick();
  }

  /** Starts the next group unless one is being written; the one in flight starts it when it is done. */
  private kick(): void {
    if (this.writing || !this.queue.length) return;
    // Every record queued so far is in this segment or an earlier one, so once they are stored it can go.
    if (this.journal) this.sealedUpTo = Math.max(this.sealedUpTo, this.journal.seal());
    const group = this.queue.length <= this.maxGroup ? this.queue : this.queue.slice(0, this.maxGroup);
    this.queue = this.queue.length <= this.maxGroup ? [] : this.queue.slice(this.maxGroup);
    this.writing = this.commit(group).finally(() => {
      this.writing = undefined;
      if (this.queue.length && ((this.mode === 'durable' && !this.journal) || this.queue.length >= (this.journal ? this.journalFlush.at : BUFFERED_FLUSH_AT))) this.kick();
      else if (this.queue.length) this.schedule();
    });
  }

  private async commit(group: Pending[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.write(group);
        this.counters.commits++;
        this.counters.records += group.length;
        this.counters.largestGroup = Math.max(this.counters.largestGroup, group.length);
        for (const p of group) p.resolve();
        if (this.journal) this.stored(group);
        return;
      } catch (e) {
        const delay = RETRY_DELAYS_MS[attempt];
        if (delay === undefined) {
          this.counters.failures += group.length;
          // Journaled records stay in their segment, which is kept and stored at the next start.
          this.log.error({ err: e, records: group.length, ...(this.journal ? { journal: this.journal.dir } : {}) }, 'failed to store usage records');
          for (const p of group) p.reject(e);
          return;
        }
        this.log.warn({ err: e, records: group.length, attempt: attempt + 1 }, 'storing usage records failed; trying again');
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  /** Counts a journaled group stored, and deletes the sealed segments it emptied. */
  private stored(group: Pending[]): void {
    for (const p of group) {
      const left = (this.unstored.get(p.segment) ?? 1) - 1;
      if (left > 0) {
        this.unstored.set(p.segment, left);
        continue;
      }
      this.unstored.delete(p.segment);
      if (p.segment <= this.sealedUpTo) this.journal!.release(p.segment);
    }
  }

  private write(group: Pending[]): Promise<void> {
    const lines = group.every((p) => p.line !== undefined) ? group.map((p) => p.line!) : undefined;
    return this.writer.write(
      group.map((p) => p.row),
      group.flatMap((p) => p.tags),
      lines,
    );
  }
}

const noop = (): void => undefined;
const RESOLVED = Promise.resolve();

function tagRowsOf(recordId: string, tags: CostAllocationTags | undefined): UsageTagsTable[] {
  return tags ? Object.entries(tags).map(([key, value]) => ({ record_id: recordId, key, value })) : [];
}
