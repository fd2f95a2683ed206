import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { QuarryError } from '../../core/errors.js';
import { modelFilePath } from './models-dir.js';
import { removeModel } from './remove-model.js';

let dataDir: string;
before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'quarry-rm-'));
  await mkdir(join(dataDir, 'models'));
});
after(() => rm(dataDir, { recursive: true, force: true }));

const is = (code: string) => (e: unknown) => QuarryError.isInstance(e) && e.code === code;

test('removes the file and its partial download', async () => {
  await writeFile(join(dataDir, 'models', 'a.gguf'), 'x');
  await writeFile(join(dataDir, 'models', 'a.gguf.partial'), 'x');
  const removed = await removeModel('a.gguf', dataDir);
  assert.deepEqual(removed, [join(dataDir, 'models', 'a.gguf'), join(dataDir, 'models', 'a.gguf.partial')]);
  assert.deepEqual(await readdir(join(dataDir, 'models')), []);
});

test('a missing model is ResourceNotFound', async () => {
  await assert.rejects(removeModel('nope.gguf', dataDir), is('ResourceNotFoundException'));
});

test('names escaping the models folder are refused, and nothing outside is touched', async () => {
  await writeFile(join(dataDir, 'outside.gguf'), 'keep');
  for (const name of ['../outside.gguf', '..', '.', '', 'sub/../../outside.gguf', '/etc/passwd', '..\\outside.gguf', 'a\0b']) {
    await assert.rejects(removeModel(name, dataDir), is('ValidationException'), JSON.stringify(name));
  }
  assert.ok((await readdir(dataDir)).includes('outside.gguf'));
  assert.throws(() => modelFilePath(dataDir, '../x'), is('ValidationException'));
});

test('a symlink in the models folder is removed, its target kept', async () => {
  await writeFile(join(dataDir, 'target.gguf'), 'keep');
  await symlink(join(dataDir, 'target.gguf'), join(dataDir, 'models', 'link.gguf'));
  await removeModel('link.gguf', dataDir);
  assert.ok((await readdir(dataDir)).includes('target.gguf'));
  assert.deepEqual(await readdir(join(dataDir, 'models')), []);
});
