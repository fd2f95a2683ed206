import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { discoverGguf } from './discover-gguf.js';
import { llamaOptionsSchema } from './llama-options.js';
import { localModelId } from './local-model-id.js';
import { writeGguf } from './test-fixtures/gguf-writer.js';
import { makeTinyGguf } from './test-fixtures/make-tiny-gguf.js';

const dir = mkdtempSync(join(tmpdir(), 'quarry-discover-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const defaults = llamaOptionsSchema.parse({});

test('discovery serves valid GGUFs and skips partial downloads, junk and embedding-only models', async () => {
  makeTinyGguf(join(dir, 'Qwen2.5-0.5B-Instruct-Q4_K_M.gguf'), { ctx: 8192, name: 'Qwen Tiny' });
  makeTinyGguf(join(dir, 'small-ctx.gguf'), { ctx: 1024 });
  // A download in progress: even a valid header must not be listed before it is complete.
  copyFileSync(join(dir, 'small-ctx.gguf'), join(dir, 'next-model.gguf.partial'));
  writeFileSync(join(dir, 'junk.gguf'), 'this is not a model');
  writeFileSync(join(dir, 'notes.txt'), 'hello');
  mkdirSync(join(dir, 'subfolder.gguf'));
  writeGguf(join(dir, 'nomic-embed.gguf'), { 'general.architecture': { type: 'str', value: 'nomic-bert' } }, []);
  writeGguf(
    join(dir, 'qwen3-embedding.gguf'),
    { 'general.architecture': { type: 'str', value: 'qwen3' }, 'qwen3.pooling_type': { type: 'u32', value: 3 } },
    [],
  );
  makeTinyGguf(join(dir, 'big-00001-of-00002.gguf'), { ctx: 512 });
  makeTinyGguf(join(dir, 'big-00002-of-00002.gguf'), { ctx: 512 });

  const { models, skipped } = await discoverGguf(dir, 'llama-1', defaults);
  // The trained 8192 is capped at the default 4096; split models list once, under their first part's name.
  assert.deepEqual(
    models.map((m) => [m.id, m.name, m.contextWindow]).sort(),
    [
      ['local.big', 'tiny-llama', 512],
      ['local.qwen2.5-0.5b-instruct-q4-k-m', 'Qwen Tiny', 4096],
      ['local.small-ctx', 'tiny-llama', 1024],
    ],
  );
  for (const m of models) {
    assert.equal(m.providerId, 'llama-1');
    assert.equal(m.family, 'generic');
    assert.equal(m.kind, 'text');
    assert.equal(m.runsOn, 'local');
    assert.ok(m.upstreamModel.startsWith(dir));
  }
  assert.deepEqual(skipped.map((s) => s.file).sort(), ['junk.gguf', 'nomic-embed.gguf', 'qwen3-embedding.gguf']);
  assert.match(skipped.find((s) => s.file === 'junk.gguf')!.reason, /not a readable GGUF/);
  assert.match(skipped.find((s) => s.file === 'qwen3-embedding.gguf')!.reason, /embedding-only/);
});

test('a configured contextSize is the window the catalog shows', async () => {
  const { models } = await discoverGguf(dir, 'llama-1', llamaOptionsSchema.parse({ contextSize: 2048 }));
  assert.equal(models.find((m) => m.id === 'local.small-ctx')?.contextWindow, 2048);
});

test('a missing models folder is an empty catalog', async () => {
  assert.deepEqual(await discoverGguf(join(dir, 'nope'), 'x', defaults), { models: [], skipped: [] });
});

test('model ids are lowercase and ARN-safe', () => {
  assert.equal(localModelId('Llama-3.2-1B-Instruct-Q4_K_M.gguf'), 'local.llama-3.2-1b-instruct-q4-k-m');
  assert.equal(localModelId('My Model (final)!.GGUF'), 'local.my-model-final');
  assert.equal(localModelId('___.gguf'), 'local.model');
});
