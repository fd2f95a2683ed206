import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { silentLogger } from '../core/index.js';
import { migrate, openStore, type Store } from '../store/index.js';
import { DeploymentDrains, type DrainTarget } from './deployment-drains.js';
import { DrainStore } from './drain-store.js';
import { drainMigrations } from './drain-tables.js';

let store: Store;
before(async () => {
  store = await openStore({ dataDir: '.', url: 'sqlite::memory:' });
  await migrate(store.db, drainMigrations);
});
after(() => store.close());

/** A router's side of drains: which ids it knows, and the overrides it was last given. */
function target(ids: string[]): DrainTarget & { applied: ReadonlyMap<string, boolean> } {
  const t = {
    applied: new Map<string, boolean>() as ReadonlyMap<string, boolean>,
    knowsDeployment: async (id: string) => ids.includes(id),
    setDrainOverrides(o: ReadonlyMap<string, boolean>) {
      t.applied = o;
    },
  };
  return t;
}

test('a change applies at once where it is made, and reaches another replica on its next read', async () => {
  const here = target(['east', 'west']);
  const there = target(['east', 'west']);
  const a = new DeploymentDrains({ store: new DrainStore(store.db), router: here, refreshMs: 50, log: silentLogger });
  const b = new DeploymentDrains({ store: new DrainStore(store.db), router: there, refreshMs: 50, log: silentLogger });
  await Promise.all([a.start(), b.start()]);
  try {
    const saved = await a.set('east', true, 'ops');
    assert.deepEqual([saved.deploymentId, saved.drained, saved.updatedBy], ['east', true, 'ops']);
    assert.equal(here.applied.get('east'), true);
    for (let i = 0; there.applied.get('east') !== true; i++) {
      assert.ok(i < 200, 'the other replica never read the drain');
      await sleep(10);
    }
    await b.set('east', false, 'ops2');
    assert.equal(there.applied.get('east'), false, 'a restore is stored as an override too, so it beats a configured drain');
    assert.deepEqual(
      b.list().map((o) => [o.deploymentId, o.drained, o.updatedBy]),
      [['east', false, 'ops2']],
    );
  } finally {
    a.close();
    b.close();
  }
});

test('an id the router does not know is a ResourceNotFoundException, and nothing is stored', async () => {
  const d = new DeploymentDrains({ store: new DrainStore(store.db), router: target(['east']), refreshMs: 60_000, log: silentLogger });
  await assert.rejects(d.set('nowhere', true, 'ops'), (e: { name: string; message: string }) => e.name === 'ResourceNotFoundException' && /nowhere/.test(e.message));
  assert.equal((await new DrainStore(store.db).all()).some((o) => o.deploymentId === 'nowhere'), false);
});

test('a read that fails keeps the overrides last read; reads are applied in the order they began', async () => {
  const rows = [{ deploymentId: 'east', drained: true, updatedBy: 'ops', updatedAt: '2026-11-24T00:00:00.000Z' }];
  let fail = false;
  // The next read takes its snapshot, says so, then waits for the gate before answering.
  let gate: Promise<void> | undefined;
  let entered: (() => void) | undefined;
  const fake = {
    async all() {
      const snapshot = [...rows];
      const g = gate;
      gate = undefined;
      if (g) {
        entered?.();
        await g;
      }
      if (fail) throw new Error('connection lost');
      return snapshot;
    },
    async put(deploymentId: string, drained: boolean, updatedBy: string) {
      const o = { deploymentId, drained, updatedBy, updatedAt: '2026-11-24T00:00:01.000Z' };
      rows.splice(0, rows.length, o);
      return o;
    },
    async delete() {
      return rows.splice(0, rows.length).length > 0;
    },
  };
  const t = target(['east']);
  const d = new DeploymentDrains({ store: fake, router: t, refreshMs: 60_000, log: silentLogger });
  await d.start();
  fail = true;
  await assert.rejects(d.refresh(), /connection lost/);
  assert.equal(t.applied.get('east'), true);
  fail = false;

  // A periodic read that took its snapshot before a restore and answers after it must not undo the restore.
  gate = sleep(100);
  const inRead = new Promise<void>((r) => {
    entered = r;
  });
  const stale = d.refresh();
  await inRead;
  await d.set('east', false, 'ops');
  await stale;
  assert.equal(t.applied.get('east'), false);
  d.close();
});
