import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Index } from 'usearch';
import type { MetadataFilter } from '../metadata.js';
import { cosineSimilarity } from './cosine-similarity.js';
import { EmbeddedVectorStoreFactory, type EmbeddedVectorStoreOptions } from './embedded-vector-store.js';
import type { ChunkInput, VectorStore } from './vector-store.js';

/**
 * What only the embedded store has: the usearch file is derived state next to the SQLite truth, and whatever happens to
 * it (deleted, stale, corrupt, never saved because the process died) the next open answers exactly as before.
 */
const D = 16;
const root = mkdtempSync(join(tmpdir(), 'quarry-embedded-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function corpus(docs: number, perDoc: number, seed = 1): Map<string, ChunkInput[]> {
  const r = rng(seed);
  const out = new Map<string, ChunkInput[]>();
  for (let d = 0; d < docs; d++) {
    out.set(
      `doc-${d}`,
      Array.from({ length: perDoc }, (_, i) => ({
        id: `doc-${d}-${i}`,
        text: `chunk ${i} of document ${d} ${i % 2 ? 'odd' : 'even'}`,
        vector: Float32Array.from({ length: D }, () => r() - 0.5),
        metadata: { doc: d, parity: i % 2 ? 'odd' : 'even' },
        location: { type: 'LOCAL', uri: `file:///doc-${d}` },
      })),
    );
  }
  return out;
}

const queries = Array.from({ length: 5 }, (_, q) => Float32Array.from({ length: D }, (_, j) => Math.sin(q * 7 + j)));

/** The exact answer, computed here, that every state of the files must reproduce. */
function expected(docs: Map<string, ChunkInput[]>, q: Float32Array, k: number, keep: (c: ChunkInput) => boolean = () => true): string[] {
  return [...docs.values()]
    .flat()
    .filter(keep)
    .map((c) => ({ id: c.id, s: cosineSimilarity(q, c.vector) }))
    .sort((a, b) => b.s - a.s)
    .slice(0, k)
    .map((c) => c.id);
}

async function fill(store: VectorStore, docs: Map<string, ChunkInput[]>): Promise<void> {
  for (const [id, chunks] of docs) await store.replaceDocument(id, chunks);
}

/**
 * The store answers like an exact scan: every chunk counted, hits in exact-score order, and at least 9 of the true top 10
 * per query. Not all 10: HNSW is approximate and usearch builds the graph on every core, so the graph (and a rare miss
 * among near-equal candidates) depends on the machine. What a lost or stale index would break, the count, the order and
 * assertFilesAgree still catch.
 */
async function assertAnswers(store: VectorStore, docs: Map<string, ChunkInput[]>): Promise<void> {
  assert.equal(await store.countChunks(), [...docs.values()].flat().length);
  const byId = new Map([...docs.values()].flat().map((c) => [c.id, c]));
  for (const q of queries) {
    const hits = (await store.searchVector(q, 10)).map((h) => h.id);
    const want = expected(docs, q, 10);
    assert.equal(hits.length, want.length);
    const scores = hits.map((id) => cosineSimilarity(q, (byId.get(id) as ChunkInput).vector));
    assert.deepEqual(scores, [...scores].sort((a, b) => b - a), 'hits in exact-score order');
    const found = hits.filter((id) => want.includes(id)).length;
    assert.ok(found >= want.length - 1, `recall@10 ${found}/10: ${hits.join(',')} vs ${want.join(',')}`);
  }
}

/** Reads the files behind a closed index: the saved ANN index must hold exactly the live labels, no more. */
function assertFilesAgree(dir: string): void {
  const db = new Database(join(dir, 'kb', 'chunks.db'), { readonly: true });
  const labels = db.prepare<[], number>('SELECT label FROM chunks').pluck().all();
  db.close();
  const index = new Index({ dimensions: D, metric: 'cos', quantization: 'f32', connectivity: 16, expansion_add: 64, expansion_search: 64, multi: false } as never);
  index.load(join(dir, 'kb', 'vectors.usearch'));
  assert.equal(index.size(), labels.length, 'no deleted label left in the ANN file');
  assert.ok((index.contains(BigUint64Array.from(labels, BigInt)) as boolean[]).every(Boolean), 'every live label in it');
}

function setup(options: Partial<EmbeddedVectorStoreOptions> = {}) {
  const dir = join(root, `case-${++n}`);
  const indexId = 'kb';
  const factory = () => new EmbeddedVectorStoreFactory({ dir, ...options });
  return {
    dir,
    annFile: join(dir, indexId, 'vectors.usearch'),
    open: (f = factory()) => f.open({ indexId, dimensions: D }),
    factory,
  };
}

describe('embedded vector store: the usearch file is derived state', () => {
  test('saved on close, loaded on open; deleted → rebuilt from SQLite with the same answers', async () => {
    const t = setup();
    const docs = corpus(10, 30);
    const s = await t.open();
    await fill(s, docs);
    await assertAnswers(s, docs);
    await s.close();
    assert.ok(existsSync(t.annFile), 'written on close');
    const reopened = await t.open();
    await assertAnswers(reopened, docs);
    await reopened.close();
    rmSync(t.annFile);
    const rebuilt = await t.open();
    await assertAnswers(rebuilt, docs);
    assert.ok(existsSync(t.annFile), 'saved again after the rebuild');
    await rebuilt.close();
    assertFilesAgree(t.dir);
  });

  test('a stale file (an older save put back) is detected and rebuilt', async () => {
    const t = setup();
    const docs = corpus(8, 20, 2);
    const s = await t.open();
    await fill(s, docs);
    await s.close();
    const old = `${t.annFile}.old`;
    copyFileSync(t.annFile, old);
    const s2 = await t.open();
    const replaced = corpus(3, 25, 3);
    for (const [id, chunks] of replaced) {
      const renamed = chunks.map((c) => ({ ...c, id: `${c.id}-v2` }));
      await s2.replaceDocument(id, renamed);
      docs.set(id, renamed);
    }
    await s2.deleteDocument('doc-7');
    docs.delete('doc-7');
    await s2.close();
    assertFilesAgree(t.dir);
    copyFileSync(old, t.annFile);
    const s3 = await t.open();
    await assertAnswers(s3, docs);
    await s3.close();
    assertFilesAgree(t.dir);
  });

  test('a corrupt or truncated file never reaches usearch (which would crash the process); the index is rebuilt', async () => {
    const t = setup();
    const docs = corpus(6, 20, 4);
    const s = await t.open();
    await fill(s, docs);
    await s.close();
    const good = readFileSync(t.annFile);
    const flipped = Buffer.from(good);
    flipped.fill(0xff, 64, Math.min(flipped.length, 4096));
    for (const bad of [flipped, good.subarray(0, good.length >> 1), Buffer.from('not an index'), Buffer.alloc(0)]) {
      writeFileSync(t.annFile, bad);
      const again = await t.open();
      await assertAnswers(again, docs);
      await again.close();
      assert.ok(statSync(t.annFile).size > good.length / 2, 'rewritten whole');
    }
  });

  test('a process that dies without saving: the next open replays deletions and adds what is missing', async () => {
    const t = setup({ saveDelayMs: Number.POSITIVE_INFINITY });
    const docs = corpus(6, 20, 5);
    const s = await t.open();
    await fill(s, docs);
    await s.close();
    // A child process changes the index and exits without closing it: SQLite has the changes, the file does not.
    const script = join(t.dir, 'crash.mts');
    const storeModule = fileURLToPath(new URL('./embedded-vector-store.ts', import.meta.url));
    writeFileSync(
      script,
      `import { EmbeddedVectorStoreFactory } from ${JSON.stringify(storeModule)};
       const f = new EmbeddedVectorStoreFactory({ dir: ${JSON.stringify(t.dir)}, saveDelayMs: Infinity });
       const s = await f.open({ indexId: 'kb', dimensions: ${D} });
       await s.deleteDocument('doc-0');
       await s.replaceDocument('doc-1', [{ id: 'fresh', text: 'fresh', vector: new Float32Array(${D}).fill(1), metadata: {}, location: { type: 'LOCAL', uri: 'x' } }]);
       process.exit(0);`,
    );
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', cwd: process.cwd() });
    assert.equal(child.status, 0, child.stderr);
    docs.delete('doc-0');
    docs.set('doc-1', [{ id: 'fresh', text: 'fresh', vector: new Float32Array(D).fill(1), metadata: {}, location: { type: 'LOCAL', uri: 'x' } }]);
    const after = await t.open();
    await assertAnswers(after, docs);
    assert.equal((await after.searchVector(new Float32Array(D).fill(1), 1))[0].id, 'fresh');
    await after.close();
    assertFilesAgree(t.dir);
  });

  test('a selective filter past the candidate limit falls back to an exact scan of what the filter keeps', async () => {
    const t = setup({ maxFilteredCandidates: 64 });
    const docs = corpus(20, 50, 6);
    const s = await t.open();
    await fill(s, docs);
    for (const [filter, keep] of [
      [{ equals: { key: 'doc', value: 13 } }, (c: ChunkInput) => c.metadata.doc === 13],
      [
        { andAll: [{ in: { key: 'doc', value: [2, 3] } }, { equals: { key: 'parity', value: 'odd' } }] },
        (c: ChunkInput) => (c.metadata.doc === 2 || c.metadata.doc === 3) && c.metadata.parity === 'odd',
      ],
    ] as [MetadataFilter, (c: ChunkInput) => boolean][]) {
      for (const q of queries) {
        assert.deepEqual(
          (await s.searchVector(q, 10, filter)).map((h) => h.id),
          expected(docs, q, 10, keep),
        );
      }
    }
    await s.close();
  });

  test('i8 (the default) and f32 both answer like an exact scan (the store re-ranks with the exact vectors); changing it rebuilds the file', async () => {
    const t = setup({ ann: { quantization: 'i8' } });
    const docs = corpus(10, 30, 8);
    const s = await t.open();
    await fill(s, docs);
    await assertAnswers(s, docs);
    const i8Size = await s.close().then(() => statSync(t.annFile).size);
    const f32 = await t.open(new EmbeddedVectorStoreFactory({ dir: t.dir, ann: { quantization: 'f32' } }));
    await assertAnswers(f32, docs);
    await f32.close();
    assert.ok(statSync(t.annFile).size > i8Size, 'the f32 file replaced the i8 one');
  });

  test('handles share one index; it closes with the last; a dropped index refuses its other handles', async () => {
    const t = setup();
    const f = t.factory();
    const a = await t.open(f);
    const b = await t.open(t.factory());
    const docs = corpus(2, 5, 9);
    await fill(a, docs);
    await assertAnswers(b, docs);
    await a.close();
    await assertAnswers(b, docs);
    await b.close();
    const c = await t.open(f);
    const d = await t.open(f);
    await assertAnswers(c, docs);
    await c.drop();
    await assert.rejects(d.searchVector(queries[0], 1), /dropped/);
    assert.equal(existsSync(join(t.dir, 'kb')), false);
    await d.close();
  });
});
