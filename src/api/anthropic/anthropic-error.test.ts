import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuarryError } from '../../core/index.js';
import { anthropicErrorResponse } from './anthropic-error.js';

const answer = async (e: QuarryError) => {
  const res = anthropicErrorResponse(e, 'req-1');
  return { status: res.status, body: (await res.json()) as { type: string; error: { type: string; message: string } } };
};

test('missing, unknown and wrongly signed credentials: 401 authentication_error, as Anthropic answers', async () => {
  for (const e of [
    new QuarryError('AccessDeniedException', 'Missing credentials: send an API key as "Authorization: Bearer <key>" (or x-api-key), or sign the request with AWS SigV4.'),
    new QuarryError('UnrecognizedClientException', 'The API key is not valid.'),
    new QuarryError('InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.'),
  ]) {
    const { status, body } = await answer(e);
    assert.equal(status, 401, e.message);
    assert.deepEqual(body, { type: 'error', error: { type: 'authentication_error', message: e.message } });
  }
});

test('a permission the key lacks stays 403 permission_error', async () => {
  const { status, body } = await answer(new QuarryError('AccessDeniedException', 'User is not authorized to perform bedrock:InvokeModel'));
  assert.equal(status, 403);
  assert.deepEqual(body.error.type, 'permission_error');
});
