import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ModelInfo, QuarryError } from '../../../core/index.js';
import { generic } from './generic.js';
import { titanImage } from './titan-image.js';

const model = { id: 'amazon.titan-image-generator-v2:0', kind: 'image', family: 'amazon-titan-image' } as ModelInfo;
const decode = (body: unknown) => titanImage.decode(body, model.id, model);

test('a TEXT_IMAGE body becomes the canonical request: prompt, negative prompt, count, size, seed', () => {
  const d = decode({
    taskType: 'TEXT_IMAGE',
    textToImageParams: { text: 'a lighthouse', negativeText: 'fog' },
    imageGenerationConfig: { numberOfImages: 3, width: 512, height: 384, cfgScale: 8, seed: 42, quality: 'standard' },
  });
  assert.equal(d.kind, 'image');
  assert.deepEqual(d.request, { modelId: model.id, prompt: 'a lighthouse', negativePrompt: 'fog', count: 3, size: { width: 512, height: 384 }, seed: 42 });
});

test('without imageGenerationConfig one image at the model default size', () => {
  const d = decode({ taskType: 'TEXT_IMAGE', textToImageParams: { text: 'a lighthouse' } });
  assert.deepEqual(d.request, { modelId: model.id, prompt: 'a lighthouse', count: 1 });
});

test('the answer is {images: [base64], error: null}', () => {
  const d = decode({ taskType: 'TEXT_IMAGE', textToImageParams: { text: 'x' } });
  assert.equal(d.kind, 'image');
  if (d.kind !== 'image') return;
  const bytes = Uint8Array.from([0x89, 0x50, 0x4e, 0x47]);
  assert.deepEqual(d.encode({ images: [{ bytes, mediaType: 'image/png' }] }), { images: ['iVBORw=='], error: null });
});

const refused = (body: unknown, pattern: RegExp) =>
  assert.throws(
    () => decode(body),
    (e: unknown) => QuarryError.isInstance(e) && e.code === 'ValidationException' && /^Malformed input request/.test(e.message) && pattern.test(e.message),
  );

test('bad bodies are Bedrock-style ValidationExceptions naming the field', () => {
  refused({ taskType: 'INPAINTING', textToImageParams: { text: 'x' } }, /#\/taskType: only TEXT_IMAGE/);
  refused({ taskType: 'TEXT_IMAGE', textToImageParams: { text: '' } }, /#\/textToImageParams\/text/);
  refused({ taskType: 'TEXT_IMAGE', textToImageParams: { text: 'x' }, imageGenerationConfig: { numberOfImages: 6 } }, /numberOfImages/);
  refused({ taskType: 'TEXT_IMAGE', textToImageParams: { text: 'x' }, imageGenerationConfig: { numberOfImages: 0 } }, /numberOfImages/);
  refused({ taskType: 'TEXT_IMAGE', textToImageParams: { text: 'x' }, imageGenerationConfig: { width: 512 } }, /width and height go together/);
  refused({ taskType: 'TEXT_IMAGE', textToImageParams: { text: 'x' }, extra: 1 }, /extraneous key \[extra\]/);
  refused({ inputText: 'hello' }, /required key \[taskType\]/);
});

test('a generic image model (an OpenAI-compatible upstream) takes the Titan image body too', () => {
  const g = { ...model, id: 'acme.image-v1:0', family: 'generic' } as ModelInfo;
  const d = generic.decode({ taskType: 'TEXT_IMAGE', textToImageParams: { text: 'x' } }, g.id, g);
  assert.equal(d.kind, 'image');
});
