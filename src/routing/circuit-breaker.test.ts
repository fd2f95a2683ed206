import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CircuitBreaker } from './circuit-breaker.js';
import { routingPolicySchema } from './routing-config.js';

const policy = (over: Record<string, number> = {}) => routingPolicySchema.parse({ breaker: { cooldownMs: 1000, ...over } }).breaker;

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

test('opens after N consecutive failures, refuses during the cooldown, half-opens, and closes on a successful probe', () => {
  const c = clock();
  const b = new CircuitBreaker(policy({ consecutiveFailures: 3 }), c.now);
  b.failure();
  b.failure();
  assert.equal(b.state, 'closed');
  b.success(); // a success resets the run
  b.failure();
  b.failure();
  assert.equal(b.state, 'closed');
  b.failure();
  assert.equal(b.state, 'open');
  assert.equal(b.available(), false);
  c.advance(999);
  assert.equal(b.available(), false);
  c.advance(1);
  assert.equal(b.state, 'half-open');
  assert.equal(b.available(), true);
  b.begin(); // the one probe slot is taken
  assert.equal(b.available(), false, 'only one probe at a time');
  b.success();
  assert.equal(b.state, 'closed');
  assert.equal(b.opened, 1);
});

test('a failed probe opens it again for another cooldown', () => {
  const c = clock();
  const b = new CircuitBreaker(policy({ consecutiveFailures: 1 }), c.now);
  b.failure();
  c.advance(1000);
  assert.equal(b.state, 'half-open');
  b.begin();
  b.failure();
  assert.equal(b.state, 'open');
  c.advance(500);
  assert.equal(b.available(), false);
  c.advance(500);
  assert.equal(b.available(), true);
  assert.equal(b.opened, 2);
});

test('a probe whose client went away frees its slot without deciding', () => {
  const c = clock();
  const b = new CircuitBreaker(policy({ consecutiveFailures: 1 }), c.now);
  b.failure();
  c.advance(1000);
  b.begin();
  assert.equal(b.available(), false);
  b.release();
  assert.equal(b.state, 'half-open');
  assert.equal(b.available(), true);
});

test('opens on the failure rate over the window once enough calls were seen, not before', () => {
  const b = new CircuitBreaker(policy({ consecutiveFailures: 100, failureRate: 0.5, window: 10, minCalls: 6 }), () => 0);
  // Alternating failures never make a run, but half the calls failing reaches the rate.
  b.failure();
  b.success();
  b.failure();
  b.success();
  assert.equal(b.state, 'closed', 'four calls are fewer than minCalls');
  b.failure();
  assert.equal(b.state, 'closed', '3 of 5');
  b.success();
  assert.equal(b.state, 'closed', '3 of 6 is not yet reached on a success');
  b.failure();
  assert.equal(b.state, 'open', '4 of 7 ≥ 50%');
});

test('the window slides: old failures drop out', () => {
  const b = new CircuitBreaker(policy({ consecutiveFailures: 100, failureRate: 0.5, window: 4, minCalls: 4 }), () => 0);
  b.failure();
  b.success();
  b.success();
  b.success(); // 1 of 4
  b.failure(); // the first failure slid out: still 1 of 4
  assert.equal(b.state, 'closed');
  b.failure(); // 2 of 4
  assert.equal(b.state, 'open');
});

test('closing clears the window, so a recovered deployment starts afresh', () => {
  const c = clock();
  const b = new CircuitBreaker(policy({ consecutiveFailures: 100, failureRate: 0.5, window: 4, minCalls: 2 }), c.now);
  b.failure();
  b.failure();
  assert.equal(b.state, 'open');
  c.advance(1000);
  b.begin();
  b.success();
  assert.equal(b.state, 'closed');
  b.failure(); // alone in a fresh window: 1 call < minCalls
  assert.equal(b.state, 'closed');
});
