import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeProvider, model } from '../../test/routing/fake-provider.js';
import { Deployment, type DeploymentSpec } from './deployment.js';
import { bitOf, pickDeployment } from './pick-deployment.js';
import { routingPolicySchema } from './routing-config.js';

const policy = routingPolicySchema.parse({ breaker: { consecutiveFailures: 1, cooldownMs: 1000 } });

function dep(id: string, over: Partial<DeploymentSpec> = {}, now = () => 0): Deployment {
  const spec: DeploymentSpec = { id, model: model('m'), provider: new FakeProvider(id, []), weight: 1, priority: 0, costPer1k: 0, drained: false, ...over };
  return new Deployment(spec, policy.breaker, 0.5, now);
}
const fixed = (x: number) => () => x;

test('priority: the lowest number wins; equal priorities go to the one with fewer calls in flight', () => {
  const ds = [dep('a', { priority: 2 }), dep('b', { priority: 1 }), dep('c', { priority: 1 })];
  assert.equal(pickDeployment('priority', ds, 0, 0, Math.random), 1);
  ds[1]!.begin();
  assert.equal(pickDeployment('priority', ds, 0, 0, Math.random), 2);
  // Failover: with both priority-1 deployments excluded (tried), the priority-2 one is next.
  assert.equal(pickDeployment('priority', ds, bitOf(1) | bitOf(2), 0, Math.random), 0);
});

test('priority ties rotate with the turn counter when nothing else differs', () => {
  const ds = [dep('a'), dep('b'), dep('c')];
  const picks = [0, 1, 2, 3, 4, 5].map((turn) => pickDeployment('priority', ds, 0, turn, Math.random));
  assert.deepEqual(picks, [0, 1, 2, 0, 1, 2]);
});

test('least-outstanding picks the deployment with the fewest calls in flight', () => {
  const ds = [dep('a'), dep('b'), dep('c')];
  ds[0]!.begin();
  ds[0]!.begin();
  ds[2]!.begin();
  assert.equal(pickDeployment('least-outstanding', ds, 0, 0, Math.random), 1);
  ds[1]!.begin();
  ds[1]!.begin();
  assert.equal(pickDeployment('least-outstanding', ds, 0, 0, Math.random), 2);
});

test('lowest-latency explores an unmeasured deployment, then prefers the fastest, spreading a burst by calls in flight', () => {
  const ds = [dep('a'), dep('b')];
  ds[0]!.observeLatency(50);
  assert.equal(pickDeployment('lowest-latency', ds, 0, 0, Math.random), 1, 'b has no measurement yet');
  ds[1]!.observeLatency(20);
  assert.equal(pickDeployment('lowest-latency', ds, 0, 0, Math.random), 1);
  // Three calls waiting at b: 20 ms × 4 > 50 ms × 1.
  ds[1]!.begin();
  ds[1]!.begin();
  ds[1]!.begin();
  assert.equal(pickDeployment('lowest-latency', ds, 0, 0, Math.random), 0);
});

test('the latency average moves toward new samples by the smoothing factor', () => {
  const d = dep('a');
  d.observeLatency(100);
  d.observeLatency(200);
  assert.equal(d.latencyMs, 150);
});

test('lowest-cost picks the cheapest deployment', () => {
  const ds = [dep('a', { costPer1k: 3 }), dep('b', { costPer1k: 0.5 }), dep('c', { costPer1k: 1 })];
  assert.equal(pickDeployment('lowest-cost', ds, 0, 0, Math.random), 1);
  assert.equal(pickDeployment('lowest-cost', ds, bitOf(1), 0, Math.random), 2);
});

test('weighted: the random draw lands in proportion to weights, skipping excluded ones', () => {
  const ds = [dep('a', { weight: 1 }), dep('b', { weight: 3 })];
  assert.equal(pickDeployment('weighted', ds, 0, 0, fixed(0)), 0);
  assert.equal(pickDeployment('weighted', ds, 0, 0, fixed(0.24)), 0);
  assert.equal(pickDeployment('weighted', ds, 0, 0, fixed(0.26)), 1);
  assert.equal(pickDeployment('weighted', ds, 0, 0, fixed(0.999999)), 1);
  assert.equal(pickDeployment('weighted', ds, bitOf(1), 0, fixed(0.9)), 0);
  let seed = 7;
  const lcg = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  const counts = [0, 0];
  for (let i = 0; i < 4000; i++) counts[pickDeployment('weighted', ds, 0, i, lcg)]!++;
  assert.ok(counts[1]! / 4000 > 0.7 && counts[1]! / 4000 < 0.8, `b got ${counts[1]} of 4000`);
});

test('drained, full and open-breaker deployments are never picked; none left gives -1', () => {
  const ds = [dep('a', { drained: true }), dep('b', { capacity: 1 }), dep('c')];
  ds[1]!.begin();
  ds[2]!.begin();
  ds[2]!.end('failure'); // one failure opens c's breaker (consecutiveFailures: 1)
  for (const s of ['priority', 'least-outstanding', 'lowest-latency', 'weighted', 'lowest-cost'] as const) {
    assert.equal(pickDeployment(s, ds, 0, 0, Math.random), -1, s);
  }
  ds[1]!.end('ok');
  assert.equal(pickDeployment('priority', ds, 0, 0, Math.random), 1);
});
