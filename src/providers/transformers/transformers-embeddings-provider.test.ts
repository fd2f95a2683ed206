import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type GenerateRequest, type ModelInfo, type ProviderSettings, QuarryError, type StreamPart } from '../../core/index.js';
import { discoverEmbeddingModels } from './discover-embedding-models.js';
import { writeTinyEmbeddingModel } from './tiny-onnx-model.js';
import { createTransformersEmbeddingsProvider } from './transformers-embeddings-provider.js';

// Word vectors chosen so meaning is checkable: pets along one axis, finance along another.
const VECTORS: Record<string, number[]> = {
  cat: [1, 0.1, 0, 0],
  kitten: [0.9, 0.2, 0, 0],
  mat: [0.6, 0.4, 0, 0],
  rug: [0.5, 0.5, 0, 0],
  revenue: [0, 0, 1, 0.1],
  grew: [0, 0, 0.7, 0.3],
  quarterly: [0, 0.1, 0.8, 0.2],
};

let dataDir: string;
let embDir: string;
const call = { signal: new AbortController().signal };

const settings = (over: Partial<ProviderSettings> = {}): ProviderSettings => ({
  id: 'local-embeddings',
  type: 'transformers',
  models: [],
  options: {},
  dataDir,
  timeoutMs: 30_000,
  ...over,
});

const is = (code: string, pattern?: RegExp) => (e: unknown) =>
  QuarryError.isInstance(e) && e.code === code && (!pattern || pattern.test(e.message));

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

async function modelById(p: ReturnType<typeof createTransformersEmbeddingsProvider>, id: string): Promise<ModelInfo> {
  const m = (await p.listModels()).find((x) => x.id === id);
  assert.ok(m, `${id} is listed`);
  return m;
}

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'quarry-tx-'));
  embDir = join(dataDir, 'embeddings');
  await writeTinyEmbeddingModel(join(embDir, 'tiny-MiniLM'), VECTORS, { maxLength: 12 });
  await writeTinyEmbeddingModel(join(embDir, 'tiny-q8'), VECTORS, { onnxFile: 'model_quantized.onnx' });
  // Junk the scan must step over.
  await writeFile(join(embDir, 'README.txt'), 'not a model');
  await mkdir(join(embDir, 'empty'));
  await mkdir(join(embDir, 'bad-json'));
  await writeFile(join(embDir, 'bad-json', 'config.json'), '{ nope');
  await mkdir(join(embDir, 'no-onnx'));
  await writeFile(join(embDir, 'no-onnx', 'config.json'), '{"model_type":"bert"}');
  await writeFile(join(embDir, 'no-onnx', 'tokenizer.json'), '{}');
  await writeFile(join(embDir, 'no-onnx', 'tokenizer_config.json'), '{}');
  await mkdir(join(embDir, 'bad name'));
  await mkdir(join(embDir, '.hidden'));
  await writeTinyEmbeddingModel(join(embDir, 'tiny-minilm'), VECTORS); // same id as tiny-MiniLM
});
after(() => rm(dataDir, { recursive: true, force: true }));

test('discovery lists real model folders and says why it skipped the rest', async () => {
  const { models, skipped } = await discoverEmbeddingModels(embDir, 'local-embeddings');
  assert.deepEqual(
    models.map((m) => [m.id, m.upstreamModel, m.embeddingDimensions, m.contextWindow]),
    [
      ['local.embed.tiny-minilm', 'tiny-MiniLM', 4, 12],
      ['local.embed.tiny-q8', 'tiny-q8', 4, 32],
    ],
  );
  const m = models[0];
  assert.equal(m.kind, 'embedding');
  assert.equal(m.runsOn, 'local');
  assert.deepEqual(m.outputModalities, ['EMBEDDING']);
  const reasons = Object.fromEntries(skipped.map((s) => [s.folder, s.reason]));
  assert.match(reasons.empty, /config\.json: missing/);
  assert.match(reasons['bad-json'], /config\.json: not valid JSON/);
  assert.match(reasons['no-onnx'], /no ONNX export: expected onnx\/model\.onnx/);
  assert.match(reasons['bad name'], /rename it/);
  assert.match(reasons['tiny-minilm'], /id local\.embed\.tiny-minilm is taken/);
  assert.equal(reasons['.hidden'], undefined);
  assert.deepEqual(await discoverEmbeddingModels(join(dataDir, 'nowhere'), 'x'), { models: [], skipped: [] });
});

test('runs a real ONNX model offline: mean pooling, unit vectors, meaning preserved', async () => {
  const realFetch = globalThis.fetch;
  globalThis.fetch = (() => {
    throw new Error('network access during model load');
  }) as typeof fetch;
  const p = createTransformersEmbeddingsProvider(settings());
  try {
    const model = await modelById(p, 'local.embed.tiny-minilm');
    assert.ok(p.embed);
    const r = await p.embed(
      { modelId: model.id, model, inputs: ['A cat sat on the mat', 'a kitten on a rug', 'Quarterly revenue grew 5%'] },
      call,
    );
    assert.equal(r.embeddings.length, 3);
    for (const e of r.embeddings) {
      assert.ok(e instanceof Float32Array);
      assert.equal(e.length, 4);
      assert.ok(Math.abs(Math.hypot(...e) - 1) < 1e-5);
    }
    const near = cosine(r.embeddings[0], r.embeddings[1]);
    const far = cosine(r.embeddings[0], r.embeddings[2]);
    assert.ok(near > 0.9 && far < 0.3, `near ${near}, far ${far}`);
    // [CLS] a cat sat on the mat [SEP] = 8; [CLS] a kitten on a rug [SEP] = 7; [CLS] quarterly revenue grew 5 % [SEP] = 7
    assert.equal(r.inputTokens, 22);
    // Mean pooling over the mask: the padding of shorter inputs in the batch must not change their vectors.
    const alone = await p.embed({ modelId: model.id, model, inputs: ['a kitten on a rug'] }, call);
    assert.ok(cosine(alone.embeddings[0], r.embeddings[1]) > 0.99999);
  } finally {
    globalThis.fetch = realFetch;
    await p.close?.();
  }
});

test('batch size does not change the vectors; a quantized export loads too', async () => {
  const inputs = ['cat', 'kitten mat', 'revenue', 'grew quarterly revenue', 'rug'];
  const big = createTransformersEmbeddingsProvider(settings());
  const small = createTransformersEmbeddingsProvider(settings({ options: { batchSize: 2 } }));
  try {
    const model = await modelById(big, 'local.embed.tiny-q8');
    assert.ok(big.embed && small.embed);
    const a = await big.embed({ modelId: model.id, model, inputs }, call);
    const b = await small.embed({ modelId: model.id, model, inputs }, call);
    for (let i = 0; i < inputs.length; i++) assert.ok(cosine(a.embeddings[i], b.embeddings[i]) > 0.99999, `input ${i}`);
    assert.equal(a.inputTokens, b.inputTokens);
  } finally {
    await big.close?.();
    await small.close?.();
  }
});

test('over-long input is refused, or cut when truncate is on; wrong dimensions are refused', async () => {
  const strict = createTransformersEmbeddingsProvider(settings());
  const lenient = createTransformersEmbeddingsProvider(settings({ options: { truncate: true } }));
  try {
    const model = await modelById(strict, 'local.embed.tiny-minilm');
    const long = 'cat '.repeat(20);
    assert.ok(strict.embed && lenient.embed);
    await assert.rejects(strict.embed({ modelId: model.id, model, inputs: [long] }, call), is('ValidationException', /22 tokens.*at most 12/));
    const cut = await lenient.embed({ modelId: model.id, model, inputs: [long] }, call);
    assert.equal(cut.inputTokens, 12);
    await assert.rejects(
      strict.embed({ modelId: model.id, model, inputs: ['cat'], dimensions: 384 }, call),
      is('ValidationException', /4-dimensional.*cannot return 384/),
    );
    await assert.rejects(strict.embed({ modelId: model.id, model, inputs: [] }, call), is('ValidationException'));
  } finally {
    await strict.close?.();
    await lenient.close?.();
  }
});

test('a missing or broken model folder is a clear error, and fixing it needs no restart', async () => {
  const p = createTransformersEmbeddingsProvider(settings());
  try {
    assert.ok(p.embed);
    const ghost: ModelInfo = { ...(await modelById(p, 'local.embed.tiny-q8')), id: 'local.embed.ghost', upstreamModel: 'ghost' };
    await assert.rejects(
      p.embed({ modelId: ghost.id, model: ghost, inputs: ['x'] }, call),
      is('ResourceNotFoundException', /local\.embed\.ghost has no usable model in .*ghost: not a folder\. A model folder holds config\.json/),
    );
    const broken = join(embDir, 'broken');
    await writeTinyEmbeddingModel(broken, VECTORS);
    await writeFile(join(broken, 'onnx', 'model.onnx'), 'this is not protobuf');
    const model = await modelById(p, 'local.embed.broken');
    await assert.rejects(p.embed({ modelId: model.id, model, inputs: ['x'] }, call), is('ModelErrorException', /could not load/));
    await writeTinyEmbeddingModel(broken, VECTORS);
    const ok = await p.embed({ modelId: model.id, model, inputs: ['cat'] }, call);
    assert.equal(ok.embeddings[0].length, 4);
  } finally {
    await rm(join(embDir, 'broken'), { recursive: true, force: true });
    await p.close?.();
  }
});

test('configured models come first; generate and stream refuse; closed providers refuse', async () => {
  const alias: ModelInfo = {
    id: 'acme.minilm-v1:0',
    name: 'alias',
    providerId: 'local-embeddings',
    upstreamModel: 'tiny-MiniLM',
    family: 'generic',
    kind: 'embedding',
    inputModalities: ['TEXT'],
    outputModalities: ['EMBEDDING'],
    runsOn: 'local',
    supportsTools: false,
    supportsStreaming: false,
  };
  const p = createTransformersEmbeddingsProvider(settings({ models: [alias] }));
  assert.deepEqual(
    (await p.listModels()).map((m) => m.id),
    ['acme.minilm-v1:0', 'local.embed.tiny-q8'],
  );
  const req: GenerateRequest = { modelId: alias.id, model: alias, messages: [{ role: 'user', content: [{ text: 'hi' }] }] };
  await assert.rejects(p.generate(req, call), is('ValidationException', /embedding model/));
  const parts: StreamPart[] = [];
  for await (const part of p.stream(req, call)) parts.push(part);
  assert.deepEqual(
    parts.map((x) => x.type),
    ['error'],
  );
  assert.ok(p.embed);
  assert.equal((await p.embed({ modelId: alias.id, model: alias, inputs: ['cat'] }, call)).embeddings.length, 1);
  await p.close?.();
  await assert.rejects(p.embed({ modelId: alias.id, model: alias, inputs: ['cat'] }, call), is('ServiceUnavailableException'));
  assert.throws(() => createTransformersEmbeddingsProvider(settings({ options: { batch: 2 } })), is('ValidationException', /invalid options/));
});
