import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { silentLogger } from '../core/index.js';
import { dropPrefix, REDIS_SKIP, REDIS_URL, testPrefix, testRedis } from '../quotas/redis-test-kit.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { RedisBreakerSync } from './redis-breaker-sync.js';
import { routingPolicySchema } from './routing-config.js';

const policy = routingPolicySchema.parse({ breaker: { consecutiveFailures: 2, cooldownMs: 60_000 } }).breaker;

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (cond()) return;
    await sleep(20);
  }
  assert.fail(`timed out waiting until ${what}`);
}

/** Each replica: its own connection, as its own server would have, on one shared prefix. */
function replica(prefix: string) {
  const redis = new Redis(REDIS_URL!, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  const sync = new RedisBreakerSync({ redis, keyPrefix: prefix, log: silentLogger });
  return {
    redis,
    sync,
    async ready() {
      await redis.connect();
    },
    async stop() {
      await sync.close();
      redis.disconnect();
    },
  };
}

test('a breaker opened on one replica is open on the others, and on one that attaches later; a probe success closes them all', { skip: REDIS_SKIP }, async () => {
  const prefix = testPrefix();
  const [a, b] = [replica(prefix), replica(prefix)];
  await Promise.all([a.ready(), b.ready()]);
  const ca = clock();
  const cb = clock();
  const ba = new CircuitBreaker(policy, ca.now);
  const bb = new CircuitBreaker(policy, cb.now);
  const other = new CircuitBreaker(policy, cb.now);
  a.sync.attach('east', ba);
  b.sync.attach('east', bb);
  b.sync.attach('west', other);
  let c: ReturnType<typeof replica> | undefined;
  try {
    // Subscriptions are set up asynchronously; a transition published before b listens would be missed, so the test
    // waits until b's subscription is live (its connection says so).
    await until(() => (b.sync as unknown as { sub: Redis }).sub.status === 'ready', 'b subscribed');
    await sleep(100);
    ba.failure();
    ba.failure();
    assert.equal(ba.state, 'open');
    await until(() => bb.state === 'open', 'b sees east open');
    assert.equal(bb.available(), false);
    assert.equal(other.state, 'closed', 'only the failing deployment');
    assert.equal(bb.opened, 0, 'b counts only what it opened itself');

    // A replica that first routes to east during the cooldown finds it open from the key.
    c = replica(prefix);
    await c.ready();
    const bc = new CircuitBreaker(policy, clock().now);
    c.sync.attach('east', bc);
    await until(() => bc.state === 'open', 'a late replica sees east open');

    // a's cooldown passes; its probe succeeds; everyone closes (b's own cooldown has not passed).
    ca.advance(60_000);
    assert.equal(ba.state, 'half-open');
    ba.begin();
    ba.success();
    assert.equal(ba.state, 'closed');
    await until(() => bb.state === 'closed' && bc.state === 'closed', 'b and c see east closed');
    assert.equal(await a.redis.exists(`${prefix}open:east`), 0);
  } finally {
    await a.stop();
    await b.stop();
    await c?.stop();
    const r = testRedis();
    await dropPrefix(r, prefix);
    r.disconnect();
  }
});

test('junk on the channel is ignored', { skip: REDIS_SKIP }, async () => {
  const prefix = testPrefix();
  const a = replica(prefix);
  await a.ready();
  const b = new CircuitBreaker(policy, clock().now);
  a.sync.attach('east', b);
  const pub = testRedis();
  try {
    await until(() => (a.sync as unknown as { sub: Redis }).sub.status === 'ready', 'subscribed');
    await sleep(100);
    for (const junk of ['', 'nope', '{}', '{"from":"x","id":"east","state":"open","remainingMs":-1}', '{"from":"x","id":"east","state":"wide"}', '[1]']) {
      await pub.publish(`${prefix}events`, junk);
    }
    await pub.publish(`${prefix}events`, JSON.stringify({ from: 'x', id: 'east', state: 'open', remainingMs: 1000 }));
    await until(() => b.state === 'open', 'the one valid event applied');
  } finally {
    await a.stop();
    await dropPrefix(pub, prefix);
    pub.disconnect();
  }
});

test('Redis unreachable: breakers open and close on their own evidence, and nothing throws', async () => {
  const redis = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => undefined);
  const sync = new RedisBreakerSync({ redis, keyPrefix: 'x:', log: silentLogger });
  const c = clock();
  const b = new CircuitBreaker(policy, c.now);
  sync.attach('east', b);
  b.failure();
  b.failure();
  assert.equal(b.state, 'open');
  c.advance(60_000);
  b.begin();
  b.success();
  assert.equal(b.state, 'closed');
  await sleep(50);
  await sync.close();
  redis.disconnect();
});
