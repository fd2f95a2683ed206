import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { migrate, openStore, type Store } from '../store/index.js';
import { SecretDecryptError } from './envelope.js';
import { loadMasterKeys, type MasterKeys } from './master-keys.js';
import { keyringStatus, rotateKeyring } from './rotate-keyring.js';
import { type SealedColumn, sealContext } from './sealed-columns.js';
import { KeyringStartupError, SecretKeyring } from './secret-keyring.js';
import { secretMigrations } from './secret-tables.js';

const PG_URL = process.env.QUARRY_TEST_PG_URL;
const COLUMN: SealedColumn = { table: 't_secrets', id: 'id', column: 'secret' };
const ctx = (id: string) => sealContext('t_secrets', 'secret', id);
const keyB64 = () => randomBytes(32).toString('base64');
const masters = (...keys: string[]): MasterKeys => loadMasterKeys({ dataDir: '/nonexistent', env: { QUARRY_MASTER_KEY: keys.join(',') } });

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'quarry-secrets-'));
  dirs.push(d);
  return d;
};

/** The sealed-secrets table a domain would own, in the store's migrations. */
async function prepare(store: Store): Promise<void> {
  await migrate(store.db, secretMigrations, {
    '2000-01-01-t-secrets': {
      async up(db) {
        await db.schema.createTable('t_secrets').addColumn('id', 'text', (c) => c.primaryKey()).addColumn('secret', 'text').execute();
      },
    },
  });
}

const dialects: { name: string; open(): Promise<{ store: Store; dir: string; reopen(): Promise<Store>; cleanup(): Promise<void> }> }[] = [
  {
    name: 'sqlite',
    async open() {
      const dir = tempDir();
      const stores: Store[] = [await openStore({ dataDir: dir })];
      return {
        store: stores[0]!,
        dir,
        async reopen() {
          const s = await openStore({ dataDir: dir });
          stores.push(s);
          return s;
        },
        async cleanup() {
          for (const s of stores) await s.close();
        },
      };
    },
  },
  {
    name: 'postgres',
    async open() {
      const schema = `qs_${randomBytes(5).toString('hex')}`;
      const url = `${PG_URL}${PG_URL!.includes('?') ? '&' : '?'}schema=${schema}`;
      const stores: Store[] = [await openStore({ dataDir: tempDir(), url })];
      return {
        store: stores[0]!,
        dir: '',
        async reopen() {
          const s = await openStore({ dataDir: tempDir(), url });
          stores.push(s);
          return s;
        },
        async cleanup() {
          for (const s of stores) await s.close();
          const c = new pg.Client({ connectionString: PG_URL });
          await c.connect();
          await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await c.end();
        },
      };
    },
  },
];

async function insert(store: Store, id: string, value: string | null): Promise<void> {
  await sql`insert into t_secrets (id, secret) values (${id}, ${value})`.execute(store.db);
}
async function read(store: Store, id: string): Promise<string> {
  const r = await sql<{ secret: string }>`select secret from t_secrets where id = ${id}`.execute(store.db);
  return r.rows[0]!.secret;
}

describe('secret keyring (sqlite)', () => {
  test('round trip: each seal has its own data key, names its key, and opens only for its record', async () => {
    const { store, cleanup } = await dialects[0]!.open();
    try {
      await prepare(store);
      const k = await SecretKeyring.open(store.db, masters(keyB64()), { columns: [COLUMN] });
      const a = await k.seal('s3cret-value', ctx('a'));
      const b = await k.seal('s3cret-value', ctx('a'));
      assert.notEqual(a, b, 'a fresh data key and iv every time');
      assert.ok(a.startsWith(`qse1.${k.activeKeyId}.`));
      assert.ok(!a.includes(Buffer.from('s3cret-value').toString('base64url')));
      assert.equal(await k.open(a, ctx('a')), 's3cret-value');
      assert.equal(await k.open(await k.seal('', ctx('e')), ctx('e')), '');
      const long = 'ü'.repeat(100_000);
      assert.equal(await k.open(await k.seal(long, ctx('l')), ctx('l')), long);
    } finally {
      await cleanup();
    }
  });

  test('tampered ciphertext, iv, wrapped key, key id or AAD is refused, never decrypted into garbage', async () => {
    const { store, cleanup } = await dialects[0]!.open();
    try {
      await prepare(store);
      const k = await SecretKeyring.open(store.db, masters(keyB64()), { columns: [COLUMN] });
      const sealed = await k.seal('the secret', ctx('a'));
      const parts = sealed.split('.');
      const flip = (i: number) => {
        const p = [...parts];
        const bytes = Buffer.from(p[i]!, 'base64url');
        bytes[bytes.length >> 1]! ^= 0x01;
        p[i] = bytes.toString('base64url');
        return p.join('.');
      };
      for (const [what, bad] of [
        ['wrapped data key', flip(2)],
        ['iv', flip(3)],
        ['ciphertext', flip(4)],
        ['unknown key id', ['qse1', 'kek-0000000000000000', ...parts.slice(2)].join('.')],
        ['truncated', sealed.slice(0, -4)],
        ['not an envelope', 'plain text'],
        ['extra part', `${sealed}.AA`],
      ] as const) {
        await assert.rejects(k.open(bad, ctx('a')), SecretDecryptError, what);
      }
      await assert.rejects(k.open(sealed, ctx('b')), SecretDecryptError, 'another record’s context');
      await assert.rejects(k.open(sealed, sealContext('t_other', 'secret', 'a')), SecretDecryptError, 'another column');
      assert.equal(await k.open(sealed, ctx('a')), 'the secret');
    } finally {
      await cleanup();
    }
  });

  test('the wrong master key is a clear startup error, for the keyring and for secrets sealed before it existed', async () => {
    const { store, cleanup } = await dialects[0]!.open();
    try {
      await prepare(store);
      const right = keyB64();
      await SecretKeyring.open(store.db, masters(right), { columns: [COLUMN] });
      const wrong = masters(keyB64());
      await assert.rejects(SecretKeyring.open(store.db, wrong, { columns: [COLUMN] }), (e: Error) => {
        assert.ok(e instanceof KeyringStartupError);
        assert.match(e.message, new RegExp(`wrapped with master key ${masters(right).current.id}, but QUARRY_MASTER_KEY holds ${wrong.current.id}`));
        assert.ok(!e.message.includes(right), 'never the key itself');
        return true;
      });
      // Same id (a key file edited to another key is impossible: ids are fingerprints), but a forged keyring row is refused too.
      await sql`update secret_keys set wrapped = ${randomBytes(60).toString('base64url')}`.execute(store.db);
      await assert.rejects(SecretKeyring.open(store.db, masters(right)), /failed authentication/);
    } finally {
      await cleanup();
    }
    const fresh = await dialects[0]!.open();
    try {
      await prepare(fresh.store);
      const legacyKey = randomBytes(32);
      await insert(fresh.store, 'old', legacySeal(legacyKey, 'from-before'));
      await assert.rejects(SecretKeyring.open(fresh.store.db, masters(keyB64()), { columns: [COLUMN] }), (e: Error) => e instanceof KeyringStartupError && /does not open the secrets already in t_secrets\.secret/.test(e.message));
      const n = await sql<{ n: number }>`select count(*) as n from secret_keys`.execute(fresh.store.db);
      assert.equal(Number(n.rows[0]!.n), 0, 'a wrong key leaves no keyring behind that the right one could not open');
      const k = await SecretKeyring.open(fresh.store.db, masters(legacyKey.toString('base64')), { columns: [COLUMN] });
      assert.equal(await k.open(await read(fresh.store, 'old'), ctx('old')), 'from-before');
    } finally {
      await fresh.cleanup();
    }
  });

  test('start seals plaintext and earlier-format rows; nothing secret is left in the SQLite file', async () => {
    const { store, dir, cleanup } = await dialects[0]!.open();
    try {
      await prepare(store);
      const master = randomBytes(32);
      const secrets = Array.from({ length: 50 }, (_, i) => `PLAINTEXT-SECRET-${i}-${randomBytes(6).toString('hex')}`);
      for (const [i, s] of secrets.entries()) await insert(store, `r${String(i).padStart(3, '0')}`, i % 2 ? legacySeal(master, s) : s);
      await insert(store, 'none', null);
      const k = await SecretKeyring.open(store.db, masters(master.toString('base64')), { columns: [COLUMN] });
      for (const [i, s] of secrets.entries()) {
        const id = `r${String(i).padStart(3, '0')}`;
        const v = await read(store, id);
        assert.ok(v.startsWith('qse1.'), id);
        assert.equal(await k.open(v, ctx(id)), s);
      }
      assert.equal(await read(store, 'none'), null);
      // Push everything out of the WAL and free pages into the file the bytes are checked in.
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(store.db);
      await sql`vacuum`.execute(store.db);
      await store.close();
      const bytes = Buffer.concat([readFileSync(join(dir, 'quarry.db')), ...['-wal', '-shm'].map((s) => safeRead(join(dir, `quarry.db${s}`)))]);
      for (const s of secrets) assert.equal(bytes.indexOf(Buffer.from(s)), -1, `${s} is in the database file`);
      assert.equal(bytes.indexOf(master), -1, 'the master key is not in the database');
    } finally {
      await cleanup().catch(() => {});
    }
  });

  test('the master key can change: keyring keys under the old one move to the new one at start', async () => {
    const { store, cleanup } = await dialects[0]!.open();
    try {
      await prepare(store);
      const oldKey = keyB64();
      const newKey = keyB64();
      const k1 = await SecretKeyring.open(store.db, masters(oldKey), { columns: [COLUMN] });
      await insert(store, 'a', await k1.seal('kept', ctx('a')));
      await SecretKeyring.open(store.db, masters(newKey, oldKey), { columns: [COLUMN] });
      const k3 = await SecretKeyring.open(store.db, masters(newKey), { columns: [COLUMN] });
      assert.equal(await k3.open(await read(store, 'a'), ctx('a')), 'kept');
      await assert.rejects(SecretKeyring.open(store.db, masters(oldKey)), KeyringStartupError);
    } finally {
      await cleanup();
    }
  });

  test('a key file is generated 0600 on first start and reused; a configured file must exist', () => {
    const dir = tempDir();
    const first = loadMasterKeys({ dataDir: dir, env: {} });
    assert.equal(first.generatedFile, join(dir, 'master.key'));
    assert.equal(statSync(join(dir, 'master.key')).mode & 0o777, 0o600);
    const again = loadMasterKeys({ dataDir: dir, env: {} });
    assert.equal(again.generatedFile, undefined);
    assert.equal(again.current.id, first.current.id);
    assert.throws(() => loadMasterKeys({ dataDir: dir, keyFile: join(dir, 'missing.key'), env: {} }), /does not exist/);
    assert.throws(() => loadMasterKeys({ dataDir: dir, env: { QUARRY_MASTER_KEY: 'c2hvcnQ=' } }), /master key 1 is not 32 bytes/);
    const env = loadMasterKeys({ dataDir: dir, env: { QUARRY_MASTER_KEY: first.current.key.toString('base64') } });
    assert.equal(env.current.id, first.current.id);
  });
});

for (const d of dialects) {
  describe(`keyring rotation (${d.name})`, { skip: d.name === 'postgres' && !PG_URL ? 'QUARRY_TEST_PG_URL is not set' : false }, () => {
    test('rotation re-wraps every record while two replicas keep reading and writing, without one failure', async () => {
      const { store, reopen, cleanup } = await d.open();
      try {
        await prepare(store);
        const master = masters(keyB64());
        const opts = { columns: [COLUMN], refreshMs: 100 };
        const a = await SecretKeyring.open(store.db, master, opts);
        const other = await reopen();
        const b = await SecretKeyring.open(other.db, master, opts);
        const expected = new Map<string, string>();
        for (let i = 0; i < 300; i++) {
          const id = `s${String(i).padStart(4, '0')}`;
          const plain = `secret-${i}-${randomBytes(4).toString('hex')}`;
          expected.set(id, plain);
          await insert(store, id, await a.seal(plain, ctx(id)));
        }
        const oldKey = a.activeKeyId;
        let stop = false;
        let reads = 0;
        let writes = 0;
        const failures: string[] = [];
        // Replica B serves: it reads secrets (some re-wrapped, some not yet) and stores new ones, the whole time.
        const serve = (async () => {
          const ids = [...expected.keys()];
          while (!stop) {
            for (const replica of [b, a]) {
              const id = ids[reads % ids.length]!;
              const db = replica === b ? other.db : store.db;
              const r = await sql<{ secret: string }>`select secret from t_secrets where id = ${id}`.execute(db);
              try {
                if ((await replica.open(r.rows[0]!.secret, ctx(id))) !== expected.get(id)) failures.push(`${id}: wrong value`);
              } catch (e) {
                failures.push(`${id}: ${(e as Error).message}`);
              }
              reads++;
            }
            if (reads % 10 === 0) {
              const id = `w${String(writes++).padStart(4, '0')}`;
              const plain = `written-during-rotation-${writes}`;
              await sql`insert into t_secrets (id, secret) values (${id}, ${await b.seal(plain, ctx(id))})`.execute(other.db);
              expected.set(id, plain);
            }
            await new Promise((r) => setImmediate(r));
          }
        })();
        const report = await rotateKeyring(a, { batchSize: 25, settleMs: 400 });
        stop = true;
        await serve;
        assert.deepEqual(failures, []);
        assert.ok(reads > 50, `reads went on during the rotation (${reads})`);
        assert.ok(writes > 0, 'writes went on during the rotation');
        assert.equal(report.previousKeyId, oldKey);
        assert.notEqual(report.activeKeyId, oldKey);
        assert.equal(report.retired, true);
        assert.ok(report.rewrapped['t_secrets.secret']! >= 300);
        const rows = await sql<{ id: string; secret: string }>`select id, secret from t_secrets`.execute(store.db);
        for (const r of rows.rows) {
          assert.ok(r.secret.startsWith(`qse1.${report.activeKeyId}.`), `${r.id} is under the new key`);
          assert.equal(await b.open(r.secret, ctx(r.id)), expected.get(r.id));
        }
        const status = await keyringStatus(a);
        const old = status.keys.find((k) => k.keyId === oldKey)!;
        assert.equal(old.state, 'retired');
        assert.equal(old.records, 0);
        const retiredRow = await sql<{ wrapped: string }>`select wrapped from secret_keys where id = ${oldKey}`.execute(store.db);
        assert.equal(retiredRow.rows[0]!.wrapped, '', 'a retired key’s material is erased');
        assert.equal(status.activeKeyId, report.activeKeyId);
        // B picks up the new active key for what it seals next.
        await new Promise((r) => setTimeout(r, 150));
        assert.ok((await b.seal('x', ctx('x'))).startsWith(`qse1.${report.activeKeyId}.`));
      } finally {
        await cleanup();
      }
    });

    test('two rotations at once: one wins, the other is refused; an interrupted rotation is finished by the next', async () => {
      const { store, reopen, cleanup } = await d.open();
      try {
        await prepare(store);
        const master = masters(keyB64());
        const a = await SecretKeyring.open(store.db, master, { columns: [COLUMN], refreshMs: 50 });
        // SQLite serves one process (one connection); PostgreSQL replicas each have their own pool.
        const bStore = d.name === 'sqlite' ? store : await reopen();
        const b = await SecretKeyring.open(bStore.db, master, { columns: [COLUMN], refreshMs: 50 });
        for (let i = 0; i < 20; i++) await insert(store, `s${i}`, await a.seal(`v${i}`, ctx(`s${i}`)));
        const results = await Promise.allSettled([rotateKeyring(a, { settleMs: 50 }), rotateKeyring(b, { settleMs: 50 })]);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        // Either one refused, or the second found the first's rotation under way and finished it with it.
        assert.ok(won.length >= 1);
        for (const l of lost) assert.match((l.reason as Error).message, /Another rotation|rotated|try again/);
        const live = await sql<{ state: string }>`select state from secret_keys where state != 'retired'`.execute(store.db);
        assert.deepEqual(live.rows.map((r) => r.state), ['active']);
        // Interrupted: the switch happened, the re-wrap did not.
        const fresh = a.newWrappedKey();
        const prior = await sql<{ id: string }>`select id from secret_keys where state = 'active'`.execute(store.db);
        await sql`update secret_keys set state = 'retiring' where state = 'active'`.execute(store.db);
        await sql`insert into secret_keys (id, state, master_key_id, wrapped, created_at) values (${fresh.id}, 'active', ${fresh.masterKeyId}, ${fresh.wrapped}, ${new Date().toISOString()})`.execute(store.db);
        const resumed = await rotateKeyring(a, { settleMs: 10 });
        assert.equal(resumed.resumed, true);
        assert.equal(resumed.activeKeyId, fresh.id);
        assert.equal(resumed.previousKeyId, prior.rows[0]!.id);
        for (let i = 0; i < 20; i++) assert.equal(await b.open(await read(store, `s${i}`), ctx(`s${i}`)), `v${i}`);
      } finally {
        await cleanup();
      }
    });
  });
}

function legacySeal(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return ['v1', iv.toString('base64'), c.getAuthTag().toString('base64'), body.toString('base64')].join('.');
}

function safeRead(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch {
    return Buffer.alloc(0);
  }
}
