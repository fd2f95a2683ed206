import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { openDialectStore } from '../../test/support/open-dialect-store.js';
import { migrate } from '../store/index.js';
import { responseMigrations } from './response-tables.js';
import { type StoredResponse, StoredResponses, type StoredResponsesOptions } from './stored-responses.js';

/** Stored responses on both dialects: PostgreSQL too when QUARRY_TEST_PG_URL is set. */
const PG_URL = process.env.QUARRY_TEST_PG_URL;
const ME = '000000000000';
const OTHER = '111111111111';

const open = (dialect: 'sqlite' | 'postgres', dir: string) => openDialectStore(dialect, dir, PG_URL, 'quarry_resp');

const response = (id: string, previous: string | null, said: string): StoredResponse => ({
  id,
  previousResponseId: previous,
  createdAt: 1_790_000_000,
  input: [{ id: `msg_in_${id}`, type: 'message', role: 'user', content: said }],
  response: { id, object: 'response', output: [{ id: `msg_out_${id}`, type: 'message', content: [{ type: 'output_text', text: `You said: ${said}` }] }] },
});

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`stored responses on ${dialect}`, { skip: dialect === 'postgres' && !PG_URL ? 'set QUARRY_TEST_PG_URL to run against PostgreSQL' : false }, () => {
    const dir = mkdtempSync(join(tmpdir(), `quarry-responses-${dialect}-`));
    let opened: Awaited<ReturnType<typeof open>> | undefined;
    // The fixtures are created 2026-09-21; these tests read them a day later, with the default 30 days' retention.
    const responses = async (opts: StoredResponsesOptions = { now: () => 1_790_086_400_000 }) => {
      if (!opened) {
        opened = await open(dialect, dir);
        await migrate(opened.store.db, responseMigrations);
      }
      return new StoredResponses(opened.store.db, opts);
    };
    after(async () => {
      await opened?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    test('a chain reads back oldest first, input before output; another account sees none of it', async () => {
      const r = await responses();
      await r.put(ME, response('resp_a', null, 'one'));
      await r.put(ME, response('resp_b', 'resp_a', 'two'));
      await r.put(ME, response('resp_c', 'resp_b', 'three'));
      const got = await r.get(ME, 'resp_b');
      assert.deepEqual(got, response('resp_b', 'resp_a', 'two'));
      assert.deepEqual(
        ((await r.history(ME, 'resp_c')) as { id: string }[]).map((i) => i.id),
        ['msg_in_resp_a', 'msg_out_resp_a', 'msg_in_resp_b', 'msg_out_resp_b', 'msg_in_resp_c', 'msg_out_resp_c'],
      );
      assert.deepEqual([...(await r.items(ME, ['msg_out_resp_a', 'msg_in_resp_c', 'msg_none'])).keys()].sort(), ['msg_in_resp_c', 'msg_out_resp_a']);

      assert.equal(await r.get(OTHER, 'resp_b'), undefined);
      assert.equal(await r.history(OTHER, 'resp_c'), undefined);
      assert.equal((await r.items(OTHER, ['msg_out_resp_a'])).size, 0);
      assert.equal(await r.delete(OTHER, 'resp_a'), false);
      assert.ok(await r.get(ME, 'resp_a'), "another account's delete removed nothing");
    });

    test('delete removes the response and its items; the chain then starts after it', async () => {
      const r = await responses();
      assert.equal(await r.delete(ME, 'resp_a'), true);
      assert.equal(await r.delete(ME, 'resp_a'), false);
      assert.equal(await r.get(ME, 'resp_a'), undefined);
      assert.equal((await r.items(ME, ['msg_in_resp_a', 'msg_out_resp_a'])).size, 0);
      assert.deepEqual(
        ((await r.history(ME, 'resp_c')) as { id: string }[]).map((i) => i.id),
        ['msg_in_resp_b', 'msg_out_resp_b', 'msg_in_resp_c', 'msg_out_resp_c'],
      );
      assert.equal(await r.history(ME, 'resp_a'), undefined);
    });

    test('past the retention a response reads as gone at once, and the sweep deletes its rows', async () => {
      const created = 1_790_000_000_000;
      const day = 86_400_000;
      let clock = created + 10 * day;
      const weekly = await responses({ retentionDays: 7, now: () => clock });
      const forever = await responses({ retentionDays: 0 });
      await weekly.put(ME, response('resp_old', null, 'old'));
      await weekly.put(ME, { ...response('resp_new', null, 'new'), createdAt: (created + 5 * day) / 1000 });
      assert.ok(await weekly.get(ME, 'resp_new'), 'created 5 days ago, kept 7');
      assert.equal(await weekly.get(ME, 'resp_old'), undefined, 'created 10 days ago, kept 7');
      assert.equal((await weekly.items(ME, ['msg_out_resp_old'])).size, 0);
      assert.equal(await weekly.history(ME, 'resp_old'), undefined);
      assert.ok(await forever.get(ME, 'resp_old'), 'still stored until the sweep');
      clock += 1;
      await weekly.sweep(true);
      assert.equal(await forever.get(ME, 'resp_old'), undefined);
      assert.equal((await forever.items(ME, ['msg_in_resp_old', 'msg_out_resp_old'])).size, 0);
      assert.ok(await forever.get(ME, 'resp_new'), 'younger responses stay');
      assert.equal((await forever.items(ME, ['msg_out_resp_new'])).size, 1);
      await forever.sweep(true);
      assert.ok(await forever.get(ME, 'resp_new'), 'retention 0 sweeps nothing');
    });

    test('a response with many items is written in batches', async () => {
      const r = await responses();
      const big = response('resp_big', null, 'x');
      big.input = Array.from({ length: 450 }, (_, i) => ({ id: `msg_big_${i}` }));
      await r.put(ME, big);
      assert.equal((await r.history(ME, 'resp_big'))?.length, 451);
    });
  });
}
