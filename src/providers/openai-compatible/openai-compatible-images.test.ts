import assert from 'node:assert/strict';
import { after, beforeEach, describe, test } from 'node:test';
import sharp from 'sharp';
import { type ModelInfo, QuarryError } from '../../core/index.js';
import { startReplayServer } from '../conformance/replay-server.js';
import { fromOpenAIImagesResponse } from './from-openai-images-response.js';
import { createOpenAICompatibleProvider } from './index.js';
import { toOpenAIImagesRequest } from './to-openai-images-request.js';

const imageModel: ModelInfo = {
  id: 'acme.image-v1:0',
  name: 'Image',
  providerId: 'oai',
  upstreamModel: 'dall-e-3',
  family: 'generic',
  kind: 'image',
  inputModalities: ['TEXT'],
  outputModalities: ['IMAGE'],
  runsOn: 'remote',
  supportsTools: false,
  supportsStreaming: false,
};

const png = await sharp({ create: { width: 8, height: 4, channels: 3, background: '#336699' } }).png().toBuffer();
const jpeg = await sharp({ create: { width: 8, height: 4, channels: 3, background: '#336699' } }).jpeg().toBuffer();
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const body = (data: unknown[]) => JSON.stringify({ created: 1, data });

describe('toOpenAIImagesRequest', () => {
  test('asks for base64 in the upstream model name, with n and WIDTHxHEIGHT; a seed is dropped', () => {
    const req = toOpenAIImagesRequest({ modelId: imageModel.id, model: imageModel, prompt: 'a fox', count: 3, size: { width: 512, height: 256 }, seed: 7 });
    assert.deepEqual(req, { model: 'dall-e-3', prompt: 'a fox', n: 3, response_format: 'b64_json', size: '512x256' });
  });

  test('a negative prompt is refused, not silently ignored', () => {
    assert.throws(
      () => toOpenAIImagesRequest({ modelId: imageModel.id, model: imageModel, prompt: 'a fox', count: 1, negativePrompt: 'dogs' }),
      (e: unknown) => QuarryError.isInstance(e) && e.code === 'ValidationException' && /negative prompt/.test(e.message),
    );
  });
});

describe('fromOpenAIImagesResponse', () => {
  test('decodes each image and tells its media type by its bytes', () => {
    const r = fromOpenAIImagesResponse(body([{ b64_json: b64(png), revised_prompt: 'x' }, { b64_json: b64(jpeg) }]), 2);
    assert.deepEqual(
      r.images.map((i) => i.mediaType),
      ['image/png', 'image/jpeg'],
    );
    assert.deepEqual(Buffer.from(r.images[0]!.bytes), png);
  });

  const fails = (text: string, count: number, pattern: RegExp) =>
    assert.throws(
      () => fromOpenAIImagesResponse(text, count),
      (e: unknown) => QuarryError.isInstance(e) && e.code === 'ModelErrorException' && pattern.test(e.message),
    );

  test('a wrong count, a URL instead of data, bytes that are no image, or a body that is not JSON are upstream errors', () => {
    fails(body([{ b64_json: b64(png) }]), 2, /1 images where 2/);
    fails(body([{ url: 'https://example.com/a.png' }]), 1, /as a URL/);
    fails(body([{ b64_json: b64(Buffer.from('hello world, not an image')) }]), 1, /not PNG, JPEG or WebP/);
    fails('{"data": [', 1, /not JSON/);
    fails('{"images": []}', 1, /without `data`/);
  });
});

const upstream = await startReplayServer();
after(() => upstream.close());

describe('generateImages through HTTP', () => {
  beforeEach(() => upstream.reset());
  const provider = createOpenAICompatibleProvider({
    id: 'oai',
    type: 'openai-compatible',
    baseUrl: `${upstream.url}/v1`,
    apiKey: 'sk-test-123',
    models: [imageModel],
    options: {},
    dataDir: '/nonexistent',
    timeoutMs: 5_000,
  });
  const call = (prompt: string, count = 1) =>
    provider.generateImages!({ modelId: imageModel.id, model: imageModel, prompt, count }, { signal: new AbortController().signal });

  test('POSTs /v1/images/generations with the key and returns the decoded images', async () => {
    upstream.enqueue({ headers: { 'content-type': 'application/json' }, body: body([{ b64_json: b64(png) }, { b64_json: b64(png) }]) });
    const r = await call('two foxes', 2);
    assert.equal(r.images.length, 2);
    const seen = upstream.requests[0]!;
    assert.equal(seen.path, '/v1/images/generations');
    assert.equal(seen.headers.authorization, 'Bearer sk-test-123');
    assert.deepEqual(seen.json(), { model: 'dall-e-3', prompt: 'two foxes', n: 2, response_format: 'b64_json' });
  });

  test('upstream errors map as chat errors do: 400 → ValidationException, 429 → ThrottlingException, 503 → ServiceUnavailable', async () => {
    const error = (status: number) => ({ status, headers: { 'content-type': 'application/json' }, body: '{"error":{"message":"nope"}}' });
    upstream.enqueue(error(400), error(429), error(503));
    for (const code of ['ValidationException', 'ThrottlingException', 'ServiceUnavailableException']) {
      await assert.rejects(call('x'), (e: unknown) => QuarryError.isInstance(e) && e.code === code);
    }
  });
});
