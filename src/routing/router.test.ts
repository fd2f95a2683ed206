import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuarryError } from '../core/index.js';
import { ask, budget, FakeProvider, model, testRouter } from '../../test/routing/fake-provider.js';
import { DirectRoute } from './direct-route.js';

const MODELS = [model('acme.chat-v1:0', { providerId: 'east', name: 'Acme chat' })];

const PROFILE = `
routing: {}
models:
  - { id: "acme.chat-v1:0", provider: east }
deployments:
  - { id: acme-east, model: "acme.chat-v1:0", provider: east, region: us-east-1, costPer1k: 2 }
  - { id: acme-west, model: "acme.chat-v1:0", provider: west, region: us-west-2, costPer1k: 1, upstreamModel: acme-west-name }
inferenceProfiles:
  - { id: "us.acme.chat-v1:0", strategy: lowest-cost, deployments: [acme-east, acme-west] }
  - { id: east-only, deployments: [acme-east] }
`;

function profile() {
  const east = new FakeProvider('east', [{ ok: 'e' }]);
  const west = new FakeProvider('west', [{ ok: 'w' }]);
  return { east, west, ...testRouter(PROFILE, [east, west], MODELS) };
}

test('without routing configuration every id is its catalog model on its one provider: no retries, no health', async () => {
  const p = new FakeProvider('east', [{ fail: new QuarryError('ServiceUnavailableException', 'down') }, { ok: 'x' }]);
  const { router } = testRouter('', [p], MODELS);
  assert.equal(router.enabled, false);
  const route = await router.route('acme.chat-v1:0');
  assert.ok(route instanceof DirectRoute);
  assert.equal(await router.route('acme.chat-v1:0'), route, 'one route object per catalog entry');
  await assert.rejects(route.generate(ask('acme.chat-v1:0'), budget()), /down/);
  assert.equal(p.calls, 1);
  assert.deepEqual(router.health(), []);
});

test('an inference profile routes over its deployments by its strategy and appears under its own id', async () => {
  const { east, west, router } = profile();
  const route = await router.route('us.acme.chat-v1:0');
  assert.equal(route.model.id, 'us.acme.chat-v1:0');
  assert.match(route.model.name, /inference profile/);
  const answer = await route.generate(ask('us.acme.chat-v1:0'), budget());
  // lowest-cost: west (1) before east (2); the deployment's upstream name reaches the provider.
  assert.equal(west.calls, 1);
  assert.equal(east.calls, 0);
  assert.equal(west.seen[0]!.model.upstreamModel, 'acme-west-name');
  assert.equal(answer.model.id, 'acme.chat-v1:0', 'usage names the model that answered, not the profile');
  assert.equal(answer.model.providerId, 'west');
});

test('a profile id in an ARN, and URL-encoded, reaches the same route', async () => {
  const { router } = profile();
  const direct = await router.route('us.acme.chat-v1:0');
  assert.equal(await router.route('arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.acme.chat-v1:0'), direct);
  assert.equal(await router.route('us.acme.chat-v1%3A0'), direct);
});

test('the model id itself routes over all its deployments with the default strategy; a geography prefix with no profile falls back to it', async () => {
  const { east, router } = profile();
  const route = await router.route('acme.chat-v1:0');
  assert.equal(route.model.id, 'acme.chat-v1:0');
  await route.generate(ask('acme.chat-v1:0'), budget());
  assert.equal(east.calls, 1, 'priority, equal priorities: config order');
  const eu = await router.route('eu.acme.chat-v1:0');
  assert.equal(eu.model.id, 'acme.chat-v1:0');
});

test('profiles and the model share deployment health', async () => {
  const { router } = profile();
  await (await router.route('east-only')).generate(ask('east-only'), budget());
  await (await router.route('acme.chat-v1:0')).generate(ask('acme.chat-v1:0'), budget());
  const east = router.health().find((d) => d.id === 'acme-east')!;
  assert.equal(east.calls, 2);
  assert.equal(east.region, 'us-east-1');
});

test('with a routing section, a model without deployments is a set of one: its own provider, with retries', async () => {
  const p = new FakeProvider('east', [{ fail: new QuarryError('ServiceUnavailableException', 'down') }, { ok: 'x' }]);
  const { router, sleeps } = testRouter('routing: {}\nmodels:\n  - { id: "acme.chat-v1:0", provider: east }\n', [p], MODELS);
  const answer = await (await router.route('acme.chat-v1:0')).generate(ask('acme.chat-v1:0'), budget());
  assert.equal(answer.attempts, 2);
  assert.equal(sleeps.length, 1);
  assert.deepEqual(
    router.health().map((d) => d.id),
    ['east/acme.chat-v1:0'],
  );
});

test('unknown ids are not found, and nothing is kept for them', async () => {
  const { router } = profile();
  await assert.rejects(async () => router.route('nope.model-v1:0'), (e: QuarryError) => e.code === 'ResourceNotFoundException');
  await assert.rejects(async () => router.route(`arn:aws:bedrock:x:y:inference-profile/${'z'.repeat(5000)}`), (e: QuarryError) => e.code === 'ResourceNotFoundException');
});

test('a deployment of a model the catalog does not know is a clear error', async () => {
  const p = new FakeProvider('east', []);
  const { router } = testRouter('deployments:\n  - { id: d1, model: ghost.model-v1:0, provider: east }\n', [p], MODELS);
  await assert.rejects(async () => router.route('ghost.model-v1:0'), /serves model ghost.model-v1:0, which no provider lists/);
});

test('profiles are listed as models', async () => {
  const { router } = profile();
  assert.deepEqual(
    (await router.profileModels()).map((m) => m.id),
    ['us.acme.chat-v1:0', 'east-only'],
  );
});

test('concurrent first calls build one route', async () => {
  const { router } = profile();
  const [a, b] = await Promise.all([router.route('us.acme.chat-v1:0'), router.route('us.acme.chat-v1:0')]);
  assert.equal(a, b);
});
