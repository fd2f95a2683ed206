import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { type ClassifierWeights, CorruptWeightsError, decodeClassifierWeights, encodeClassifierWeights } from './classifier-weights.js';
import { DEFAULT_WEIGHTS_URL } from './classify-content.js';
import { CONTENT_CATEGORIES } from './content-category.js';

function tiny(): ClassifierWeights {
  const weights = new Float32Array(1 << 10).map((_, i) => (i % 7 === 0 ? 0 : Math.sin(i) * (i % 3)));
  return {
    bits: 10,
    windows: [
      { size: 100, overlap: 10 },
      { size: 30, overlap: 5 },
    ],
    lexicon: { classes: ['a', 'b'], entries: new Map([[-5, 1], [123456, 3]]) },
    models: [
      { category: 'HATE', bias: -2.5, weights, anchors: [-1, 0, 1] },
      { category: 'PROMPT_ATTACK', bias: 0.25, weights: weights.map((w) => -w / 100), anchors: [0.5, 0.5, 2] },
    ],
    about: { note: 'test' },
  };
}

test('weights survive encoding: exact zeros, signs, small weights within the square-law step', () => {
  const original = tiny();
  const decoded = decodeClassifierWeights(encodeClassifierWeights(original));
  assert.equal(decoded.bits, 10);
  assert.deepEqual(decoded.windows, original.windows);
  assert.deepEqual(decoded.lexicon.classes, ['a', 'b']);
  assert.deepEqual([...decoded.lexicon.entries].sort(), [...original.lexicon.entries].sort());
  assert.deepEqual(decoded.about, { note: 'test' });
  decoded.models.forEach((m, k) => {
    const o = original.models[k]!;
    assert.equal(m.category, o.category);
    assert.equal(m.bias, o.bias);
    assert.deepEqual([...m.anchors], [...o.anchors]);
    const max = Math.max(...o.weights.map(Math.abs));
    for (let i = 0; i < o.weights.length; i++) {
      const w = o.weights[i]!;
      if (w === 0) assert.equal(m.weights[i], 0);
      else {
        assert.equal(Math.sign(m.weights[i]!) || Math.sign(w), Math.sign(w));
        // Square-law codes: the step near w is about 2·sqrt(|w|·max)/127.
        assert.ok(Math.abs(m.weights[i]! - w) <= Math.sqrt(Math.abs(w) * max) / 127 + max / 127 ** 2, `weight ${i}`);
      }
    }
  });
});

test('corrupt files are refused with a clear error, never half-loaded', () => {
  const good = gunzipSync(encodeClassifierWeights(tiny()));
  const cases: Array<[string, Uint8Array]> = [
    ['not gzip', Buffer.from('hello')],
    ['empty', new Uint8Array(0)],
    ['bad magic', gzipSync(Buffer.concat([Buffer.from('XXXX'), good.subarray(4)]))],
    ['truncated', gzipSync(good.subarray(0, good.length - 100))],
    ['header too long', gzipSync(Buffer.concat([good.subarray(0, 4), Buffer.from([255, 255, 255, 0]), good.subarray(8)]))],
    ['extra bytes', gzipSync(Buffer.concat([good, Buffer.alloc(64)]))],
  ];
  const headerLength = good.readUInt32LE(4);
  const header = JSON.parse(good.toString('utf8', 8, 8 + headerLength));
  const withHeader = (h: unknown) => {
    const json = Buffer.from(JSON.stringify(h));
    const padded = Buffer.alloc((8 + json.length + 3) & ~3);
    padded.write('QCCW', 0, 'latin1');
    padded.writeUInt32LE(json.length, 4);
    json.copy(padded, 8);
    return gzipSync(Buffer.concat([padded, good.subarray((8 + headerLength + 3) & ~3)]));
  };
  cases.push(['unknown category', withHeader({ ...header, categories: [{ ...header.categories[0], category: 'SPAM' }, header.categories[1]] })]);
  cases.push(['anchors out of order', withHeader({ ...header, categories: [{ ...header.categories[0], anchors: [2, 1, 0] }, header.categories[1]] })]);
  cases.push(['duplicate category', withHeader({ ...header, categories: [header.categories[0], header.categories[0]] })]);
  cases.push(['wrong version', withHeader({ ...header, version: 2 })]);
  cases.push(['window overlap too large', withHeader({ ...header, windows: [{ size: 10, overlap: 8 }] })]);
  for (const [name, bytes] of cases) assert.throws(() => decodeClassifierWeights(bytes), CorruptWeightsError, name);
});

test('the committed weights load: every category, small on disk', () => {
  const file = readFileSync(DEFAULT_WEIGHTS_URL);
  assert.ok(file.length < 5 * 1024 * 1024, `${file.length} bytes`);
  const weights = decodeClassifierWeights(file);
  assert.deepEqual(
    weights.models.map((m) => m.category),
    [...CONTENT_CATEGORIES],
  );
  assert.ok(weights.lexicon.entries.size > 100);
  for (const m of weights.models) {
    assert.ok(m.weights.some((w) => w !== 0), `${m.category} has weights`);
    assert.ok(m.anchors[0] <= m.anchors[1] && m.anchors[1] <= m.anchors[2]);
  }
});
