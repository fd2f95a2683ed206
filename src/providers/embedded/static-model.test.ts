import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { EmbeddingsModel } from '@energetic-ai/embeddings';
import { type ModelInfo, type ProviderSettings, QuarryError } from '../../core/index.js';
import { embedStatic, embedStaticSpans } from './embed-static.js';
import { createEmbeddedEmbeddingsProvider } from './embedded-embeddings-provider.js';
import { loadStaticModel } from './load-static-model.js';
import { useWeightsDir } from './load-use-model.js';
import { decodeStaticTable, encodeStaticTable, meanOfRows, quantizeTable } from './static-embedding-table.js';
import { STATIC_MODEL_ID, STATIC_UPSTREAM_MODEL, staticModelInfo } from './static-model-info.js';
import { staticWords } from './static-words.js';
import { tokenizeUse } from './tokenize-use.js';
import { buildUseVocabulary, loadUseVocabulary } from './use-vocabulary.js';

const settings: ProviderSettings = { id: 'embedded', type: 'embedded', models: [], options: {}, dataDir: '/nonexistent', timeoutMs: 30_000 };
const call = { signal: new AbortController().signal };
const is = (code: string, pattern?: RegExp) => (e: unknown) => QuarryError.isInstance(e) && e.code === code && (!pattern || pattern.test(e.message));
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

test('the vocabulary built without the model tokenizes exactly as the encoder does', () => {
  const json = readFileSync(join(useWeightsDir(), 'vocab.json'), 'utf8');
  // The package's own Tokenizer, built from the same vocabulary (the graph is not needed to tokenize).
  const reference = new EmbeddingsModel({ vocabulary: JSON.parse(json), model: undefined as never }).tokenizer;
  const own = buildUseVocabulary(json);
  const samples = ['a cat sat on the mat', '', 'Hello,   world!!', 'naïve café — 東京 😀😀 ∑x²', 'v1.2.3 2024-05-01', 'ﬁne ①', 'Which stocks should I buy?'];
  for (const s of samples) assert.deepEqual(tokenizeUse(own, s), reference.encode(s), JSON.stringify(s));
  assert.equal(own.sha256, loadUseVocabulary().sha256);
});

test('the static model reads text word by word: the pieces are the whole-text tokenization\'s', () => {
  const model = loadStaticModel();
  for (const text of ['Which stocks should I buy this week?', 'naïve café ﬁne', 'Acme builds robots.', 'v1.2.3 2024-05-01']) {
    const words = staticWords(model, text);
    assert.equal(
      words.pieces.reduce((n, p) => n + p.length, 0),
      tokenizeUse(model.vocabulary, text).length,
      text,
    );
    assert.deepEqual(words.starts, [...text.matchAll(/\S+/g)].map((m) => m.index));
  }
});

test('spans of one text embed as the same texts alone, from one pass', () => {
  const text = 'I have 20k in the bank. Where would you park it so it grows?\nAnd what about gold?';
  const spans: Array<[number, number]> = [
    [0, 23],
    [24, 60],
    [0, 60],
    [61, text.length],
    [0, text.length],
  ];
  const viaSpans = embedStaticSpans(text, spans);
  const alone = embedStatic(spans.map(([s, e]) => text.slice(s, e)));
  for (let i = 0; i < spans.length; i++) assert.ok(dot(viaSpans[i]!, alone[i]!) > 0.99999, `span ${i}: ${dot(viaSpans[i]!, alone[i]!)}`);
  assert.deepEqual(embedStaticSpans(text, [[5, 5]])[0], new Float32Array(256), 'an empty span is a zero vector');
});

test('the table file round-trips, and a damaged one is refused', () => {
  const vectors = Float32Array.from({ length: 3 * 4 }, (_, i) => Math.sin(i) * (i % 3));
  const table = quantizeTable(vectors, 3, 4, 'ab'.repeat(32), { slope: 1.5, intercept: -0.25 });
  const back = decodeStaticTable(encodeStaticTable(table));
  assert.deepEqual([back.rows, back.dims, back.vocabularySha256, back.cosineToTeacher], [3, 4, 'ab'.repeat(32), { slope: 1.5, intercept: -0.25 }]);
  assert.deepEqual(back.values, table.values);
  // int8 rounding: every value within half a step of the original.
  for (let r = 0; r < 3; r++) for (let d = 0; d < 4; d++) assert.ok(Math.abs(back.scales[r]! * back.values[r * 4 + d]! - vectors[r * 4 + d]!) <= back.scales[r]! / 2 + 1e-7);
  const mean = meanOfRows(back, [0, 2, 2], new Float32Array(4));
  for (let d = 0; d < 4; d++) assert.ok(Math.abs(mean[d]! - (vectors[d]! + 2 * vectors[8 + d]!) / 3) < 0.05);
  assert.throws(() => decodeStaticTable(Buffer.from('not gzip')));
  const truncated = gzipSync(gunzipSync(encodeStaticTable(table)).subarray(0, -3));
  assert.throws(() => decodeStaticTable(truncated), /has \d+ bytes/);
  assert.throws(() => decodeStaticTable(gzipSync(Buffer.from('QSE0 and then some more bytes than a header'))), /bad header/);
});

test('the shipped table belongs to the installed vocabulary and carries its cosine line', () => {
  const { table, vocabulary } = loadStaticModel();
  assert.equal(table.rows, vocabulary.vocabulary.length);
  assert.equal(table.vocabularySha256, vocabulary.sha256);
  assert.ok(table.cosineToTeacher.slope > 0);
});

test('the provider serves the static model: 256-d vectors that carry meaning, at a fraction of a millisecond a sentence', async () => {
  const provider = createEmbeddedEmbeddingsProvider(settings);
  const model = staticModelInfo('embedded');
  assert.ok((await provider.listModels()).some((m) => m.id === STATIC_MODEL_ID && m.embeddingDimensions === 256));
  const inputs = ['Which stocks should I buy this week?', 'What shares would you invest in right now?', 'How do I bake sourdough bread at home?'];
  const r = await provider.embed!({ modelId: STATIC_MODEL_ID, model, inputs, normalize: true }, call);
  assert.equal(r.embeddings.length, 3);
  for (const v of r.embeddings) {
    assert.equal(v.length, 256);
    assert.ok(Math.abs(dot(v, v) - 1) < 1e-4);
  }
  assert.ok(dot(r.embeddings[0]!, r.embeddings[1]!) > dot(r.embeddings[0]!, r.embeddings[2]!) + 0.1, 'a paraphrase is closer than an unrelated sentence');
  assert.equal(r.inputTokens, inputs.reduce((n, t) => n + tokenizeUse(loadUseVocabulary(), t).length, 0));
  // The same vectors as the guardrails' in-process path.
  assert.deepEqual(embedStatic(inputs), r.embeddings);
  await assert.rejects(provider.embed!({ modelId: STATIC_MODEL_ID, model, inputs: ['x'], dimensions: 512 }, call), is('ValidationException', /256-dimensional/));
  await assert.rejects(provider.embed!({ modelId: STATIC_MODEL_ID, model, inputs: [''] }, call), is('ValidationException', /empty/));
  const t0 = process.cpuUsage();
  const text = 'A sentence of about the length a denied-topic window has, asking about something or other. '.repeat(2);
  for (let i = 0; i < 200; i++) embedStatic([text]);
  const cpu = process.cpuUsage(t0);
  console.log(`static embedding: ${((cpu.user + cpu.system) / 1000 / 200).toFixed(3)} ms of CPU per ${text.length}-character text`);
});

test('a configured alias with upstreamModel static-use-v1 is served by the table', async () => {
  const alias: ModelInfo = { ...staticModelInfo('embedded'), id: 'fast-embed', upstreamModel: STATIC_UPSTREAM_MODEL };
  const provider = createEmbeddedEmbeddingsProvider({ ...settings, models: [alias] });
  const r = await provider.embed!({ modelId: 'fast-embed', model: alias, inputs: ['hello'] }, call);
  assert.equal(r.embeddings[0]!.length, 256);
});
