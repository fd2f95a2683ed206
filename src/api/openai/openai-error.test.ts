import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuarryError } from '../../core/index.js';
import { openaiErrorBody, openaiErrorResponse } from './openai-error.js';

const answer = async (e: QuarryError) => {
  const res = openaiErrorResponse(e, 'req-1');
  return { status: res.status, body: (await res.json()) as { error: { message: string; type: string; param: null; code: string | null } } };
};

test('a bad key, a wrong signature or a disabled key: 401 invalid_request_error / invalid_api_key, as OpenAI answers', async () => {
  for (const e of [
    new QuarryError('UnrecognizedClientException', 'The API key is not valid.'),
    new QuarryError('UnrecognizedClientException', 'The API key has been disabled.'),
    new QuarryError('InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.'),
  ]) {
    const { status, body } = await answer(e);
    assert.equal(status, 401, e.message);
    assert.deepEqual(body, { error: { message: e.message, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
  }
});

test('no credentials at all: 401 invalid_request_error without a code', async () => {
  const e = new QuarryError('AccessDeniedException', 'Missing credentials: send an API key as "Authorization: Bearer <key>" (or x-api-key), or sign the request with AWS SigV4.');
  const { status, body } = await answer(e);
  assert.equal(status, 401);
  assert.deepEqual(body, { error: { message: e.message, type: 'invalid_request_error', param: null, code: null } });
});

test('a permission the key lacks stays 403 permission_error', async () => {
  const { status, body } = await answer(new QuarryError('AccessDeniedException', 'User is not authorized to perform bedrock:InvokeModel'));
  assert.equal(status, 403);
  assert.equal(body.error.type, 'permission_error');
  assert.equal(body.error.code, 'AccessDeniedException');
});

test('the in-stream error object has the same shape as the response body', () => {
  assert.deepEqual(openaiErrorBody(new QuarryError('UnrecognizedClientException', 'x')).error, { message: 'x', type: 'invalid_request_error', param: null, code: 'invalid_api_key' });
  assert.deepEqual(openaiErrorBody(new QuarryError('ResourceNotFoundException', 'Model m not found')).error, { message: 'Model m not found', type: 'not_found_error', param: null, code: 'model_not_found' });
});

test("a prompt past the model's context is 400 context_length_exceeded, as OpenAI answers", async () => {
  const e = new QuarryError('ValidationException', 'Input is too long for requested model: about 5000 tokens against a context window of 4096 tokens for m.');
  const { status, body } = await answer(e);
  assert.equal(status, 400);
  assert.equal(body.error.type, 'invalid_request_error');
  assert.equal(body.error.code, 'context_length_exceeded');
  assert.equal(openaiErrorBody(new QuarryError('ValidationException', 'messages: required')).error.code, 'ValidationException');
});
