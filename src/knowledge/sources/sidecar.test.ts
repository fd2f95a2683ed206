import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSidecar, parseSidecarJson } from './sidecar.js';

const parse = (value: unknown) => parseSidecarJson(new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value)));

test('sidecars: plain and typed Bedrock values', () => {
  assert.deepEqual(parse({ metadataAttributes: { a: 'x', b: 2, c: true, d: ['p', 'q'] } }), { a: 'x', b: 2, c: true, d: ['p', 'q'] });
  assert.deepEqual(
    parse({
      metadataAttributes: {
        s: { value: { type: 'STRING', stringValue: 'v' }, includeForEmbedding: false },
        n: { value: { type: 'NUMBER', numberValue: 3.5 } },
        b: { value: { type: 'BOOLEAN', booleanValue: false } },
        l: { value: { type: 'STRING_LIST', stringListValue: ['a'] } },
      },
    }),
    { s: 'v', n: 3.5, b: false, l: ['a'] },
  );
});

test('sidecars: hostile or malformed input is a clear error', () => {
  assert.throws(() => parse('{"metadataAttributes":'), /not valid UTF-8 JSON/);
  assert.throws(() => parseSidecarJson(new Uint8Array([0x7b, 0xff, 0x7d])), /not valid UTF-8 JSON/);
  assert.throws(() => parse({ attributes: {} }), /metadataAttributes/);
  assert.throws(() => parse({ metadataAttributes: { n: { value: { type: 'NUMBER' } } } }), /attribute "n": a NUMBER value needs its numberValue/);
  assert.throws(() => parse({ metadataAttributes: { n: null } }), /attribute "n" must be a string/);
  assert.throws(() => parse({ metadataAttributes: { '': 'x' } }), /metadataAttributes/);
  assert.throws(() => parse([1, 2]), /metadataAttributes/);
  assert.ok(isSidecar('a.pdf.metadata.json'));
  assert.ok(!isSidecar('.metadata.json'));
  assert.ok(!isSidecar('a.json'));
});
