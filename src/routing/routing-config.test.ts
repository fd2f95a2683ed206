import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../server/config.js';
import { routingConfigured } from './routing-config.js';

const PROVIDERS = 'providers:\n  - { id: east, type: openai-compatible, baseUrl: "http://127.0.0.1:1/v1" }\n  - { id: west, type: openai-compatible, baseUrl: "http://127.0.0.1:2/v1" }\n';

test('a full routing configuration parses with its defaults', () => {
  const c = parseConfig(
    `${PROVIDERS}models:
  - { id: "acme.chat-v1:0", provider: east }
routing:
  retry: { maxAttempts: 4 }
deployments:
  - { id: e, model: "acme.chat-v1:0", provider: east, region: us-east-1, capacity: 8 }
  - { id: w, model: "acme.chat-v1:0", provider: west, weight: 3, drained: true }
inferenceProfiles:
  - { id: "us.acme.chat-v1:0", strategy: weighted, deployments: [e, w] }
fallbacks:
  "acme.chat-v1:0": [local.small]
responseCache: { ttlMs: 60000 }
`,
    {},
  );
  assert.equal(c.routing?.retry.maxAttempts, 4);
  assert.equal(c.routing?.retry.baseDelayMs, 25);
  assert.equal(c.routing?.breaker.consecutiveFailures, 5);
  assert.equal(c.routing?.strategy, 'priority');
  assert.deepEqual([c.deployments[0]?.weight, c.deployments[0]?.priority, c.deployments[0]?.drained], [1, 0, false]);
  assert.equal(c.inferenceProfiles[0]?.strategy, 'weighted');
  assert.deepEqual([c.responseCache?.enabled, c.responseCache?.scope, c.responseCache?.ttlMs], [true, 'account', 60000]);
  assert.ok(routingConfigured(c));
});

test('without any routing section nothing is routed and the cache is off', () => {
  const c = parseConfig(PROVIDERS, {});
  assert.equal(routingConfigured(c), false);
  assert.equal(c.responseCache, undefined);
  assert.deepEqual([c.deployments, c.inferenceProfiles, c.fallbacks], [[], [], {}]);
});

test('mistakes are reported with their path', () => {
  const bad = (yaml: string, pattern: RegExp) => assert.throws(() => parseConfig(PROVIDERS + yaml, {}), pattern);
  bad('deployments:\n  - { id: d, model: m, provider: nowhere }\n', /deployments\.0\.provider: deployment "d" names provider "nowhere"/);
  bad('deployments:\n  - { id: d, model: m, provider: east }\n  - { id: d, model: m, provider: west }\n', /deployment id "d" is used twice/);
  bad('inferenceProfiles:\n  - { id: p, deployments: [ghost] }\n', /inferenceProfiles\.0\.deployments\.0: .*"ghost"/);
  bad(
    'deployments:\n  - { id: a, model: m1, provider: east }\n  - { id: b, model: m2, provider: west }\ninferenceProfiles:\n  - { id: p, deployments: [a, b] }\n',
    /mixes models \(m1, m2\)/,
  );
  bad('deployments:\n  - { id: a, model: m1, provider: east }\ninferenceProfiles:\n  - { id: p, deployments: [a, a] }\n', /lists a deployment twice/);
  bad('fallbacks:\n  m: [m]\n', /lists itself/);
  bad('inferenceProfiles:\n  - { id: p, strategy: fastest, deployments: [x] }\n', /strategy/);
  bad('routing:\n  retry: { maxAttempts: 0 }\n', /maxAttempts/);
  bad('routing:\n  retyr: {}\n', /retyr/);
  bad('deployments:\n  - { id: "a b", model: m, provider: east }\n', /deployment ids use/);
  bad('deployments:\n  - { id: a, model: m, provider: east, weight: -1 }\n', /weight/);
  bad('responseCache: { scope: everyone }\n', /scope/);
});

test('health checks: off when absent, defaults when routing.healthCheck is empty, per-deployment overrides, typos refused', () => {
  const parse = (routing: string, deployment = '') =>
    parseConfig(
      `${PROVIDERS}models:
  - { id: "acme.chat-v1:0", provider: east }
routing: ${routing}
deployments:
  - { id: e, model: "acme.chat-v1:0", provider: east${deployment} }
`,
      {},
    );
  assert.equal(parse('{}').routing?.healthCheck, undefined);
  assert.deepEqual(parse('{ healthCheck: {} }').routing?.healthCheck, { intervalMs: 10_000, timeoutMs: 2_000, unhealthyThreshold: 3, healthyThreshold: 2 });
  assert.equal(parse('{}', ', healthCheck: false').deployments[0]?.healthCheck, false);
  assert.deepEqual(parse('{}', ', healthCheck: { intervalMs: 500 }').deployments[0]?.healthCheck, { intervalMs: 500 });
  assert.throws(() => parse('{ healthCheck: { interval: 5000 } }'), /interval/);
  assert.throws(() => parse('{ healthCheck: { unhealthyThreshold: 0 } }'), /unhealthyThreshold/);
});
