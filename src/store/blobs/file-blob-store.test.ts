import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { QuarryError } from '../../core/index.js';
import { FileBlobStore } from './file-blob-store.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

async function keys(store: FileBlobStore, prefix: string) {
  const out: string[] = [];
  for await (const e of store.list(prefix)) out.push(e.key);
  return out;
}

function rejectsValidation(p: Promise<unknown>, pattern: RegExp) {
  return assert.rejects(p, (e: unknown) => {
    assert.ok(QuarryError.isInstance(e), `expected a QuarryError, got ${String(e)}`);
    assert.equal(e.code, 'ValidationException');
    assert.match(e.message, pattern);
    return true;
  });
}

describe('FileBlobStore', () => {
  const base = mkdtempSync(join(tmpdir(), 'quarry-blobs-'));
  after(() => rmSync(base, { recursive: true, force: true }));
  let n = 0;
  const fresh = () => {
    const root = join(base, `s${n++}`, 'blobs');
    return { root, store: new FileBlobStore(root) };
  };

  test('put, get, overwrite, delete; missing keys read as undefined', async () => {
    const { store } = fresh();
    assert.equal(await store.get('nope'), undefined);
    await store.put('kb/1/doc.txt', bytes('hello'));
    assert.equal(text(await store.get('kb/1/doc.txt')), 'hello');
    await store.put('kb/1/doc.txt', bytes('bye'), { contentType: 'text/plain' });
    assert.equal(text(await store.get('kb/1/doc.txt')), 'bye');
    // Normalised keys name the same blob.
    assert.equal(text(await store.get('kb//1/./doc.txt')), 'bye');
    assert.equal(await store.get('kb/1'), undefined, 'a folder is not a blob');
    assert.equal(await store.get('kb/1/doc.txt/more'), undefined, 'a key through a blob is not a blob');
    await store.delete('kb/1/doc.txt');
    assert.equal(await store.get('kb/1/doc.txt'), undefined);
    await store.delete('kb/1/doc.txt');
    await store.delete('never/was');
    await store.put('empty', new Uint8Array(0));
    assert.equal((await store.get('empty'))?.byteLength, 0);
  });

  test('binary contents come back byte for byte', async () => {
    const { store } = fresh();
    const b = new Uint8Array(70_000).map((_, i) => (i * 31) & 0xff);
    await store.put('bin/x.bin', b);
    assert.deepEqual(new Uint8Array((await store.get('bin/x.bin'))!), b);
  });

  test('list by prefix in key order, skipping half-written files', async () => {
    const { root, store } = fresh();
    for (const k of ['b', 'a/b', 'a.txt', 'a-z', 'a/a/z', 'a/c', 'docs/readme', 'docs/reports/q1', 'docs2/x', 'Z']) await store.put(k, bytes(k));
    // A crash between write and rename leaves this behind; it must not show as a key.
    writeFileSync(join(root, 'a', `c.123${'.quarry-partial'}`), 'half');
    const all = await keys(store, '');
    assert.deepEqual(all, [...all].sort(), 'code-unit order');
    assert.deepEqual(all, ['Z', 'a-z', 'a.txt', 'a/a/z', 'a/b', 'a/c', 'b', 'docs/readme', 'docs/reports/q1', 'docs2/x']);
    assert.deepEqual(await keys(store, 'a/'), ['a/a/z', 'a/b', 'a/c']);
    assert.deepEqual(await keys(store, 'a'), ['a-z', 'a.txt', 'a/a/z', 'a/b', 'a/c']);
    assert.deepEqual(await keys(store, 'docs/re'), ['docs/readme', 'docs/reports/q1']);
    assert.deepEqual(await keys(store, 'docs/.'), ['docs/readme', 'docs/reports/q1']);
    assert.deepEqual(await keys(store, 'docs'), ['docs/readme', 'docs/reports/q1', 'docs2/x']);
    assert.deepEqual(await keys(store, 'nothing/here/'), []);
    assert.deepEqual(await keys(store, 'b/'), [], 'a prefix through a blob lists nothing');
    const sizes = [];
    for await (const e of store.list('docs/readme')) sizes.push(e);
    assert.deepEqual(sizes, [{ key: 'docs/readme', size: 11 }]);
  });

  test('list on a root that does not exist yet is empty', async () => {
    const { store } = fresh();
    assert.deepEqual(await keys(store, ''), []);
  });

  test('hostile keys are refused with a clear error and nothing is written outside the root', async () => {
    const { root, store } = fresh();
    mkdirSync(root, { recursive: true });
    const hostile: [unknown, RegExp][] = [
      ['../escape', /"\.\."/],
      ['a/../../escape', /"\.\."/],
      ['a/..', /"\.\."/],
      ['/etc/passwd', /absolute/],
      ['a\\..\\..\\x', /backslash/],
      ['a\0b', /control character/],
      ['a\nb', /control character/],
      ['', /empty/],
      ['./', /empty/],
      ['dir/', /folder/],
      [`x${'.quarry-partial'}`, /reserved/],
      ['x'.repeat(2000), /at most 1024/],
      [`a/${'y'.repeat(300)}`, /longer than/],
      [42, /must be a string/],
    ];
    for (const [key, pattern] of hostile) {
      await rejectsValidation(store.put(key as string, bytes('x')), pattern);
      await rejectsValidation(store.get(key as string), pattern);
      await rejectsValidation(store.delete(key as string), pattern);
    }
    await rejectsValidation(keys(store, '../'), /"\.\."/);
    await rejectsValidation(keys(store, '/abs'), /absolute/);
    assert.deepEqual(readdirSync(join(root, '..')), ['blobs'], 'nothing written beside the root');
    assert.deepEqual(readdirSync(root), []);
  });

  test('a key through an existing blob, or onto a folder, is refused clearly', async () => {
    const { store } = fresh();
    await store.put('a', bytes('file'));
    await rejectsValidation(store.put('a/b', bytes('x')), /through an existing blob/);
    await store.put('d/e', bytes('x'));
    await rejectsValidation(store.put('d', bytes('x')), /names a folder/);
    assert.deepEqual(await keys(store, ''), ['a', 'd/e'], 'no temporary files left behind');
    await rejectsValidation(store.put('z', 'not bytes' as unknown as Uint8Array), /must be bytes/);
  });

  test('concurrent writes of one key leave one whole value', async () => {
    const { store } = fresh();
    const values = Array.from({ length: 20 }, (_, i) => String(i).repeat(10_000));
    await Promise.all(values.map((v) => store.put('race', bytes(v))));
    assert.ok(values.includes(text(await store.get('race'))!));
    assert.deepEqual(await keys(store, ''), ['race']);
  });
});
