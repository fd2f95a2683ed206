import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { migrate, openStore, type Store } from '../store/index.js';
import type { CreateGuardrailInput } from './guardrail-request-schema.js';
import { GuardrailModule } from './guardrail-module.js';
import { guardrailMigrations } from './guardrail-tables.js';

const PG_URL = process.env.QUARRY_TEST_PG_URL;
const A = '111111111111';
const B = '222222222222';

const base = (words: string[]): CreateGuardrailInput => ({
  name: 'g1',
  blockedInputMessaging: 'no',
  blockedOutputsMessaging: 'no!',
  wordPolicyConfig: { wordsConfig: words.map((text) => ({ text })) },
});
const ask = (t: string) => ({ source: 'INPUT' as const, content: [{ text: { text: t } }] });

/** The resources and the engine's cache over a real store: SQLite always, PostgreSQL when QUARRY_TEST_PG_URL is set. */
for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`guardrails on ${dialect}`, { skip: dialect === 'postgres' && !PG_URL ? 'set QUARRY_TEST_PG_URL to run against PostgreSQL' : false }, () => {
    let store: Store;
    let dir: string;
    let dropDb: (() => Promise<void>) | undefined;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'quarry-guardrails-'));
      let url: string | undefined;
      if (dialect === 'postgres') {
        const name = `quarry_g_${randomBytes(6).toString('hex')}`;
        const admin = new pg.Client({ connectionString: PG_URL });
        await admin.connect();
        await admin.query(`CREATE DATABASE ${name}`);
        const u = new URL(PG_URL!);
        u.pathname = `/${name}`;
        url = u.toString();
        dropDb = async () => {
          await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await admin.end();
        };
      }
      store = await openStore({ dataDir: dir, url });
      await migrate(store.db, guardrailMigrations);
    });
    after(async () => {
      await store?.close();
      await dropDb?.();
      rmSync(dir, { recursive: true, force: true });
    });

    test('a DRAFT update applies at once here, and within the revalidation interval on another replica', async () => {
      const here = new GuardrailModule({ db: store.db, region: 'us-east-1', revalidateMs: 60_000 });
      const replica = new GuardrailModule({ db: store.db, region: 'us-east-1', revalidateMs: 0 });
      const { guardrailId } = await here.service.create(A, base(['alpha']));
      const ref = { guardrailIdentifier: guardrailId, guardrailVersion: 'DRAFT' };
      assert.equal((await here.engine.apply(A, ref, ask('alpha'))).blocked, true);
      assert.equal((await replica.engine.apply(A, ref, ask('alpha'))).blocked, true);

      await here.service.createVersion(A, guardrailId);
      await here.service.update(A, guardrailId, base(['beta']));
      assert.equal((await here.engine.apply(A, ref, ask('alpha'))).blocked, false);
      assert.equal((await here.engine.apply(A, ref, ask('beta'))).blocked, true);
      assert.equal((await replica.engine.apply(A, ref, ask('beta'))).blocked, true, 'the replica re-read the revision');

      // Version 1 is the snapshot taken before the update, whatever the DRAFT becomes.
      const v1 = { guardrailIdentifier: guardrailId, guardrailVersion: '1' };
      assert.equal((await here.engine.apply(A, v1, ask('alpha'))).blocked, true);
      assert.equal((await here.engine.apply(A, v1, ask('beta'))).blocked, false);

      await here.service.delete(A, guardrailId, '1');
      await assert.rejects(here.engine.apply(A, v1, ask('alpha')), { code: 'ResourceNotFoundException' });
      await assert.rejects(replica.engine.apply(A, v1, ask('alpha')), { code: 'ResourceNotFoundException' });
    });

    test('another account sees nothing: not found, never forbidden', async () => {
      const m = new GuardrailModule({ db: store.db, region: 'us-east-1' });
      const { guardrailId, guardrailArn } = await m.service.create(A, { ...base(['x']), name: 'private' });
      for (const identifier of [guardrailId, guardrailArn]) {
        await assert.rejects(m.service.get(B, identifier), { code: 'ResourceNotFoundException' });
        await assert.rejects(m.service.update(B, identifier, base(['y'])), { code: 'ResourceNotFoundException' });
        await assert.rejects(m.service.createVersion(B, identifier), { code: 'ResourceNotFoundException' });
        await assert.rejects(m.service.delete(B, identifier), { code: 'ResourceNotFoundException' });
        await assert.rejects(m.engine.apply(B, { guardrailIdentifier: identifier, guardrailVersion: 'DRAFT' }, ask('x')), { code: 'ResourceNotFoundException' });
      }
      assert.ok(!(await m.service.list(B, undefined, 100)).summaries.some((s) => s.id === guardrailId));
      // The same name is free in another account, taken in the same one.
      await m.service.create(B, { ...base(['x']), name: 'private' });
      await assert.rejects(m.service.create(A, { ...base(['x']), name: 'private' }), { code: 'ConflictException' });
      assert.equal((await m.service.get(A, guardrailId)).name, 'private');
    });

    test('concurrent CreateGuardrailVersion calls get distinct numbers', async () => {
      const m = new GuardrailModule({ db: store.db, region: 'us-east-1' });
      const { guardrailId } = await m.service.create(A, { ...base(['z']), name: 'versions' });
      const made = await Promise.all(Array.from({ length: 5 }, () => m.service.createVersion(A, guardrailId)));
      assert.deepEqual(made.map((v) => Number(v.version)).sort(), [1, 2, 3, 4, 5]);
    });
  });
}
