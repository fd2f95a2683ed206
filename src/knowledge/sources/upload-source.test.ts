import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuarryError } from '../../core/index.js';
import type { BlobStore } from '../../store/blobs/blob-store.js';
import type { SourceEntry } from './source-item.js';
import { UploadSource } from './upload-source.js';

/** The interface's contract, in memory: keys listed in key order under a prefix. */
class MemoryBlobs implements BlobStore {
  readonly map = new Map<string, Uint8Array>();
  async put(key: string, bytes: Uint8Array) {
    this.map.set(key, bytes);
  }
  async get(key: string) {
    return this.map.get(key);
  }
  async delete(key: string) {
    this.map.delete(key);
  }
  async *list(prefix: string) {
    for (const key of [...this.map.keys()].sort()) if (key.startsWith(prefix)) yield { key, size: this.map.get(key)!.byteLength };
  }
}

const bytes = (s: string) => new TextEncoder().encode(s);

async function collect(source: UploadSource): Promise<SourceEntry[]> {
  const out: SourceEntry[] = [];
  for await (const e of source.list()) out.push(e);
  return out;
}

test('uploads under the prefix, in key order, with sidecars attached and oversized files refused', async () => {
  const blobs = new MemoryBlobs();
  const p = 'kb/kb1/ds/ds1/';
  await blobs.put(`${p}report.pdf`, bytes('%PDF'));
  await blobs.put(`${p}report.pdf.x`, bytes('sorts between the file and its sidecar'));
  await blobs.put(`${p}report.pdf.metadata.json`, bytes(JSON.stringify({ metadataAttributes: { year: 2024 } })));
  await blobs.put(`${p}notes/a b.txt`, bytes('spaced name'));
  await blobs.put(`${p}notes/bad.txt`, bytes('x'));
  await blobs.put(`${p}notes/bad.txt.metadata.json`, bytes('[1,2]'));
  await blobs.put(`${p}big.bin`, new Uint8Array(2000));
  await blobs.put('kb/kb1/ds/ds2/other.txt', bytes('another data source'));

  const entries = await collect(new UploadSource({ blobs, prefix: 'kb/kb1/ds/ds1', maxFileBytes: 1000 }));
  assert.deepEqual(
    entries.map((e) => [e.uri, e.ok]),
    [
      ['upload:///big.bin', false],
      ['upload:///notes/a%20b.txt', true],
      ['upload:///notes/bad.txt', false],
      ['upload:///report.pdf', true],
      ['upload:///report.pdf.x', true],
    ],
  );
  const report = entries.find((e) => e.ok && e.name === 'report.pdf');
  assert.ok(report?.ok);
  assert.deepEqual(report.metadata, { year: 2024 });
  assert.deepEqual(report.sidecar, { metadata: { year: 2024 }, embedKeys: [] });
  assert.equal(new TextDecoder().decode(await report.read()), '%PDF');
  const failures = entries.filter((e) => !e.ok).map((e) => (e as { reason: string }).reason);
  assert.match(failures[0]!, /2000 bytes, over the 1000-byte limit/);
  assert.match(failures[1]!, /metadata file notes\/bad\.txt\.metadata\.json: .*invalid metadata file/);

  // Deleted between listing and reading: a clear error for that document.
  await blobs.delete(`${p}report.pdf`);
  await assert.rejects(report.read(), (e: unknown) => QuarryError.isInstance(e) && e.code === 'ResourceNotFoundException');
});

test('an injected sidecar parser replaces the built-in one', async () => {
  const blobs = new MemoryBlobs();
  await blobs.put('u/a.txt', bytes('a'));
  await blobs.put('u/a.txt.metadata.json', bytes('custom'));
  const parseSidecar = (b: Uint8Array, name: string) => ({ metadata: { raw: new TextDecoder().decode(b), name }, embedKeys: [] });
  const [entry] = await collect(new UploadSource({ blobs, prefix: 'u/', parseSidecar }));
  assert.ok(entry?.ok);
  assert.deepEqual(entry.metadata, { raw: 'custom', name: 'a.txt.metadata.json' });
});
