import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DocumentParseError } from './document-parse-error.js';
import { parseDocument } from './parse-document.js';
import type { ParseOptions } from './parsed-document.js';

const csv = (text: string, opts: ParseOptions = {}, name = 'rows.csv') =>
  parseDocument({ name, bytes: new TextEncoder().encode(text) }, opts);

const PRODUCTS = [
  'sku,name,description,price,in_stock,zip',
  'A-1,"Granite, polished","A slab with ""mirror"" finish',
  'over two lines",129.5,true,02139',
  'A-2,Basalt,Dark volcanic rock,80,FALSE,10001',
  'broken,row',
  'A-3,Slate,,12,true,60601',
].join('\r\n');

test('one document per row: every column as "column: value" lines, scalar columns also as typed metadata', async () => {
  const warnings: string[] = [];
  const docs = await csv(PRODUCTS, { onWarning: (w) => warnings.push(w) });
  assert.deepEqual(
    docs.map((d) => d.part),
    ['1', '2', '4'],
  );
  assert.equal(
    docs[0].text,
    'sku: A-1\nname: Granite, polished\ndescription: A slab with "mirror" finish\nover two lines\nprice: 129.5\nin_stock: true\nzip: 02139',
  );
  // Numbers and booleans typed per column; a ZIP code with a leading zero stays a string, and so does its column;
  // the multi-line description is content only.
  assert.deepEqual(docs[0].metadata, { sku: 'A-1', name: 'Granite, polished', price: 129.5, in_stock: true, zip: '02139' });
  assert.deepEqual(docs[1].metadata, { sku: 'A-2', name: 'Basalt', price: 80, in_stock: false, zip: '10001' });
  // Empty cells are neither text nor metadata.
  assert.ok(!docs[2].text.includes('description'));
  assert.ok(!('description' in docs[2].metadata));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /^rows\.csv: skipped 1 malformed CSV row\(s\); the first: Invalid Record Length: expect 6, got 2 on line 5/);
});

test('named content and metadata columns, as in a Bedrock sidecar', async () => {
  const [single] = await csv(PRODUCTS, { records: { contentFields: ['description'] } });
  assert.equal(single.text, 'A slab with "mirror" finish\nover two lines');
  // With only content fields named, every other column is metadata (Bedrock's rule), the long ones included.
  assert.deepEqual(Object.keys(single.metadata), ['sku', 'name', 'price', 'in_stock', 'zip']);

  const [two] = await csv(PRODUCTS, {
    records: { contentFields: ['name', 'description'], metadataFieldsToInclude: ['sku', 'price'] },
  });
  assert.equal(two.text, 'name: Granite, polished\ndescription: A slab with "mirror" finish\nover two lines');
  assert.deepEqual(two.metadata, { sku: 'A-1', price: 129.5 });

  const [excluded] = await csv(PRODUCTS, { records: { metadataFieldsToExclude: ['zip', 'name'] } });
  assert.deepEqual(Object.keys(excluded.metadata), ['sku', 'price', 'in_stock']);
});

test('a named column the CSV lacks, an unclosed quote, and a file of only bad rows fail with a reason', async () => {
  const reason = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      assert.ok(DocumentParseError.isInstance(e));
      return e.reason;
    }
    assert.fail('expected a DocumentParseError');
  };
  assert.equal(await reason(csv(PRODUCTS, { records: { contentFields: ['body'] } })), 'CSV has no column "body"');
  assert.match(await reason(csv('a,b\n"1,2\n3,4\n')), /^malformed CSV: Quote Not Closed/);
  assert.match(await reason(csv('a,b,c\n1\n2\n')), /^malformed CSV: Invalid Record Length/);
});

test('headers are made unique, TSV splits on tabs, a header-only file has no documents', async () => {
  const [doc] = await csv('id,,id,__proto__\n1,x,2,polluted\n');
  assert.equal(doc.text, 'id: 1\ncolumn_2: x\nid_2: 2\n__proto__: polluted');
  assert.deepEqual(Object.keys(doc.metadata), ['id', 'column_2', 'id_2', '__proto__']);
  assert.equal(Object.getPrototypeOf(doc.metadata), Object.prototype);

  const [tsv] = await csv('name\tnote\nGranite\thard, grey\n', {}, 'rocks.tsv');
  assert.equal(tsv.text, 'name: Granite\nnote: hard, grey');

  assert.deepEqual(await csv('a,b,c\n'), []);
  assert.deepEqual(await csv(''), []);
});

test('maxChars counts every row', async () => {
  const rows = ['n,text', ...Array.from({ length: 1000 }, (_, i) => `${i},some words in the row`)].join('\n');
  await assert.rejects(csv(rows, { maxChars: 5000 }), /document exceeds 5,000 characters/);
});
