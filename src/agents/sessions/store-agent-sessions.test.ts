import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { openDialectStore } from '../../../test/support/open-dialect-store.js';
import type { Message } from '../../core/index.js';
import { migrate } from '../../store/index.js';
import type { AgentDefinition } from '../orchestration/agent-definition.js';
import { agentMigrations } from '../tables.js';
import { StoreAgentMemory } from './store-agent-memory.js';
import { StoreAgentSessions } from './store-agent-sessions.js';

/**
 * Sessions and memory in the store, as several replicas share them: two StoreAgentSessions on one database stand for
 * two replicas. PostgreSQL too when QUARRY_TEST_PG_URL is set.
 */
const PG_URL = process.env.QUARRY_TEST_PG_URL;
const agent = { actionGroups: [] } as unknown as AgentDefinition;
const ref = (sessionId: string, accountId = '000000000000') => ({ accountId, agentId: 'AGENT00001', aliasId: 'TSTALIASID', sessionId });
const TTL = 600_000;

const open = (dialect: 'sqlite' | 'postgres', dir: string) => openDialectStore(dialect, dir, PG_URL, 'quarry_sess');

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`agent sessions and memory on ${dialect}`, { skip: dialect === 'postgres' && !PG_URL ? 'set QUARRY_TEST_PG_URL to run against PostgreSQL' : false }, () => {
    const dir = mkdtempSync(join(tmpdir(), `quarry-agent-sessions-${dialect}-`));
    let opened: Awaited<ReturnType<typeof open>> | undefined;
    let clock = Date.parse('2026-11-23T10:00:00Z');
    const now = () => clock;
    const db = async () => {
      if (!opened) {
        opened = await open(dialect, dir);
        await migrate(opened.store.db, agentMigrations);
      }
      return opened.store.db;
    };
    after(async () => {
      await opened?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    test('a session saved by one replica goes on on another, with its history and attributes', async () => {
      const a = new StoreAgentSessions(await db(), { now });
      const b = new StoreAgentSessions(await db(), { now });
      const first = await a.acquire(ref('s-1'), TTL, agent);
      assert.equal(first.session.history.length, 0);
      const turn: Message[] = [
        { role: 'user', content: [{ text: 'Where is order 7?' }] },
        { role: 'assistant', content: [{ text: 'Shipped.' }] },
      ];
      first.session.history.push(...turn);
      first.session.sessionAttributes = { customer: 'c-42' };
      await first.save();
      const second = await b.acquire(ref('s-1'), TTL, agent);
      assert.equal(second.session.history.length, 2);
      assert.deepEqual(second.session.sessionAttributes, { customer: 'c-42' });
      await second.end();
      const fresh = await a.acquire(ref('s-1'), TTL, agent);
      assert.deepEqual(fresh.session.history, [], 'endSession forgot it');
      await fresh.save();
    });

    test('one invocation at a time per session, across replicas; other sessions and accounts are apart', async () => {
      const a = new StoreAgentSessions(await db(), { now });
      const b = new StoreAgentSessions(await db(), { now });
      const held = await a.acquire(ref('s-2'), TTL, agent);
      await assert.rejects(b.acquire(ref('s-2'), TTL, agent), { code: 'ConflictException' });
      const other = await b.acquire(ref('s-2', '111122223333'), TTL, agent);
      assert.deepEqual(other.session.history, [], "another account's session of the same id is its own");
      await other.save();
      held.session.history.push({ role: 'user', content: [{ text: 'hi' }] });
      await held.save();
      const again = await b.acquire(ref('s-2'), TTL, agent);
      assert.equal(again.session.history.length, 1);
      await again.save();
    });

    test('a replica that dies holding a session loses it when its lease runs out, and its late save changes nothing', async () => {
      const dead = new StoreAgentSessions(await db(), { now, leaseMs: 30_000 });
      const live = new StoreAgentSessions(await db(), { now, leaseMs: 30_000 });
      const stale = await dead.acquire(ref('s-3'), TTL, agent);
      stale.session.history.push({ role: 'user', content: [{ text: 'from the dead replica' }] });
      await assert.rejects(live.acquire(ref('s-3'), TTL, agent), { code: 'ConflictException' });
      clock += 31_000;
      const taken = await live.acquire(ref('s-3'), TTL, agent);
      taken.session.history.push({ role: 'user', content: [{ text: 'from the live one' }] });
      await taken.save();
      await stale.save();
      const check = await live.acquire(ref('s-3'), TTL, agent);
      assert.deepEqual(
        check.session.history.map((m) => (m.content[0] as { text: string }).text),
        ['from the live one'],
      );
      await check.save();
    });

    test('a session idle past its TTL starts over', async () => {
      const s = new StoreAgentSessions(await db(), { now });
      const held = await s.acquire(ref('s-4'), 60_000, agent);
      held.session.history.push({ role: 'user', content: [{ text: 'old' }] });
      await held.save();
      clock += 61_000;
      const later = await s.acquire(ref('s-4'), 60_000, agent);
      assert.deepEqual(later.session.history, []);
      await later.save();
    });

    test('memory: summaries per memory id, newest last, capped, expired by storage days, deleted on request', async () => {
      const a = new StoreAgentMemory(await db(), { now, maxPerMemory: 3 });
      const b = new StoreAgentMemory(await db(), { now, maxPerMemory: 3 });
      const m = { accountId: '000000000000', agentId: 'AGENT00001', memoryId: 'mem-1' };
      for (let i = 1; i <= 4; i++) {
        clock += 1000;
        await a.add(m, { sessionId: `s-${i}`, summary: `summary ${i}` });
      }
      clock += 1000;
      await a.add(m, { sessionId: 's-3', summary: 'summary 3, revised' });
      assert.deepEqual(
        (await b.recent(m, 30, 10)).map((s) => s.summary),
        ['summary 2', 'summary 4', 'summary 3, revised'],
      );
      assert.deepEqual(
        (await b.recent(m, 30, 2)).map((s) => s.sessionId),
        ['s-4', 's-3'],
      );
      assert.deepEqual(await b.recent({ ...m, accountId: '111122223333' }, 30, 10), [], "another account's memory of the same id is empty");
      clock += 31 * 86_400_000;
      assert.deepEqual(await b.recent(m, 30, 10), [], 'older than the storage days');
      await a.add(m, { sessionId: 's-9', summary: 'summary 9' });
      await b.delete(m);
      assert.deepEqual(await a.recent(m, 30, 10), []);
    });
  });
}
