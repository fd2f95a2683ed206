import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { encodeEvent, encodeException, encodeExceptionMessage } from './event-stream.js';

// The AWS SDK's own decoder: it checks the prelude and message CRCs and throws on a mismatch.
const codec = new EventStreamCodec(toUtf8, fromUtf8);

function decode(frame: Uint8Array) {
  const { headers, body } = codec.decode(frame);
  const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.value]));
  return { headers: h, body: JSON.parse(toUtf8(body)) as unknown };
}

test('an event decodes with the SDK codec: its three headers and its JSON body, non-ASCII text included', () => {
  const payload = { contentBlockIndex: 0, delta: { text: 'Grüße, 世界 🦊' } };
  const { headers, body } = decode(encodeEvent('contentBlockDelta', payload));
  assert.deepEqual(headers, { ':event-type': 'contentBlockDelta', ':content-type': 'application/json', ':message-type': 'event' });
  assert.deepEqual(body, payload);
});

test('the same frames as the codec encodes itself, byte for byte', () => {
  for (const [type, payload] of [
    ['messageStart', { role: 'assistant' }],
    ['metadata', { usage: { inputTokens: 3, outputTokens: 5, totalTokens: 8 }, metrics: { latencyMs: 12 } }],
  ] as const) {
    const expected = codec.encode({
      headers: {
        ':event-type': { type: 'string', value: type },
        ':content-type': { type: 'string', value: 'application/json' },
        ':message-type': { type: 'string', value: 'event' },
      },
      body: fromUtf8(JSON.stringify(payload)),
    });
    assert.deepEqual(Buffer.from(encodeEvent(type, payload)), Buffer.from(expected));
  }
});

test('exceptions carry :exception-type and map error codes onto the stream union', () => {
  const throttled = decode(encodeException('ThrottlingException', 'slow down'));
  assert.equal(throttled.headers[':exception-type'], 'throttlingException');
  assert.equal(throttled.headers[':message-type'], 'exception');
  assert.deepEqual(throttled.body, { message: 'slow down' });
  const modelFailed = decode(encodeException('ModelStreamErrorException', 'upstream cut off'));
  assert.equal(modelFailed.headers[':exception-type'], 'modelStreamErrorException');
  assert.deepEqual(modelFailed.body, { message: 'upstream cut off', originalStatusCode: 424 });
  const named = decode(encodeExceptionMessage('dependencyFailedException', { message: 'x', resourceName: 'model' }));
  assert.equal(named.headers[':exception-type'], 'dependencyFailedException');
});

test('frames of many sizes stay decodable (lengths and CRCs written where the codec reads them)', () => {
  for (const n of [0, 1, 100, 4096, 70_000]) {
    const { body } = decode(encodeEvent('chunk', { bytes: 'x'.repeat(n) }));
    assert.equal((body as { bytes: string }).bytes.length, n);
  }
});
