import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConverseRequest } from '../core/index.js';
import { cacheKey, canonical } from './cache-key.js';

const base = (): ConverseRequest => ({
  modelId: 'acme.chat-v1:0',
  messages: [{ role: 'user', content: [{ text: 'hi' }] }],
  system: [{ text: 'be brief' }],
  inferenceConfig: { temperature: 0, maxTokens: 64 },
});

test('the same request keys the same, whatever its key order, model-id spelling or log metadata', () => {
  const k = cacheKey(base(), 's');
  assert.equal(cacheKey({ ...base(), inferenceConfig: { maxTokens: 64, temperature: 0 } }, 's'), k);
  assert.equal(cacheKey({ ...base(), modelId: 'arn:aws:bedrock:us-east-1::foundation-model/acme.chat-v1:0' }, 's'), k);
  assert.equal(cacheKey({ ...base(), modelId: 'acme.chat-v1%3A0' }, 's'), k);
  assert.equal(cacheKey({ ...base(), requestMetadata: { team: 'x' } }, 's'), k);
  assert.equal(cacheKey({ ...base(), toolConfig: undefined }, 's'), k, 'an absent field is no field');
  assert.match(k!, /^[\w-]{43}$/);
});

test('everything that shapes the answer changes the key', () => {
  const k = cacheKey(base(), 's');
  const variants: ConverseRequest[] = [
    { ...base(), modelId: 'acme.chat-v2:0' },
    { ...base(), messages: [{ role: 'user', content: [{ text: 'hi!' }] }] },
    { ...base(), system: [{ text: 'be long' }] },
    { ...base(), system: undefined },
    { ...base(), inferenceConfig: { temperature: 0, maxTokens: 65 } },
    { ...base(), inferenceConfig: { temperature: 0, maxTokens: 64, stopSequences: ['x'] } },
    { ...base(), toolConfig: { tools: [{ toolSpec: { name: 't', inputSchema: { json: { type: 'object' } } } }] } },
    { ...base(), toolConfig: { tools: [{ toolSpec: { name: 't', inputSchema: { json: { type: 'object' } } } }], toolChoice: { any: {} } } },
    { ...base(), jsonSchema: { name: 'x', schema: { type: 'object' } } },
    { ...base(), additionalModelRequestFields: { top_k: 5 } },
    { ...base(), messages: [{ role: 'user', content: [{ image: { format: 'png', source: { bytes: new Uint8Array([1, 2, 3]) } } }] }] },
  ];
  const keys = new Set(variants.map((v) => cacheKey(v, 's')));
  assert.equal(keys.size, variants.length);
  assert.ok(!keys.has(k));
  assert.notEqual(cacheKey(base(), 'other scope'), k);
});

test('bytes, strings and numbers cannot collide in the canonical form', () => {
  assert.notEqual(canonical(new Uint8Array([104, 105])), canonical('aGk='));
  assert.notEqual(canonical('1'), canonical(1));
  assert.notEqual(canonical(['a,b']), canonical(['a', 'b']));
  assert.notEqual(canonical({ a: 'b' }), canonical({ 'a":"b': undefined }));
  assert.equal(canonical({ b: 1, a: [true, null] }), '{"a":[true,null],"b":1}');
});

test('hostile nesting gets no key instead of exhausting the stack', () => {
  let deep: unknown = 'x';
  for (let i = 0; i < 100_000; i++) deep = [deep];
  assert.equal(cacheKey({ ...base(), additionalModelRequestFields: { deep } }, 's'), undefined);
});

test('a large prompt keys in linear time', () => {
  const big = 'word '.repeat(400_000);
  const t = performance.now();
  const k = cacheKey({ ...base(), messages: [{ role: 'user', content: [{ text: big }] }] }, 's');
  assert.ok(k);
  assert.ok(performance.now() - t < 1000);
});
