import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { silentLogger } from '../../core/index.js';
import { dropPrefix, REDIS_SKIP, testPrefix, testRedis } from '../../quotas/redis-test-kit.js';
import type { Budget } from './budget.js';
import { periodWindow } from './budget-period.js';
import { RedisBudgetCounter } from './redis-budget-counter.js';

const prefix = testPrefix();
let redis: ReturnType<typeof testRedis>;
before(() => {
  if (!REDIS_SKIP) redis = testRedis();
});
after(async () => {
  if (!redis) return;
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

let n = 0;
function budget(action: Budget['action'], amountUsd: number, routeModelId?: string): Budget {
  const at = new Date().toISOString();
  return { id: `b${++n}`, accountId: '000000000000', name: `b${n}`, amountUsd, period: 'DAILY', scope: { type: 'account', value: '', label: '' }, thresholds: [], action, routeModelId, createdAt: at, updatedAt: at };
}
const window = periodWindow('DAILY', new Date());
const entry = (b: Budget, seedUsd = 0, routedWorstUsd = 0) => ({ budget: b, window, action: b.action, routedWorstUsd, seedUsd });

test('DENY refuses once spent plus reserved reaches the amount, whichever replica reserved', { skip: REDIS_SKIP }, async () => {
  const one = new RedisBudgetCounter({ redis, keyPrefix: prefix, log: silentLogger });
  const two = new RedisBudgetCounter({ redis, keyPrefix: prefix, log: silentLogger });
  try {
    const b = budget('DENY', 1);
    const r1 = await one.reserve([entry(b)], 0.6);
    assert.equal(r1.ok, true);
    const r2 = await two.reserve([entry(b)], 0.6);
    assert.equal(r2.ok, true, 'committed 0.6 < 1: admitted (the overshoot is at most this one request)');
    const r3 = await one.reserve([entry(b)], 0.1);
    assert.deepEqual(r3.ok ? r3 : { ...r3, committedUsd: Math.round(r3.committedUsd * 100) / 100 }, { ok: false, index: 0, committedUsd: 1.2 });
    // Settling swaps the reservation for the (smaller) actual cost: room again.
    let spent: number[] = [];
    if (r1.ok) one.settle([{ budget: b, window }], r1.id, 0.1, false, (s) => (spent = s));
    if (r2.ok) two.settle([{ budget: b, window }], r2.id, 0, true, () => undefined);
    await one.flush();
    await two.flush();
    assert.ok(Math.abs(spent[0]! - 0.1) < 1e-9, String(spent));
    const s = await two.sync(b, window, 0);
    assert.ok(Math.abs(s.spentUsd - 0.1) < 1e-9 && s.reservedUsd === 0, JSON.stringify(s));
  } finally {
    await one.close();
    await two.close();
  }
});

test('ROUTE reserves the routed model worst case; a DENY later in the list still refuses', { skip: REDIS_SKIP }, async () => {
  const c = new RedisBudgetCounter({ redis, keyPrefix: prefix, log: silentLogger });
  try {
    const route = budget('ROUTE', 1, 'm.cheap');
    const deny = budget('DENY', 5);
    const r = await c.reserve([entry(route, 2, 0.01), entry(deny, 1)], 0.5);
    assert.ok(r.ok && r.route === 0 && Math.abs(r.worstUsd - 0.01) < 1e-12, JSON.stringify(r));
    const denied = await c.reserve([entry(route, 2, 0.01), entry(budget('DENY', 1), 3)], 0.5);
    assert.equal(denied.ok ? -1 : denied.index, 1);
  } finally {
    await c.close();
  }
});

test('a replica that dies without settling frees its reservations when their lease lapses', { skip: REDIS_SKIP }, async () => {
  const dying = new RedisBudgetCounter({ redis, keyPrefix: prefix, leaseMs: 300, log: silentLogger });
  const alive = new RedisBudgetCounter({ redis, keyPrefix: prefix, leaseMs: 300, log: silentLogger });
  const b = budget('DENY', 1);
  try {
    assert.equal((await dying.reserve([entry(b)], 0.9)).ok, true);
    // Renewed while the replica lives: still reserved well past one lease.
    await new Promise((r) => setTimeout(r, 700));
    assert.ok((await alive.sync(b, window, 0)).reservedUsd > 0.8);
    await dying.close();
    await new Promise((r) => setTimeout(r, 700));
    assert.equal((await alive.sync(b, window, 0)).reservedUsd, 0);
    assert.equal((await alive.reserve([entry(b)], 0.9)).ok, true);
  } finally {
    await dying.close();
    await alive.close();
  }
});
