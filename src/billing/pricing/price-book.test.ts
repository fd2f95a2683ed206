import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ModelInfo } from '../../core/index.js';
import { migrate, openStore, type Store } from '../../store/index.js';
import { costOf, costOfUsage } from '../cost.js';
import { billingMigrations } from '../tables.js';
import { DEFAULT_PRICES } from './default-prices.js';
import { modelPriceBody } from './model-price.js';
import { PriceBook, spellings } from './price-book.js';

let store: Store;
let dir: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'quarry-prices-'));
  store = await openStore({ dataDir: dir });
  await migrate(store.db, billingMigrations);
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const model = (id: string, extra: Partial<ModelInfo> = {}): ModelInfo => ({
  id,
  name: id,
  providerId: 'p',
  upstreamModel: id,
  family: 'generic',
  kind: 'text',
  inputModalities: ['TEXT'],
  outputModalities: ['TEXT'],
  runsOn: 'remote',
  supportsTools: false,
  supportsStreaming: true,
  ...extra,
});
const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} != ${b}`);

test('the built-in catalog covers the well-known models, each with its date and source', () => {
  const ids = new Set(DEFAULT_PRICES.map((p) => p.modelId));
  for (const id of [
    'anthropic.claude-3-5-sonnet-20241022-v2:0',
    'anthropic.claude-3-7-sonnet-20250219-v1:0',
    'anthropic.claude-sonnet-4-20250514-v1:0',
    'anthropic.claude-opus-4-20250514-v1:0',
    'anthropic.claude-3-haiku-20240307-v1:0',
    'meta.llama3-1-70b-instruct-v1:0',
    'amazon.titan-text-express-v1',
    'amazon.titan-embed-text-v2:0',
    'amazon.nova-micro-v1:0',
    'amazon.nova-lite-v1:0',
    'amazon.nova-pro-v1:0',
    'mistral.mistral-large-2407-v1:0',
    'cohere.embed-english-v3',
    'gpt-4o',
    'gpt-4o-mini',
    'gpt-4.1',
    'gpt-4.1-mini',
    'o3',
    'o4-mini',
    'text-embedding-3-small',
    'text-embedding-3-large',
  ]) {
    assert.ok(ids.has(id), id);
  }
  for (const p of DEFAULT_PRICES) {
    assert.ok(p.asOf && p.source, p.modelId);
    // Every default is a valid PUT body: what the API accepts, the defaults obey.
    const { modelId, ...rest } = p;
    assert.ok(modelPriceBody.safeParse(rest).success, modelId);
  }
});

test('a model is found under its catalog spelling: inference-profile prefix, ARN, dated snapshot, context variant', () => {
  assert.deepEqual(spellings(['us.anthropic.claude-3-haiku-20240307-v1:0']).slice(0, 2), ['us.anthropic.claude-3-haiku-20240307-v1:0', 'anthropic.claude-3-haiku-20240307-v1:0']);
  const book = new PriceBook(undefined);
  for (const id of [
    'us.anthropic.claude-3-haiku-20240307-v1:0',
    'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0',
    'anthropic.claude-3-haiku-20240307-v1:0:200k',
  ]) {
    assert.equal(book.lookup([id], 'us-east-1')?.modelId, 'anthropic.claude-3-haiku-20240307-v1:0', id);
  }
  assert.equal(book.lookup(['gpt-4o-2024-08-06'], 'us-east-1')?.modelId, 'gpt-4o');
  assert.equal(book.lookup(['acme.unknown-v1:0'], 'us-east-1'), undefined);
});

test('cache read and write tokens are priced apart; embeddings and images at their own prices; batch discounted', () => {
  const book = new PriceBook(undefined);
  const sonnet = model('anthropic.claude-3-7-sonnet-20250219-v1:0');
  const usage = { inputTokens: 1000, outputTokens: 1000, totalTokens: 4000, cacheReadInputTokens: 1000, cacheWriteInputTokens: 1000 };
  // 1K in × 0.003 + 1K out × 0.015 + 1K read × 0.0003 + 1K write × 0.00375
  close(book.costOf(sonnet, 'us-east-1', { usage }), 0.003 + 0.015 + 0.0003 + 0.00375);
  close(book.costOf(sonnet, 'us-east-1', { usage, batch: true }), (0.003 + 0.015 + 0.0003 + 0.00375) / 2);
  // OpenAI: cached input at its own price, no surcharge for writing.
  close(book.costOf(model('gpt-4o-mini'), 'us-east-1', { usage }), 0.00015 + 0.0006 + 0.000075 + 0.00015);
  const titan = model('amazon.titan-embed-text-v2:0', { kind: 'embedding' });
  close(book.costOf(titan, 'us-east-1', { usage: { inputTokens: 5000, outputTokens: 0, totalTokens: 5000 } }), 5 * 0.00002);
  close(book.costOf(model('amazon.nova-canvas-v1:0'), 'us-east-1', { usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 }, images: 3 }), 0.12);
  // Without cache prices of its own, an entry prices cache tokens at Bedrock's ratios of its input price.
  close(costOf(usage, { inputPer1k: 0.001, outputPer1k: 0.002 }), 0.001 + 0.002 + 0.0001 + 0.00125);
  close(costOfUsage({ usage }, undefined), 0);
});

test('edits replace the built-in entry, a region entry beats the any-region one, configuration beats both; removal restores', async () => {
  const book = new PriceBook(store.db);
  await book.load();
  const haiku = model('anthropic.claude-3-haiku-20240307-v1:0');
  const usage = { inputTokens: 1000, outputTokens: 1000, totalTokens: 2000 };
  close(book.costOf(haiku, 'eu-central-1', { usage }), 0.00025 + 0.00125);

  const edited = await book.put(haiku.id, modelPriceBody.parse({ inputPer1k: 0.001, outputPer1k: 0.002, asOf: '2026-11-01', source: 'our contract' }));
  assert.equal(edited.origin, 'custom');
  await book.put(haiku.id, modelPriceBody.parse({ region: 'eu-central-1', inputPer1k: 0.003, outputPer1k: 0.004 }));
  close(book.costOf(haiku, 'us-east-1', { usage }), 0.003);
  close(book.costOf(haiku, 'eu-central-1', { usage }), 0.007);
  const listed = book.list({ modelId: haiku.id });
  assert.deepEqual(
    listed.map((p) => [p.region, p.origin, p.asOf]),
    [
      ['*', 'custom', '2026-11-01'],
      ['eu-central-1', 'custom', new Date().toISOString().slice(0, 10)],
    ],
  );

  // Another replica's book sees the stored edits once it reads them.
  const other = new PriceBook(store.db);
  await other.load();
  close(other.costOf(haiku, 'eu-central-1', { usage }), 0.007);

  // models[].pricing in the configuration overrides the catalog's input and output prices.
  close(book.costOf({ ...haiku, pricing: { inputPer1k: 0.01, outputPer1k: 0.02 } }, 'eu-central-1', { usage }), 0.03);

  await book.remove(haiku.id, 'eu-central-1');
  await book.remove(haiku.id, '*');
  close(book.costOf(haiku, 'eu-central-1', { usage }), 0.00025 + 0.00125);
  await assert.rejects(book.remove(haiku.id, '*'), /built-in entry cannot be removed/);
});

test('hostile entries are refused by the schema', () => {
  for (const bad of [
    {},
    { inputPer1k: -1 },
    { inputPer1k: Number.NaN },
    { inputPer1k: 1e9 },
    { batchDiscount: 1.5, inputPer1k: 1 },
    { region: 'us-east-1; DROP TABLE', inputPer1k: 1 },
    { inputPer1k: 1, extra: true },
    { provisioned: { oneMonthPerHour: 1, unitInputTokensPerMinute: 0 } },
  ]) {
    assert.equal(modelPriceBody.safeParse(bad).success, false, JSON.stringify(bad));
  }
});
