import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DocumentParseError } from './document-parse-error.js';
import { parseDocument } from './parse-document.js';
import type { ParseOptions } from './parsed-document.js';

const json = (value: unknown, opts: ParseOptions = {}, name = 'data.json') =>
  parseDocument({ name, bytes: new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value)) }, opts);

test('an object is one document of "path: value" lines; its short scalars are metadata, its title the title', async () => {
  const [doc] = await json({
    title: 'Site survey',
    site: { name: 'North pit', depth_m: 42.5, coords: [51.5, -0.12] },
    tags: ['granite', 'active'],
    notes: null,
    crew: [{ name: 'Ada', role: 'lead' }, { name: 'Bo' }],
    open: true,
  });
  assert.equal(
    doc.text,
    [
      'title: Site survey',
      'site.name: North pit',
      'site.depth_m: 42.5',
      'site.coords: 51.5, -0.12',
      'tags: granite, active',
      'crew[0].name: Ada',
      'crew[0].role: lead',
      'crew[1].name: Bo',
      'open: true',
    ].join('\n'),
  );
  assert.equal(doc.title, 'Site survey');
  assert.deepEqual(doc.metadata, { title: 'Site survey', tags: ['granite', 'active'], open: true });
  assert.equal(doc.part, undefined);
});

test('a top-level array of objects is one document per element, like CSV rows', async () => {
  const docs = await json([
    { id: 7, question: 'How hard is granite?', answer: 'About 6 on the Mohs scale.' },
    { id: 8, question: 'Is basalt volcanic?', answer: 'Yes.' },
  ]);
  assert.deepEqual(
    docs.map((d) => [d.part, d.text, d.metadata]),
    [
      ['1', 'id: 7\nquestion: How hard is granite?\nanswer: About 6 on the Mohs scale.', { id: 7, question: 'How hard is granite?', answer: 'About 6 on the Mohs scale.' }],
      ['2', 'id: 8\nquestion: Is basalt volcanic?\nanswer: Yes.', { id: 8, question: 'Is basalt volcanic?', answer: 'Yes.' }],
    ],
  );
  const [picked] = await json([{ id: 7, question: 'Q', answer: 'A' }], { records: { contentFields: ['answer'] } });
  assert.equal(picked.text, 'A');
  assert.deepEqual(picked.metadata, { id: 7, question: 'Q' });
  // A mixed array is one document.
  const mixed = await json([1, 'two', { three: 3 }]);
  assert.equal(mixed.length, 1);
  assert.equal(mixed[0].text, '[0]: 1\n[1]: two\n[2].three: 3');
});

test('JSON Lines: one document per line; a broken line is skipped with a warning', async () => {
  const warnings: string[] = [];
  const docs = await json('{"q":"a"}\n\nnot json\n{"q":"b"}\n', { onWarning: (w) => warnings.push(w) }, 'log.jsonl');
  assert.deepEqual(
    docs.map((d) => [d.part, d.text]),
    [
      ['1', 'q: a'],
      ['4', 'q: b'],
    ],
  );
  assert.deepEqual(warnings, ['log.jsonl: skipped 1 line(s) that are not JSON, the first at line 3']);
});

test('invalid, hostile-deep and prototype-polluting JSON', async () => {
  await assert.rejects(json('{"a": 1,'), (e) => DocumentParseError.isInstance(e) && /^invalid JSON: /.test(e.reason));
  await assert.rejects(json(`${'['.repeat(5000)}1${']'.repeat(5000)}`), (e) => DocumentParseError.isInstance(e) && /nested deeper than 100 levels/.test(e.reason));
  await assert.rejects(json(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`), (e) => DocumentParseError.isInstance(e));
  const [doc] = await json('{"__proto__": ["x"], "constructor": "c", "a": 1}');
  assert.equal(Object.getPrototypeOf(doc.metadata), Object.prototype);
  assert.deepEqual(Object.keys(doc.metadata).sort(), ['__proto__', 'a', 'constructor']);
  const [picked] = await json('{"a": 1}', { records: { contentFields: ['constructor'] } });
  assert.equal(picked.text, '');
});

test('a flattening that would pass maxChars stops there', async () => {
  const wide = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`key_${i}`, 'value']));
  await assert.rejects(json(wide, { maxChars: 1000 }), /document exceeds 1,000 characters/);
});
