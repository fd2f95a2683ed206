import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { ask, budget, FakeProvider, fakeCatalog, model, routingConfig } from '../../test/routing/fake-provider.js';
import { QuarryError } from '../core/index.js';
import { ActiveHealth } from './active-health.js';
import { Router } from './router.js';
import { healthCheckFor, routingPolicySchema } from './routing-config.js';

/** A fake clock for the checker's timers: `advance` fires what falls due, in order, letting probes settle between. */
function fakeTimers() {
  let now = 0;
  const timers: { at: number; fn: () => void; live: boolean }[] = [];
  return {
    now: () => now,
    schedule(fn: () => void, ms: number) {
      const t = { at: now + ms, fn, live: true };
      timers.push(t);
      return () => {
        t.live = false;
      };
    },
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        await tick();
        const due = timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        due.live = false;
        now = due.at;
        due.fn();
      }
      now = end;
      await tick();
    },
  };
}

/** Model m on deployments da (provider a, first by priority) and db (provider b); a's probe does what `probeA` says. */
function setup(yaml: string, probeA: () => Promise<void>) {
  const a = Object.assign(new FakeProvider('a', [{ ok: 'a' }]), { probe: probeA });
  const b = Object.assign(new FakeProvider('b', [{ ok: 'b' }]), { probe: async () => undefined });
  const timers = fakeTimers();
  const router = new Router({
    catalog: fakeCatalog([model('m', { providerId: 'a' })], [a, b]),
    providers: [a, b],
    config: routingConfig(
      `models:
  - { id: m, provider: a }
${yaml}`,
      ['a', 'b'],
    ),
    preflight: async () => undefined,
    random: () => 0.5,
    sleep: async () => undefined,
    schedule: timers.schedule,
    wallClock: () => 1_700_000_000_000 + timers.now(),
  });
  return { a, b, router, timers, active: (id: string) => router.health().find((d) => d.id === id)?.active };
}

const TWO = `routing:
  healthCheck: { intervalMs: 1000, timeoutMs: 200, unhealthyThreshold: 2, healthyThreshold: 3 }
deployments:
  - { id: da, model: m, provider: a, priority: 0 }
  - { id: db, model: m, provider: b, priority: 1 }
`;

test('unhealthyThreshold failed probes take a deployment out, healthyThreshold good ones bring it back', async () => {
  let up = true;
  const { a, b, router, timers, active } = setup(TWO, async () => {
    if (!up) throw new QuarryError('ServiceUnavailableException', 'connection refused');
  });
  await router.startHealthChecks();
  await timers.advance(0);
  assert.equal(active('da')?.state, 'healthy', 'one good probe is enough from unknown');
  assert.equal(active('da')?.checks, 1);

  up = false;
  await timers.advance(1000);
  assert.equal(active('da')?.state, 'healthy', 'one failure is below the threshold');
  assert.equal(active('da')?.consecutiveFailures, 1);
  await timers.advance(1000);
  const h = active('da')!;
  assert.equal(h.state, 'unhealthy');
  assert.equal(h.lastError, 'connection refused');
  assert.equal(h.lastCheckAt, new Date(1_700_000_002_000).toISOString());

  // No client call failed, yet calls go to db.
  const route = await router.route('m');
  for (let i = 0; i < 3; i++) assert.match(JSON.stringify((await route.generate(ask('m'), budget())).value.message), /b: b/);
  assert.equal(a.calls, 0);
  assert.equal(b.calls, 3);
  assert.equal(router.health().find((d) => d.id === 'da')?.state, 'closed', 'the breaker saw nothing');

  up = true;
  await timers.advance(2000);
  assert.equal(active('da')?.state, 'unhealthy', 'two good probes are below the healthy threshold');
  assert.equal(active('da')?.consecutiveSuccesses, 2);
  await timers.advance(1000);
  assert.equal(active('da')?.state, 'healthy');
  assert.equal(active('da')?.lastError, 'connection refused', 'the last error stays for the operator');
  assert.match(JSON.stringify((await route.generate(ask('m'), budget())).value.message), /a: a/);
  router.close();
});

test('a probe that does not answer within timeoutMs fails, even when the provider ignores the abort', async () => {
  const { router, timers, active } = setup(TWO, () => new Promise<void>(() => undefined));
  await router.startHealthChecks();
  await timers.advance(200);
  assert.equal(active('da')?.consecutiveFailures, 1);
  assert.match(active('da')?.lastError ?? '', /longer than 200 ms/);
  // The next probe is scheduled an interval after the last one ended, never overlapping it.
  await timers.advance(1000);
  assert.equal(active('da')?.checks, 1);
  await timers.advance(200);
  assert.equal(active('da')?.state, 'unhealthy');
  router.close();
});

test('when every deployment fails its checks, the client is told so', async () => {
  const { router, timers } = setup(
    `routing:
  healthCheck: { intervalMs: 1000, unhealthyThreshold: 1 }
deployments:
  - { id: da, model: m, provider: a }
`,
    async () => {
      throw new Error('down');
    },
  );
  await router.startHealthChecks();
  await timers.advance(0);
  const route = await router.route('m');
  await assert.rejects(route.generate(ask('m'), budget()), (e: QuarryError) => e.code === 'ServiceUnavailableException' && /health checks/.test(e.message));
  router.close();
});

test('checks are off unless configured; a deployment can opt out of, or into, them', async () => {
  const off = setup(`deployments:\n  - { id: da, model: m, provider: a }\n`, async () => undefined);
  await off.router.startHealthChecks();
  await off.router.route('m');
  assert.equal(off.active('da'), undefined);

  const policy = routingPolicySchema.parse({ healthCheck: { intervalMs: 5000 } });
  assert.equal(healthCheckFor(policy, { healthCheck: false }), undefined);
  assert.deepEqual(healthCheckFor(policy, { healthCheck: { unhealthyThreshold: 1 } }), { intervalMs: 5000, timeoutMs: 2000, unhealthyThreshold: 1, healthyThreshold: 2 });
  assert.deepEqual(healthCheckFor(routingPolicySchema.parse({}), { healthCheck: {} }), { intervalMs: 10_000, timeoutMs: 2000, unhealthyThreshold: 3, healthyThreshold: 2 });
});

test('a closed checker records nothing more', async () => {
  let calls = 0;
  const { router, timers, active } = setup(TWO, async () => {
    calls++;
  });
  await router.startHealthChecks();
  await timers.advance(0);
  router.close();
  await timers.advance(5000);
  assert.equal(calls, 1, 'the first probe only, none after close');
  assert.equal(active('da')?.checks, 1);
});

test('ActiveHealth: a failure resets the run of successes towards recovery', () => {
  const h = new ActiveHealth({ intervalMs: 1, timeoutMs: 1, unhealthyThreshold: 1, healthyThreshold: 2 });
  h.record(1, 'x');
  assert.equal(h.inRotation, false);
  h.record(2);
  h.record(3, 'y');
  h.record(4);
  assert.equal(h.inRotation, false);
  h.record(5);
  assert.equal(h.inRotation, true);
});
