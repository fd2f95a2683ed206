import { createServer, type Server, type Socket } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';

/**
 * PostgreSQL with pgvector for tests, on a machine whose PostgreSQL has no pgvector: PGlite (PostgreSQL 17 compiled to
 * WebAssembly; 0.3.x ships pgvector) behind a TCP listener that speaks the wire protocol, so the real `pg` driver and
 * the real SQL run against it.
 *
 * PGlite is one backend. `@electric-sql/pglite-socket`'s multiplexer interleaves clients message by message, which
 * breaks the extended protocol as soon as two clients query at once (client A's Bind lands on client B's Parse:
 * "unnamed prepared statement does not exist"). This server multiplexes the way a transaction-mode pooler does: a
 * client runs whole protocol units (up to a Sync or a simple Query) on the backend, and keeps it from BEGIN until the
 * backend reports idle again, so transactions from different clients are serialised rather than interleaved. What a
 * session shares that a real server would keep apart (session-level SET, named prepared statements, advisory locks,
 * which all clients hold at once) is what a transaction pooler shares too; Quarry's pgvector store uses none of it
 * across transactions.
 */
export interface PgliteWireServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  stop(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** Sync and simple Query end a unit: the backend answers each with ReadyForQuery and its transaction status. */
const UNIT_END = new Set(['S', 'Q']);
const SYNC = Uint8Array.from([0x53, 0, 0, 0, 4]);

export async function startPgliteWireServer(opts: { host?: string; port?: number } = {}): Promise<PgliteWireServer> {
  const db = await PGlite.create({ extensions: { vector } });
  await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
  const gate = new Gate();
  const sessions = new Set<Session>();
  const server: Server = createServer((socket) => {
    const s = new Session(socket, db, gate);
    sessions.add(s);
    socket.once('close', () => sessions.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address !== 'object') throw new Error('pglite wire server: no address');
  return {
    url: `postgres://postgres@${address.address}:${address.port}/postgres`,
    async stop() {
      for (const s of sessions) s.socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}

/** The backend, handed from one session to the next in arrival order. */
class Gate {
  owner: Session | null = null;
  readonly #waiting: { session: Session; resolve: () => void }[] = [];

  async acquire(session: Session): Promise<void> {
    if (this.owner === session) return;
    if (this.owner === null) {
      this.owner = session;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push({ session, resolve }));
  }

  release(session: Session): void {
    if (this.owner !== session) return;
    const next = this.#waiting.shift();
    this.owner = next?.session ?? null;
    next?.resolve();
  }

  forget(session: Session): void {
    const i = this.#waiting.findIndex((w) => w.session === session);
    if (i >= 0) this.#waiting.splice(i, 1);
  }
}

class Session {
  #buffer = Buffer.alloc(0);
  #started = false;
  #ready = false;
  #unit: Uint8Array[] = [];
  #pumping: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(
    readonly socket: Socket,
    private readonly db: PGlite,
    private readonly gate: Gate,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#pumping = this.#pumping
        .then(() => this.#pump())
        .catch(() => {
          socket.destroy();
        });
    });
    socket.on('error', () => socket.destroy());
    socket.once('close', () => {
      this.#closed = true;
      // A client gone while queued leaves the queue now: its pending unit is never run (its pump stays parked on the
      // gate, which nobody will hand it). One gone while it holds the backend is cleaned up once its unit is done.
      this.gate.forget(this);
      this.#pumping = this.#pumping.then(() => this.#abandon()).catch(() => {});
    });
  }

  async #pump(): Promise<void> {
    for (;;) {
      if (this.#closed) return;
      if (!this.#started) {
        if (this.#buffer.length < 8) return;
        const len = this.#buffer.readInt32BE(0);
        if (this.#buffer.length < len) return;
        const code = this.#buffer.readInt32BE(4);
        const message = this.#take(len);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          this.socket.write('N');
          continue;
        }
        if (code === CANCEL_REQUEST) {
          this.socket.destroy();
          return;
        }
        this.#started = true;
        await this.#run([message], true);
        continue;
      }
      if (this.#buffer.length < 5) return;
      const len = 1 + this.#buffer.readInt32BE(1);
      if (this.#buffer.length < len) return;
      const type = String.fromCharCode(this.#buffer[0]!);
      const message = this.#take(len);
      if (type === 'X') {
        this.socket.end();
        return;
      }
      this.#unit.push(message);
      // Until the first ReadyForQuery the client is authenticating (a password message answers the backend's request):
      // each message is answered on its own.
      if (!this.#ready) {
        this.#unit = [];
        await this.#run([message], true);
        continue;
      }
      // Flush asks for the answers so far without ending the unit: the backend stays this client's.
      if (UNIT_END.has(type) || type === 'H') {
        const unit = this.#unit;
        this.#unit = [];
        await this.#run(unit, type !== 'H');
      }
    }
  }

  #take(len: number): Uint8Array {
    const message = new Uint8Array(this.#buffer.subarray(0, len));
    this.#buffer = this.#buffer.subarray(len);
    return message;
  }

  async #run(messages: Uint8Array[], ended: boolean): Promise<void> {
    await this.gate.acquire(this);
    // Closed while it waited for its turn at the start of a unit: run nothing; #abandon hands the backend on.
    if (this.#closed) return;
    const out: Uint8Array[] = [];
    for (const m of messages) out.push(await this.db.execProtocolRaw(m));
    const reply = Buffer.concat(out);
    const status = transactionStatus(reply);
    if (status) this.#ready = true;
    // Mid-authentication (no status yet) the backend stays this client's: PGlite has one authentication state.
    if (ended && status === 'I') this.gate.release(this);
    if (!this.#closed && reply.length) this.socket.write(reply);
  }

  /** A client gone mid-transaction (or mid-unit) must not keep the backend: end what it left open, then hand it on. */
  async #abandon(): Promise<void> {
    if (this.gate.owner !== this) return;
    try {
      const status = transactionStatus(Buffer.from(await this.db.execProtocolRaw(SYNC)));
      if (status !== 'I') await this.db.execProtocolRaw(simpleQuery('ROLLBACK'));
    } finally {
      this.gate.release(this);
    }
  }
}

function simpleQuery(text: string): Uint8Array {
  const body = Buffer.from(`${text}\0`, 'utf8');
  const head = Buffer.alloc(5);
  head.write('Q', 0);
  head.writeInt32BE(4 + body.length, 1);
  return new Uint8Array(Buffer.concat([head, body]));
}

/** The status byte of the last ReadyForQuery in a reply ('I' idle, 'T' in a transaction, 'E' in a failed one). */
function transactionStatus(reply: Buffer): string | undefined {
  let status: string | undefined;
  let at = 0;
  while (at + 5 <= reply.length) {
    const type = reply[at];
    const len = reply.readInt32BE(at + 1);
    if (type === 0x5a && len === 5) status = String.fromCharCode(reply[at + 5]!);
    at += 1 + len;
  }
  return status;
}
