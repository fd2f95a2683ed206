import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { QuarryError } from '../../core/errors.js';
import type { Metadata, MetadataFilter } from '../metadata.js';
import { cosineSimilarity } from './cosine-similarity.js';
import { matchesFilter } from './match-filter.js';
import type { ChunkInput, VectorStore, VectorStoreFactory } from './vector-store.js';

/**
 * One behaviour for every VectorStore, registered as node:test tests. `setup` runs once; `reopen` must return a factory
 * as a restarted process would get it (same files or database, nothing held in memory), or the same factory for a store
 * whose data lives in the factory.
 */
export interface ConformanceTarget {
  name: string;
  skip?: string | false;
  setup(): Promise<{ factory: VectorStoreFactory; reopen(): Promise<VectorStoreFactory>; teardown(): Promise<void> }>;
}

const D = 8;

export function vectorStoreConformance(target: ConformanceTarget): void {
  describe(`VectorStore conformance: ${target.name}`, { skip: target.skip }, () => {
    let env: Awaited<ReturnType<ConformanceTarget['setup']>>;
    let n = 0;
    const opened: VectorStore[] = [];
    const open = async (dimensions = D, indexId = `t-${++n}`, factory = env.factory) => {
      const s = await factory.open({ indexId, dimensions });
      opened.push(s);
      return s;
    };
    before(async () => {
      env = await target.setup();
    });
    after(async () => {
      for (const s of opened) await s.close().catch(() => {});
      await env?.teardown();
    });

    test('semantic search: best cosine first, scores are cosine similarities, chunks round-trip', async () => {
      const s = await open();
      assert.equal(s.dimensions, D);
      assert.deepEqual(await s.searchVector(unit(0), 3), [], 'an empty index finds nothing');
      await s.replaceDocument('doc', [
        chunk('e', vec([-1])),
        chunk('c', vec([1, 1])),
        chunk('a', vec([2]), { parentText: 'the parent', metadata: { tags: ['x', 'y'], n: 1.5, b: true } }),
        chunk('d', vec([0, 1])),
        chunk('b', vec([1, 0.5])),
      ]);
      const hits = await s.searchVector(unit(0), 5);
      assert.deepEqual(
        hits.map((h) => h.id),
        ['a', 'b', 'c', 'd', 'e'],
      );
      const expected = [1, 1 / Math.sqrt(1.25), Math.SQRT1_2, 0, -1];
      for (const [i, h] of hits.entries()) assert.ok(Math.abs(h.score - expected[i]) < 1e-4, `score of ${h.id}: ${h.score}`);
      const a = hits[0];
      assert.equal(a.documentId, 'doc');
      assert.equal(a.text, 'text of a');
      assert.equal(a.parentText, 'the parent');
      assert.equal(hits[1].parentText, undefined);
      assert.deepEqual(a.metadata, { tags: ['x', 'y'], n: 1.5, b: true });
      assert.deepEqual(a.location, { type: 'S3', uri: 's3://bucket/a', pageNumber: 2 });
      assert.ok(a.vector instanceof Float32Array);
      assert.deepEqual([...a.vector!], [...vec([2])]);
      assert.deepEqual(
        (await s.searchVector(unit(0), 2)).map((h) => h.id),
        ['a', 'b'],
        'k bounds the results',
      );
      assert.equal(await s.countChunks(), 5);
    });

    test('keyword search: more matching terms and repetitions rank higher; no match, no result', async () => {
      const s = await open();
      assert.deepEqual(await s.searchKeyword('anything', 5), [], 'an empty index finds nothing');
      await s.replaceDocument('doc', [
        chunk('one', vec([1]), { text: 'The zebra grazes near the river bank.' }),
        chunk('two', vec([2]), { text: 'Zebra, zebra, zebra: stripes everywhere near the zebra crossing.' }),
        chunk('three', vec([3]), { text: 'A lion sleeps under the acacia tree.' }),
        chunk('four', vec([4]), { text: 'The lion watches the zebra herd at the river.' }),
      ]);
      const zebra = await s.searchKeyword('zebra', 10);
      assert.deepEqual(new Set(zebra.map((h) => h.id)), new Set(['one', 'two', 'four']));
      assert.equal(zebra[0].id, 'two', 'four occurrences beat one');
      assert.ok(zebra.every((h, i) => i === 0 || h.score <= zebra[i - 1].score), 'best first');
      assert.ok(zebra.every((h) => h.score > 0));
      const both = await s.searchKeyword('lion river', 10);
      assert.equal(both[0].id, 'four', 'the only chunk with both words comes first');
      assert.deepEqual(new Set(both.map((h) => h.id)), new Set(['one', 'three', 'four']));
      assert.equal((await s.searchKeyword('ZEBRA', 10)).length, 3, 'case-insensitive');
      assert.deepEqual(await s.searchKeyword('giraffe', 10), []);
      assert.equal((await s.searchKeyword('zebra', 1)).length, 1);
    });

    describe('metadata filters', () => {
      let s: VectorStore;
      before(async () => {
        s = await open();
        for (const [i, [id, metadata]] of FILTER_DATA.entries()) {
          await s.replaceDocument(`doc-${id}`, [chunk(id, vec([1, i / 10, (i % 3) / 5]), { metadata, text: `common words for ${id}` })]);
        }
      });
      for (const [name, filter, expected] of FILTER_CASES) {
        test(name, async () => {
          // The reference evaluator agrees with the hand-written expectation…
          const reference = FILTER_DATA.filter(([, m]) => matchesFilter(filter, m)).map(([id]) => id);
          assert.deepEqual(reference.sort(), [...expected].sort(), 'matchesFilter');
          // …and the store with both.
          const semantic = await s.searchVector(unit(0), 50, filter);
          assert.deepEqual(semantic.map((h) => h.id).sort(), [...expected].sort(), 'searchVector');
          const keyword = await s.searchKeyword('common', 50, filter);
          assert.deepEqual(keyword.map((h) => h.id).sort(), [...expected].sort(), 'searchKeyword');
        });
      }
      test('a filter that leaves fewer than k returns what there is', async () => {
        const hits = await s.searchVector(unit(0), 5, { equals: { key: 'genre', value: 'fantasy' } });
        assert.deepEqual(
          hits.map((h) => h.id),
          ['c2'],
        );
      });
      test('an invalid filter is a ValidationException naming the problem', async () => {
        await rejectsWith(s.searchVector(unit(0), 5, { andAll: [{ equals: { key: 'a', value: 1 } }] }), 'ValidationException', /at least 2/);
        await rejectsWith(s.searchKeyword('common', 5, { greaterThan: { key: 'a', value: 'x' } } as MetadataFilter), 'ValidationException', /number/);
        await rejectsWith(s.searchVector(unit(0), 5, { nope: {} } as unknown as MetadataFilter), 'ValidationException', /unknown filter operator/);
      });
    });

    test('a selective filter does not starve k, even when its chunks are far from the query', async () => {
      const s = await open(16);
      const rng = random(7);
      const all: { id: string; v: Float32Array; rare: boolean }[] = [];
      for (let d = 0; d < 12; d++) {
        const chunks: ChunkInput[] = [];
        for (let i = 0; i < 100; i++) {
          const rare = i === 37;
          // Common chunks cluster around the query; rare ones point away from it.
          const v = Float32Array.from({ length: 16 }, (_, j) => (j === 0 ? (rare ? -1 : 3) : 0) + rng() - 0.5);
          const id = `g${d}-${i}`;
          all.push({ id, v, rare });
          chunks.push(chunk(id, v, { metadata: { group: rare ? 'rare' : 'common' } }));
        }
        await s.replaceDocument(`bulk-${d}`, chunks);
      }
      const q = Float32Array.from({ length: 16 }, (_, j) => (j === 0 ? 1 : 0.1));
      const rare = all.filter((c) => c.rare);
      assert.equal(rare.length, 12);
      const exact = rare
        .map((c) => ({ id: c.id, score: cosineSimilarity(q, c.v) }))
        .sort((a, b) => b.score - a.score)
        .map((c) => c.id);
      const filter: MetadataFilter = { equals: { key: 'group', value: 'rare' } };
      assert.deepEqual(
        (await s.searchVector(q, 10, filter)).map((h) => h.id),
        exact.slice(0, 10),
      );
      assert.equal((await s.searchVector(q, 50, filter)).length, 12);
      assert.equal((await s.searchVector(q, 10)).length, 10);
      assert.equal(await s.countChunks(), 1200);
    });

    test('replaceDocument is atomic: the old chunks are gone, the new ones present; deleteDocument removes all', async () => {
      const s = await open();
      await s.replaceDocument('A', [chunk('A-0', vec([1]), { text: 'obsolete walrus' }), chunk('A-1', vec([0, 1]), { text: 'obsolete heron' })]);
      await s.replaceDocument('B', [chunk('B-0', vec([1, 0.2]), { text: 'keeper beetle' })]);
      await s.replaceDocument('A', [chunk('A-0', vec([0, 0, 1]), { text: 'fresh walrus' }), chunk('A-2', vec([1, 0.1]), { text: 'fresh otter' })]);
      assert.equal(await s.countChunks(), 3);
      const hits = await s.searchVector(unit(0), 10);
      assert.deepEqual(hits.map((h) => h.id).sort(), ['A-0', 'A-2', 'B-0']);
      assert.deepEqual([...hits.find((h) => h.id === 'A-0')!.vector!], [...vec([0, 0, 1])], 'the new vector, not the old');
      assert.deepEqual(await s.searchKeyword('obsolete heron', 10), []);
      assert.deepEqual(
        (await s.searchKeyword('walrus', 10)).map((h) => h.text),
        ['fresh walrus'],
      );
      await s.deleteDocument('A');
      assert.equal(await s.countChunks(), 1);
      assert.deepEqual(
        (await s.searchVector(unit(0), 10)).map((h) => h.id),
        ['B-0'],
      );
      assert.deepEqual(await s.searchKeyword('walrus otter', 10), []);
      await s.replaceDocument('B', []);
      assert.equal(await s.countChunks(), 0);
      assert.deepEqual(await s.searchVector(unit(0), 10), []);
      await s.deleteDocument('never-existed');
    });

    test('a chunk id owned by another document is a ConflictException and changes nothing', async () => {
      const s = await open();
      await s.replaceDocument('A', [chunk('shared', vec([1]))]);
      await rejectsWith(s.replaceDocument('B', [chunk('mine', vec([0, 1])), chunk('shared', vec([0, 1]))]), 'ConflictException', /shared/);
      assert.equal(await s.countChunks(), 1);
      assert.equal((await s.searchVector(unit(0), 5))[0].documentId, 'A');
      await rejectsWith(s.replaceDocument('A', [chunk('x', vec([1])), chunk('x', vec([1]))]), 'ValidationException', /twice/);
    });

    test('concurrent replaceDocument calls on different documents all land', async () => {
      const s = await open();
      await Promise.all(
        Array.from({ length: 12 }, (_, d) =>
          s.replaceDocument(
            `doc-${d}`,
            Array.from({ length: 5 }, (_, i) => chunk(`doc-${d}-${i}`, vec([1, d, i]), { metadata: { doc: d } })),
          ),
        ),
      );
      assert.equal(await s.countChunks(), 60);
      for (const d of [0, 5, 11]) {
        const hits = await s.searchVector(unit(0), 50, { equals: { key: 'doc', value: d } });
        assert.deepEqual(hits.map((h) => h.id).sort(), [0, 1, 2, 3, 4].map((i) => `doc-${d}-${i}`).sort());
      }
      // The same document from several writers at once: the last one wins, whole.
      await Promise.all([1, 2, 3].map((r) => s.replaceDocument('race', [chunk(`race-${r}`, vec([r])), chunk(`race-${r}b`, vec([r, 1]))])));
      const race = (await s.searchVector(unit(0), 100)).filter((h) => h.documentId === 'race').map((h) => h.id);
      assert.equal(race.length, 2, race.join());
      assert.equal(race[0].slice(0, 6), race[1].slice(0, 6), `one writer's chunks, not a mix: ${race.join()}`);
      assert.equal(await s.countChunks(), 62);
    });

    test('reopening (a restarted process) finds every chunk; drop removes the index', async () => {
      const id = `reopen-${++n}`;
      const s = await open(D, id);
      await s.replaceDocument('A', [chunk('a1', vec([1]), { text: 'persistent penguin' }), chunk('a2', vec([0, 1]))]);
      await s.replaceDocument('B', [chunk('b1', vec([1, 1]))]);
      await s.replaceDocument('A', [chunk('a3', vec([1, 0.1]), { text: 'persistent puffin' })]);
      const before = await s.searchVector(unit(0), 10);
      await s.close();
      await rejectsWith(s.countChunks(), 'InternalServerException', /closed/);
      const factory = await env.reopen();
      const again = await open(D, id, factory);
      assert.equal(await again.countChunks(), 2);
      assert.deepEqual(
        (await again.searchVector(unit(0), 10)).map((h) => [h.id, h.score.toFixed(5)]),
        before.map((h) => [h.id, h.score.toFixed(5)]),
      );
      assert.deepEqual(
        (await again.searchKeyword('persistent', 10)).map((h) => h.id),
        ['a3'],
      );
      await rejectsWith(open(D + 1, id, factory), 'ValidationException', /8-dimensional/);
      await again.drop();
      await rejectsWith(again.countChunks(), 'ResourceNotFoundException', /dropped/);
      const fresh = await open(D + 1, id, factory);
      assert.equal(await fresh.countChunks(), 0, 'dropped, so the id is free for another dimension');
    });

    test('bad arguments are ValidationExceptions: dimensions, vectors, k, ids, metadata', async () => {
      const s = await open();
      await rejectsWith(s.replaceDocument('A', [chunk('a', new Float32Array(D + 1).fill(1))]), 'ValidationException', /9 dimensions.*8-dimensional/);
      await rejectsWith(s.searchVector(new Float32Array(3).fill(1), 5), 'ValidationException', /3 dimensions/);
      await rejectsWith(s.searchVector(new Float32Array(D), 5), 'ValidationException', /all zeros/);
      await rejectsWith(s.searchVector(vec([Number.NaN]), 5), 'ValidationException', /non-finite/);
      await rejectsWith(s.replaceDocument('A', [chunk('a', vec([Number.POSITIVE_INFINITY]))]), 'ValidationException', /non-finite/);
      await rejectsWith(s.searchVector([1, 2] as unknown as Float32Array, 5), 'ValidationException', /Float32Array/);
      for (const k of [0, -1, 1.5, 100_000, Number.NaN]) await rejectsWith(s.searchVector(unit(0), k), 'ValidationException', /k must be/);
      await rejectsWith(s.searchKeyword('x', 0), 'ValidationException', /k must be/);
      await rejectsWith(s.replaceDocument('', [chunk('a', vec([1]))]), 'ValidationException', /documentId/);
      await rejectsWith(s.replaceDocument('A', [chunk('', vec([1]))]), 'ValidationException', /id/);
      await rejectsWith(
        s.replaceDocument('A', [chunk('a', vec([1]), { metadata: { bad: { nested: 1 } } as unknown as Metadata })]),
        'ValidationException',
        /metadata "bad"/,
      );
      await rejectsWith(s.replaceDocument('A', [chunk('a', vec([1]), { text: 'nul \u0000 byte' })]), 'ValidationException', /NUL/);
      await rejectsWith(s.searchVector(unit(0), 5, { equals: { key: 'k', value: 'a\u0000' } }), 'ValidationException', /filter/);
      await rejectsWith(env.factory.open({ indexId: 'Bad_Id', dimensions: D }), 'ValidationException', /index id/);
      await rejectsWith(env.factory.open({ indexId: 'ok', dimensions: 0 }), 'ValidationException', /dimensions/);
      assert.equal(await s.countChunks(), 0, 'nothing was written by a refused call');
    });

    test('hostile keyword queries never reach the query parser as syntax', async () => {
      const s = await open();
      await s.replaceDocument('doc', [
        chunk('z', vec([1]), { text: 'The zebra said "NEAR" and AND or OR; column:text * prefix^ (parens)' }),
        chunk('y', vec([0, 1]), { text: 'plain words about yaks' }),
      ]);
      const hostile = [
        '',
        '   ',
        '"',
        '"unbalanced',
        "'",
        "' OR 1=1 --",
        'NEAR(',
        'NEAR(zebra',
        'zebra NEAR/2 yaks',
        'AND',
        'OR OR OR',
        'NOT zebra',
        '*',
        'zeb*',
        'text:zebra',
        '^zebra',
        '(zebra',
        '-zebra',
        '!zebra & yaks | :*',
        'zebra:*A',
        '\\',
        '\u0000zebra',
        '\u0301',
        '🦓🦓',
        '{}[]<>;',
        'a'.repeat(100_000),
        Array.from({ length: 20_000 }, (_, i) => `w${i}`).join(' '),
        `${'NEAR( "'.repeat(15_000)} zebra`,
      ];
      for (const q of hostile) {
        const hits = await s.searchKeyword(q, 5);
        assert.ok(Array.isArray(hits), `query ${JSON.stringify(q.slice(0, 30))}`);
      }
      assert.deepEqual(
        (await s.searchKeyword('NEAR(zebra', 5)).map((h) => h.id),
        ['z'],
      );
      assert.deepEqual(
        (await s.searchKeyword('"yaks', 5)).map((h) => h.id),
        ['y'],
      );
      assert.deepEqual(
        (await s.searchKeyword(`${'NEAR( "'.repeat(15_000)} zebra`, 5)).map((h) => h.id),
        ['z'],
      );
    });

    test('unicode text, metadata and ids round-trip and are searchable', async () => {
      const s = await open();
      const texts = {
        fr: 'Un café au lait à Zürich',
        el: 'Ελληνικά κείμενα για δοκιμή',
        ja: '日本語 テキスト',
        emoji: 'Rocket 🚀 launch day',
        rtl: 'שלום עולם',
      };
      await s.replaceDocument('ünï-doc 📄', [
        ...Object.entries(texts).map(([id, text], i) =>
          chunk(`${id}-✓`, vec([1, i]), { text, metadata: { lang: id, label: `${text.slice(0, 6)}…`, tags: ['ü', '🚀'] } }),
        ),
      ]);
      for (const [id, text] of Object.entries(texts)) {
        const word = text.split(' ')[id === 'emoji' ? 2 : 1];
        const hits = await s.searchKeyword(word, 5);
        assert.deepEqual(
          hits.map((h) => h.id),
          [`${id}-✓`],
          `keyword ${word}`,
        );
        assert.equal(hits[0].text, text);
        assert.equal(hits[0].documentId, 'ünï-doc 📄');
        assert.deepEqual(hits[0].metadata.tags, ['ü', '🚀']);
      }
      assert.equal((await s.searchKeyword('café', 5))[0]?.id, 'fr-✓');
      const f = await s.searchVector(unit(0), 10, { listContains: { key: 'tags', value: '🚀' } });
      assert.equal(f.length, 5);
      const g = await s.searchVector(unit(0), 10, { startsWith: { key: 'label', value: 'Ελλ' } });
      assert.deepEqual(
        g.map((h) => h.id),
        ['el-✓'],
      );
    });
  });
}

type FilterCase = [name: string, filter: MetadataFilter, expected: string[]];

const FILTER_DATA: [string, Metadata][] = [
  ['c1', { genre: 'sci-fi', year: 1989, rating: 4.5, draft: false, tags: ['space', 'robots'], author: 'Ann Lee' }],
  ['c2', { genre: 'fantasy', year: 2001, rating: 3, draft: true, tags: ['dragons'], author: 'Bob Stone' }],
  ['c3', { genre: 'sci-fi', year: 2015, tags: ['space', 'time travel'], author: 'Cat Ng' }],
  ['c4', { genre: 'history', year: 1999, rating: 5, draft: false }],
  ['c5', { genre: 'poetry', year: '1989', tags: [] }],
  ['c6', {}],
  ['c7', { genre: 'sci-fi', year: 1989, rating: 4.5, tags: ['robots'], flag: 1 }],
  ['c8', { genre: 'Sci-Fi', year: 2024, draft: true, flag: true, 'a.b': 'dotted', 'quo"te\\': 'x' }],
];

const FILTER_CASES: FilterCase[] = [
  ['equals on a string', { equals: { key: 'genre', value: 'sci-fi' } }, ['c1', 'c3', 'c7']],
  ['notEquals matches a missing key too', { notEquals: { key: 'genre', value: 'sci-fi' } }, ['c2', 'c4', 'c5', 'c6', 'c8']],
  ['equals on a number is typed (not the string "1989")', { equals: { key: 'year', value: 1989 } }, ['c1', 'c7']],
  ['equals on a string is typed (not the number 1989)', { equals: { key: 'year', value: '1989' } }, ['c5']],
  ['equals on an integer-valued number', { equals: { key: 'rating', value: 3 } }, ['c2']],
  ['greaterThan', { greaterThan: { key: 'year', value: 2000 } }, ['c2', 'c3', 'c8']],
  ['greaterThanOrEquals', { greaterThanOrEquals: { key: 'year', value: 2001 } }, ['c2', 'c3', 'c8']],
  ['lessThan ignores strings', { lessThan: { key: 'year', value: 1999 } }, ['c1', 'c7']],
  ['lessThanOrEquals', { lessThanOrEquals: { key: 'year', value: 1999 } }, ['c1', 'c4', 'c7']],
  ['greaterThan on a fraction', { greaterThan: { key: 'rating', value: 4.25 } }, ['c1', 'c4', 'c7']],
  ['in on a scalar', { in: { key: 'genre', value: ['fantasy', 'history'] } }, ['c2', 'c4']],
  ['notIn matches a missing key too', { notIn: { key: 'genre', value: ['fantasy', 'history'] } }, ['c1', 'c3', 'c5', 'c6', 'c7', 'c8']],
  ['in on a list shares a member', { in: { key: 'tags', value: ['dragons', 'time travel'] } }, ['c2', 'c3']],
  ['notIn on a list', { notIn: { key: 'tags', value: ['space'] } }, ['c2', 'c4', 'c5', 'c6', 'c7', 'c8']],
  ['in on numbers', { in: { key: 'year', value: [1989, 2024] } }, ['c1', 'c7', 'c8']],
  ['in on booleans', { in: { key: 'draft', value: [true] } }, ['c2', 'c8']],
  ['startsWith is case-sensitive', { startsWith: { key: 'genre', value: 'sci' } }, ['c1', 'c3', 'c7']],
  ['startsWith on another key', { startsWith: { key: 'author', value: 'B' } }, ['c2']],
  ['stringContains on a string', { stringContains: { key: 'author', value: 'Ng' } }, ['c3']],
  ['stringContains on a list member', { stringContains: { key: 'tags', value: 'robot' } }, ['c1', 'c7']],
  ['stringContains with an empty value matches every string', { stringContains: { key: 'genre', value: '' } }, ['c1', 'c2', 'c3', 'c4', 'c5', 'c7', 'c8']],
  ['listContains', { listContains: { key: 'tags', value: 'space' } }, ['c1', 'c3']],
  ['listContains on a scalar never matches', { listContains: { key: 'genre', value: 'sci-fi' } }, []],
  ['equals true', { equals: { key: 'draft', value: true } }, ['c2', 'c8']],
  ['equals false', { equals: { key: 'draft', value: false } }, ['c1', 'c4']],
  ['a boolean is not the number 1', { equals: { key: 'flag', value: true } }, ['c8']],
  ['the number 1 is not a boolean', { equals: { key: 'flag', value: 1 } }, ['c7']],
  ['equals on a whole list (ordered)', { equals: { key: 'tags', value: ['space', 'robots'] } }, ['c1']],
  ['equals on a list in another order', { equals: { key: 'tags', value: ['robots', 'space'] } }, []],
  ['a list never equals a scalar', { equals: { key: 'tags', value: 'robots' } }, []],
  ['notEquals on a number', { notEquals: { key: 'rating', value: 4.5 } }, ['c2', 'c3', 'c4', 'c5', 'c6', 'c8']],
  ['keys with dots, quotes and backslashes', { equals: { key: 'a.b', value: 'dotted' } }, ['c8']],
  ['a key with a quote and a backslash', { equals: { key: 'quo"te\\', value: 'x' } }, ['c8']],
  ['a key nobody has', { equals: { key: 'missing', value: 'x' } }, []],
  [
    'andAll',
    {
      andAll: [{ equals: { key: 'genre', value: 'sci-fi' } }, { lessThan: { key: 'year', value: 2000 } }],
    },
    ['c1', 'c7'],
  ],
  [
    'orAll with a nested andAll',
    {
      orAll: [
        { equals: { key: 'genre', value: 'fantasy' } },
        { andAll: [{ listContains: { key: 'tags', value: 'space' } }, { greaterThan: { key: 'year', value: 2000 } }] },
      ],
    },
    ['c2', 'c3'],
  ],
  [
    'andAll of orAll and notIn, three levels deep',
    {
      andAll: [
        { orAll: [{ equals: { key: 'draft', value: false } }, { notEquals: { key: 'genre', value: 'sci-fi' } }] },
        { notIn: { key: 'genre', value: ['poetry'] } },
        { orAll: [{ greaterThanOrEquals: { key: 'rating', value: 4 } }, { andAll: [{ equals: { key: 'flag', value: true } }, { stringContains: { key: 'a.b', value: 'dot' } }] }] },
      ],
    },
    ['c1', 'c4', 'c8'],
  ],
];

/** A vector along the first axes with the given weights. */
function vec(weights: number[]): Float32Array {
  const v = new Float32Array(D);
  weights.forEach((w, i) => {
    v[i] = w;
  });
  return v;
}

function unit(axis: number): Float32Array {
  const v = new Float32Array(D);
  v[axis] = 1;
  return v;
}

function chunk(id: string, vector: Float32Array, extra: Partial<ChunkInput> = {}): ChunkInput {
  return {
    id,
    text: `text of ${id}`,
    vector,
    metadata: {},
    location: { type: 'S3', uri: `s3://bucket/${id}`, pageNumber: 2 },
    ...extra,
  };
}

async function rejectsWith(p: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(QuarryError.isInstance(e), `expected a QuarryError, got ${e}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    return true;
  });
}

/** A small seeded generator, so every store sees the same vectors. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
