import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { type GenerateRequest, type ModelInfo, type ProviderSettings, QuarryError, type StreamPart } from '../../core/index.js';
import { createEmbeddedEmbeddingsProvider } from './embedded-embeddings-provider.js';
import { loadUseModel, useWeightsDir } from './load-use-model.js';
import { STATIC_MODEL_ID } from './static-model-info.js';
import { tokenizeUse } from './tokenize-use.js';
import { USE_MODEL_ID, useModelInfo } from './use-model-info.js';

const settings = (over: Partial<ProviderSettings> = {}): ProviderSettings => ({
  id: 'embedded',
  type: 'embedded',
  models: [],
  options: {},
  dataDir: '/nonexistent',
  timeoutMs: 30_000,
  ...over,
});
const provider = createEmbeddedEmbeddingsProvider(settings());
const model = useModelInfo('embedded');
const call = { signal: new AbortController().signal };

async function embed(inputs: string[], extra: { normalize?: boolean; dimensions?: number } = {}, p = provider) {
  assert.ok(p.embed);
  return p.embed({ modelId: USE_MODEL_ID, model, inputs, ...extra }, call);
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

const is = (code: string, pattern?: RegExp) => (e: unknown) =>
  QuarryError.isInstance(e) && e.code === code && (!pattern || pattern.test(e.message));

// Load once for the whole file, with every way out to the network cut: if the encoder tried to fetch its weights or
// vocabulary (as `initModel()` does by default), this would fail instead of silently downloading.
before(async () => {
  const realFetch = globalThis.fetch;
  const realConnect = net.Socket.prototype.connect;
  const refuse = () => {
    throw new Error('network access during model load');
  };
  globalThis.fetch = refuse as typeof fetch;
  net.Socket.prototype.connect = refuse as typeof realConnect;
  try {
    await loadUseModel();
  } finally {
    globalThis.fetch = realFetch;
    net.Socket.prototype.connect = realConnect;
  }
});

test('weights come from the installed package', () => {
  const dir = useWeightsDir();
  assert.match(dir, /node_modules[\\/]@energetic-ai[\\/]model-embeddings-en[\\/]dist$/);
  for (const f of ['model.json', 'vocab.json', 'group1-shard1of7']) assert.ok(existsSync(join(dir, f)), f);
});

test('lists the built-in models with the catalog fields the console and wire adapters rely on', async () => {
  const models = await provider.listModels();
  assert.deepEqual(
    models.map((m) => [m.id, m.embeddingDimensions]),
    [
      [USE_MODEL_ID, 512],
      [STATIC_MODEL_ID, 256],
    ],
  );
  const [m] = models;
  assert.equal(m.id, 'quarry.embed-use-v1:0');
  assert.equal(m.kind, 'embedding');
  assert.equal(m.family, 'generic');
  assert.equal(m.embeddingDimensions, 512);
  assert.deepEqual(m.inputModalities, ['TEXT']);
  assert.deepEqual(m.outputModalities, ['EMBEDDING']);
  assert.equal(m.runsOn, 'local');
  assert.equal(m.pricing, undefined);
  assert.equal(m.providerId, 'embedded');
});

test('embeddings carry meaning: a paraphrase is closer than an unrelated sentence', async () => {
  const { embeddings } = await embed(['a cat sat on the mat', 'a kitten was sitting on the rug', 'quarterly revenue grew 5%']);
  assert.equal(embeddings.length, 3);
  for (const e of embeddings) {
    assert.ok(e instanceof Float32Array);
    assert.equal(e.length, 512);
  }
  const near = cosine(embeddings[0], embeddings[1]);
  const far = cosine(embeddings[0], embeddings[2]);
  assert.ok(near > far + 0.3, `paraphrase ${near.toFixed(3)} vs unrelated ${far.toFixed(3)}`);
});

test('batching does not change the vectors', async () => {
  const texts = ['first sentence', 'a second, longer sentence about databases', 'third', 'the fourth one', 'and a fifth'];
  const big = await embed(texts);
  const small = createEmbeddedEmbeddingsProvider(settings({ options: { batchSize: 2 } }));
  const batched = await embed(texts, {}, small);
  const single = await embed([texts[1]]);
  for (let i = 0; i < texts.length; i++) assert.ok(cosine(big.embeddings[i], batched.embeddings[i]) > 0.9999, `input ${i}`);
  assert.ok(cosine(big.embeddings[1], single.embeddings[0]) > 0.9999);
  assert.equal(big.inputTokens, batched.inputTokens);
});

test('normalize gives unit vectors; input tokens are the encoder pieces', async () => {
  const { embeddings, inputTokens } = await embed(['Hello world', 'Retrieval-augmented generation over company documents'], {
    normalize: true,
  });
  for (const e of embeddings) {
    const norm = Math.hypot(...e);
    assert.ok(Math.abs(norm - 1) < 1e-5, `norm ${norm}`);
  }
  // At least one piece per word, fewer than one per character.
  assert.ok(inputTokens >= 8 && inputTokens < 60, `inputTokens ${inputTokens}`);
});

test('concurrent requests are all answered', async () => {
  const results = await Promise.all(['one', 'two', 'three', 'four'].map((w) => embed([`the number ${w}`])));
  assert.equal(results.length, 4);
  assert.ok(results.every((r) => r.embeddings[0].length === 512));
});

test('bad requests are ValidationExceptions', async () => {
  await assert.rejects(embed([]), is('ValidationException', /at least one input/));
  await assert.rejects(embed(['ok', '']), is('ValidationException', /Input 1 is empty/));
  await assert.rejects(embed(['x'], { dimensions: 256 }), is('ValidationException', /512-dimensional.*cannot return 256/));
  const ok = await embed(['x'], { dimensions: 512 });
  assert.equal(ok.embeddings[0].length, 512);
  await assert.rejects(embed(['word '.repeat(9000)]), is('ValidationException', /is 9001 tokens.*at most 8192/));
  await assert.rejects(embed(['x'.repeat(200_000)]), is('ValidationException', /200000 characters.*at most 8192/));
});

test('the linear tokenizer gives the reference tokenizer\'s ids, and stays fast on long input', async () => {
  const { model: use } = await loadUseModel();
  const samples = ['a cat sat on the mat', '', ' ', 'Hello,   world!!', 'naïve café — 東京 😀😀 ∑x²', 'v1.2.3 2024-05-01', 'ﬁne ①', '\t\nlines', 'ab'.repeat(300)];
  for (const s of samples) assert.deepEqual(tokenizeUse(use.tokenizer, s), use.tokenizer.encode(s), JSON.stringify(s));
  const t0 = Date.now();
  const ids = tokenizeUse(use.tokenizer, 'word '.repeat(9000));
  assert.ok(ids.length > 9000);
  // The reference implementation takes ~15 s here: it is quadratic in the input length.
  assert.ok(Date.now() - t0 < 2_000, `${Date.now() - t0} ms`);
});

test('generate and stream refuse: this is an embedding model', async () => {
  const req: GenerateRequest = { modelId: USE_MODEL_ID, model, messages: [{ role: 'user', content: [{ text: 'hi' }] }] };
  await assert.rejects(provider.generate(req, call), is('ValidationException', /embedding model/));
  const parts: StreamPart[] = [];
  for await (const p of provider.stream(req, call)) parts.push(p);
  assert.equal(parts.length, 1);
  assert.equal(parts[0].type, 'error');
  assert.ok(parts[0].type === 'error' && is('ValidationException', /embedding model/)(parts[0].error));
});

test('an aborted call stops before computing', async () => {
  const ac = new AbortController();
  ac.abort();
  assert.ok(provider.embed);
  await assert.rejects(provider.embed({ modelId: USE_MODEL_ID, model, inputs: ['x'] }, { signal: ac.signal }), is('ModelTimeoutException'));
});

test('configured aliases are listed and served by the same encoder; unknown options fail loudly', async () => {
  const alias: ModelInfo = { ...model, id: 'amazon.titan-embed-text-v2:0', name: 'alias', upstreamModel: 'use' };
  const p = createEmbeddedEmbeddingsProvider(settings({ models: [alias] }));
  assert.deepEqual(
    (await p.listModels()).map((m) => m.id),
    [USE_MODEL_ID, STATIC_MODEL_ID, 'amazon.titan-embed-text-v2:0'],
  );
  assert.ok(p.embed);
  const r = await p.embed({ modelId: alias.id, model: alias, inputs: ['hello'] }, call);
  assert.equal(r.embeddings[0].length, 512);
  assert.throws(() => createEmbeddedEmbeddingsProvider(settings({ options: { batchsize: 4 } })), is('ValidationException', /invalid options/));
});
