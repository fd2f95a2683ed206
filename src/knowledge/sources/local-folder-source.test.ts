import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { QuarryError } from '../../core/index.js';
import { LocalFolderSource } from './local-folder-source.js';
import type { DataSourceReader, SourceEntry } from './source-item.js';

async function collect(source: DataSourceReader): Promise<SourceEntry[]> {
  const out: SourceEntry[] = [];
  for await (const e of source.list()) out.push(e);
  return out;
}

describe('LocalFolderSource', () => {
  let base: string;
  let root: string;
  let outside: string;
  let hasFifo = false;

  before(() => {
    base = mkdtempSync(join(tmpdir(), 'quarry-folder-'));
    root = join(base, 'root');
    outside = join(base, 'outside');
    mkdirSync(join(root, 'docs', 'deep'), { recursive: true });
    mkdirSync(join(root, 'node_modules', 'pkg'), { recursive: true });
    mkdirSync(join(root, '.git'));
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.txt'), 'outside the root');
    const files: Record<string, string> = {
      'a.md': '# A',
      'a.md.metadata.json': JSON.stringify({ metadataAttributes: { genre: 'fiction', year: 1998, tags: ['x', 'y'] } }),
      'b.txt': 'bee',
      'bad.txt': 'bad sidecar',
      'bad.txt.metadata.json': '{ not json',
      'wrong.txt': 'sidecar of the wrong shape',
      'wrong.txt.metadata.json': JSON.stringify({ metadataAttributes: { n: { nested: true } } }),
      'orphan.pdf.metadata.json': JSON.stringify({ metadataAttributes: { a: 1 } }),
      'docs/guide.md': 'guide',
      'docs/guide.md.metadata.json': JSON.stringify({
        metadataAttributes: { team: { value: { type: 'STRING', stringValue: 'search' }, includeForEmbedding: true } },
      }),
      'docs/deep/note.txt': 'deep',
      'docs/huge.log': 'x'.repeat(5000),
      'node_modules/pkg/index.js': 'code',
      '.env': 'SECRET=1',
      '.git/config': '[core]',
      'Zeta.txt': 'upper case sorts first',
    };
    for (const [p, text] of Object.entries(files)) writeFileSync(join(root, p), text);
    symlinkSync(root, join(root, 'loop'));
    symlinkSync('..', join(root, 'docs', 'up'));
    symlinkSync(outside, join(root, 'escape-dir'));
    symlinkSync(join(outside, 'secret.txt'), join(root, 'escape.txt'));
    symlinkSync(join('docs', 'guide.md'), join(root, 'shortcut.md'));
    symlinkSync(join(root, 'nothing-here'), join(root, 'broken.txt'));
    symlinkSync(join(root, 'self.txt'), join(root, 'self.txt'));
    try {
      execFileSync('mkfifo', [join(root, 'pipe.txt')]);
      hasFifo = true;
    } catch {
      // No mkfifo on this system: the special-file case is not exercised.
    }
  });

  after(() => rmSync(base, { recursive: true, force: true }));

  const rel = (e: SourceEntry) => decodeURIComponent(new URL(e.uri).pathname).slice(root.length + 1);

  test('lists files depth-first in name order, attaches sidecars, reports what it cannot offer', async () => {
    const source = new LocalFolderSource({ root, maxFileBytes: 1000, exclude: ['node_modules/**'] });
    const entries = await collect(source);
    const ok = entries.filter((e) => e.ok);
    assert.deepEqual(
      ok.map((e) => e.name),
      ['Zeta.txt', 'a.md', 'b.txt', 'docs/deep/note.txt', 'docs/guide.md'],
    );
    const a = ok.find((e) => e.name === 'a.md')!;
    assert.deepEqual(a.metadata, { genre: 'fiction', year: 1998, tags: ['x', 'y'] });
    assert.equal(a.uri, pathToFileURL(join(root, 'a.md')).href);
    assert.equal(a.size, 3);
    assert.equal(new TextDecoder().decode(await a.read()), '# A');
    const guide = ok.find((e) => e.name === 'docs/guide.md')!;
    assert.deepEqual(guide.metadata, { team: 'search' });
    assert.ok(guide.ok);
    assert.deepEqual(guide.sidecar?.embedKeys, ['team']);
    assert.equal(ok.find((e) => e.name === 'b.txt')!.metadata, undefined);

    const failures = Object.fromEntries(entries.filter((e) => !e.ok).map((e) => [rel(e), (e as { reason: string }).reason]));
    assert.match(failures['bad.txt']!, /^metadata file bad\.txt\.metadata\.json: .*invalid metadata file/);
    assert.match(failures['wrong.txt']!, /^metadata file wrong\.txt\.metadata\.json: .*metadataAttributes\.n/);
    assert.match(failures['docs/huge.log']!, /5000 bytes, over the 1000-byte limit/);
    for (const link of ['escape.txt', 'shortcut.md', 'broken.txt', 'self.txt', 'loop', 'escape-dir', 'docs/up']) {
      assert.match(failures[link]!, /not followed \(followSymlinks is off\)/, link);
    }
    if (hasFifo) assert.match(failures['pipe.txt']!, /not a regular file/);
    // Hidden files, excluded folders and orphan sidecars are left out quietly.
    for (const quiet of ['.env', '.git/config', 'node_modules/pkg/index.js', 'orphan.pdf.metadata.json']) {
      assert.ok(!entries.some((e) => rel(e) === quiet), quiet);
    }
    // The same folder lists the same way every time.
    assert.deepEqual(
      (await collect(source)).map((e) => e.uri),
      entries.map((e) => e.uri),
    );
  });

  test('followSymlinks: links inside the root are followed, loops and escapes are refused', async () => {
    const entries = await collect(new LocalFolderSource({ root, followSymlinks: true, exclude: ['node_modules', 'docs/huge.log'] }));
    const failures = Object.fromEntries(entries.filter((e) => !e.ok).map((e) => [rel(e), (e as { reason: string }).reason]));
    assert.match(failures.loop!, /symbolic link loop/);
    assert.match(failures['docs/up']!, /symbolic link loop/);
    assert.match(failures['escape-dir']!, /leads outside the data source folder/);
    assert.match(failures['escape.txt']!, /leads outside the data source folder/);
    assert.match(failures['broken.txt']!, /broken symbolic link/);
    assert.match(failures['self.txt']!, /loop/);
    const shortcut = entries.find((e) => e.ok && e.name === 'shortcut.md');
    assert.ok(shortcut?.ok);
    assert.equal(new TextDecoder().decode(await shortcut.read()), 'guide');
    // Nothing from outside the root is offered under any name.
    for (const e of entries) if (e.ok) assert.notEqual(new TextDecoder().decode(await e.read()), 'outside the root');
  });

  test('include and exclude globs', async () => {
    const md = await collect(new LocalFolderSource({ root, include: ['**/*.md'] }));
    assert.deepEqual(
      md.filter((e) => e.ok).map((e) => e.name),
      ['a.md', 'docs/guide.md'],
    );
    const noDocs = await collect(new LocalFolderSource({ root, exclude: ['docs', '**/*.txt', 'node_modules/**'], maxFileBytes: 10_000 }));
    assert.deepEqual(
      noDocs.filter((e) => e.ok).map((e) => e.name),
      ['a.md'],
    );
    const hidden = await collect(new LocalFolderSource({ root, include: ['.env', '.git/**'], includeHidden: true }));
    assert.deepEqual(
      hidden.filter((e) => e.ok).map((e) => e.name),
      ['.env', '.git/config'],
    );
  });

  test('read checks again: a file swapped for a link out of the root, or grown past the cap, is refused', async () => {
    const dir = join(base, 'swap');
    mkdirSync(dir);
    writeFileSync(join(dir, 'doc.txt'), 'fine');
    writeFileSync(join(dir, 'grows.txt'), 'small');
    const entries = await collect(new LocalFolderSource({ root: dir, maxFileBytes: 100 }));
    const doc = entries.find((e) => e.ok && e.name === 'doc.txt');
    const grows = entries.find((e) => e.ok && e.name === 'grows.txt');
    assert.ok(doc?.ok && grows?.ok);
    unlinkSync(join(dir, 'doc.txt'));
    symlinkSync(join(outside, 'secret.txt'), join(dir, 'doc.txt'));
    await assert.rejects(doc.read(), (e: unknown) => QuarryError.isInstance(e) && e.code === 'AccessDeniedException');
    truncateSync(join(dir, 'grows.txt'), 5000);
    await assert.rejects(grows.read(), (e: unknown) => QuarryError.isInstance(e) && /over the 100-byte limit/.test(e.message));
    const aborted = AbortSignal.abort();
    await assert.rejects(grows.read(aborted), { name: 'AbortError' });
  });

  test('a missing root is an error, not an empty folder', async () => {
    await assert.rejects(collect(new LocalFolderSource({ root: join(base, 'nope') })), (e: unknown) => {
      assert.ok(QuarryError.isInstance(e) && e.code === 'ResourceNotFoundException');
      assert.match((e as Error).message, /does not exist/);
      return true;
    });
    await assert.rejects(collect(new LocalFolderSource({ root: join(root, 'b.txt') })), /not a directory/);
  });
});
