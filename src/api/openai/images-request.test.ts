import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuarryError } from '../../core/index.js';
import { validate } from '../shared/parse-body.js';
import { imagesRequest, toImageGenerationRequest } from './images-request.js';

const parse = (body: unknown) => toImageGenerationRequest(validate(imagesRequest, body, 'images request'));

test('model, prompt, n and size map to the canonical request; n defaults to 1 and size auto to the model default', () => {
  assert.deepEqual(parse({ model: 'm', prompt: 'a fox', n: 2, size: '1024x512', response_format: 'b64_json', quality: 'hd' }), {
    modelId: 'm',
    prompt: 'a fox',
    count: 2,
    size: { width: 1024, height: 512 },
  });
  assert.deepEqual(parse({ model: 'm', prompt: 'a fox', size: 'auto' }), { modelId: 'm', prompt: 'a fox', count: 1 });
});

const refused = (body: unknown, pattern: RegExp) =>
  assert.throws(
    () => parse(body),
    (e: unknown) => QuarryError.isInstance(e) && e.code === 'ValidationException' && pattern.test(e.message),
  );

test('bad input is refused naming the field', () => {
  refused({ model: 'm', prompt: 'x', n: 0 }, /n:/);
  refused({ model: 'm', prompt: 'x', n: 11 }, /n:/);
  refused({ model: 'm', prompt: 'x', n: 1.5 }, /n:/);
  refused({ model: 'm', prompt: '  ' }, /prompt must not be empty/);
  refused({ model: 'm' }, /required key \[prompt\]/);
  refused({ prompt: 'x' }, /required key \[model\]/);
  refused({ model: 'm', prompt: 'x', size: 'big' }, /size is WIDTHxHEIGHT/);
  refused({ model: 'm', prompt: 'x', size: '4096x4096' }, /between 64 and 2048/);
  refused({ model: 'm', prompt: 'x', response_format: 'png' }, /response_format/);
  refused({ model: 'm', prompt: 'x', negative_prompt: 'y' }, /Unrecognized request argument\(s\): negative_prompt/);
});
