import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ImageGenerationRequest, type ImageGenerationResult, type ModelInfo, QuarryError } from '../core/index.js';
import { budget, FakeProvider, model, testRouter } from '../../test/routing/fake-provider.js';
import { DirectRoute } from './direct-route.js';

/** A fake that also generates images: each call fails with the next scripted error, or answers when none is left. */
class ImageFake extends FakeProvider {
  readonly imageCalls: (ImageGenerationRequest & { model: ModelInfo })[] = [];
  constructor(
    id: string,
    private readonly failures: QuarryError[] = [],
  ) {
    super(id, [{ ok: 'unused' }]);
  }

  async generateImages(req: ImageGenerationRequest & { model: ModelInfo }): Promise<ImageGenerationResult> {
    this.imageCalls.push(req);
    const failure = this.failures.shift();
    if (failure) throw failure;
    return { images: Array.from({ length: req.count }, () => ({ bytes: Uint8Array.from([this.id.length]), mediaType: 'image/png' as const })) };
  }
}

const IMAGE = model('acme.image-v1:0', { providerId: 'east', kind: 'image', outputModalities: ['IMAGE'] });
const ask = { modelId: IMAGE.id, prompt: 'a fox', count: 2 };

test('without routing, an image model goes straight to its provider with its catalog entry', async () => {
  const east = new ImageFake('east');
  const route = await testRouter('', [east], [IMAGE]).router.route(IMAGE.id);
  assert.ok(route instanceof DirectRoute);
  const answer = await route.generateImages(ask, budget());
  assert.equal(answer.value.images.length, 2);
  assert.equal(east.imageCalls[0]!.model.id, IMAGE.id);
});

test('over deployments, a retryable failure is retried on another deployment, which the answer names', async () => {
  const east = new ImageFake('east', [new QuarryError('ServiceUnavailableException', 'east down')]);
  const west = new ImageFake('west');
  const yaml = `
routing: {}
deployments:
  - { id: img-east, model: "acme.image-v1:0", provider: east }
  - { id: img-west, model: "acme.image-v1:0", provider: west, upstreamModel: west-image }
`;
  const route = await testRouter(yaml, [east, west], [IMAGE]).router.route(IMAGE.id);
  const answer = await route.generateImages(ask, budget());
  assert.equal(east.imageCalls.length, 1);
  assert.equal(west.imageCalls.length, 1);
  assert.equal(west.imageCalls[0]!.model.upstreamModel, 'west-image');
  assert.equal(answer.deployment?.id, 'img-west');
  assert.equal(answer.attempts, 2);
});

test('a provider without image generation refuses with a ValidationException', async () => {
  const plain = new FakeProvider('east', [{ ok: 'x' }]);
  const route = await testRouter('', [plain], [IMAGE]).router.route(IMAGE.id);
  await assert.rejects(route.generateImages(ask, budget()), (e: unknown) => QuarryError.isInstance(e) && e.code === 'ValidationException');
});
