import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const SUFFIX = '.ndjson';

/**
 * A write-ahead journal for usage records on the embedded store: each record is one append (a single write(2)) to a
 * file beside the database, so it survives a killed process as soon as its answer may go out, and the database takes
 * the records afterwards in large, infrequent transactions.
 *
 * Why not commit each record to SQLite before answering, as on PostgreSQL: a one-row commit there writes a WAL frame
 * header and page for every B-tree it touches (the table and five indexes: about 15 pwrites) and takes and drops its
 * locks with fcntl, ~20 system calls that were ~0.2 ms of every request at concurrency 1 on a virtual machine where a
 * system call is dear. The guarantee is the same one SQLite's WAL gives with synchronous=NORMAL: the bytes are the
 * operating system's once the call returns (a killed process loses nothing; a power cut may lose the last of them).
 * On PostgreSQL the commit is on the database server, a stronger guarantee a local file would weaken, so the journal
 * is for SQLite only.
 *
 * Records go to the open segment; `seal()` closes it (the next append opens another), and a sealed segment whose
 * records are all stored is `release`d (deleted). Segments are named `<pid>-<start>-<seq>.ndjson`, so a server can
 * tell its own from those a dead process left, which are replayed at start (`leftovers`).
 */
export class UsageJournal {
  private fd: number | undefined;
  private seq = 0;
  private readonly instance: string;

  private constructor(readonly dir: string) {
    this.instance = `${process.pid}-${Date.now()}`;
  }

  /** Creates the directory if needed. */
  static open(dir: string): UsageJournal {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return new UsageJournal(dir);
  }

  /**
   * Segments left by processes that are gone, oldest first. A segment whose writer is still alive (another server on
   * the same data directory) is not touched; one with this process's own pid is from an earlier life (a container's
   * pid 1 restarting), since this process has written none yet.
   */
  static leftovers(dir: string): string[] {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith(SUFFIX));
    } catch {
      return [];
    }
    return names
      .filter((n) => {
        const pid = Number(n.split('-')[0]);
        return !Number.isInteger(pid) || pid === process.pid || !alive(pid);
      })
      .sort(bySegmentOrder)
      .map((n) => join(dir, n));
  }

  /** The segment the next append goes to. */
  get current(): number {
    return this.seq;
  }

  /** Appends one line (a JSON record and its newline); returns the segment it went to. Throws what the file system does. */
  append(line: string): number {
    if (this.fd === undefined) this.fd = openSync(this.path(this.seq), 'a', 0o600);
    writeSync(this.fd, line);
    return this.seq;
  }

  /** Closes the open segment, if any; appends from now on go to the next. Returns the sealed segment, or -1. */
  seal(): number {
    if (this.fd === undefined) return -1;
    closeSync(this.fd);
    this.fd = undefined;
    return this.seq++;
  }

  /** Deletes a sealed segment whose records are all stored. */
  release(seq: number): void {
    removeFile(this.path(seq));
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private path(seq: number): string {
    return join(this.dir, `${this.instance}-${String(seq).padStart(8, '0')}${SUFFIX}`);
  }
}

/**
 * The records of a segment file. A line a crash cut short (only ever the last) is skipped and counted. A segment gone
 * since it was listed has none: another server on the same data directory stored and deleted it meanwhile.
 */
export function readSegment(path: string): { lines: string[]; torn: number } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], torn: 0 };
    throw e;
  }
  const lines: string[] = [];
  let torn = 0;
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      JSON.parse(line);
      lines.push(line);
    } catch {
      torn++;
    }
  }
  return { lines, torn };
}

export function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: a process of another user has that pid now, so it is alive, though not necessarily ours.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Oldest first: by start time, then sequence (both fixed-width or numeric in the name). */
function bySegmentOrder(a: string, b: string): number {
  const [, aStart = '0', aSeq = ''] = a.split('-');
  const [, bStart = '0', bSeq = ''] = b.split('-');
  return Number(aStart) - Number(bStart) || aSeq.localeCompare(bSeq);
}
