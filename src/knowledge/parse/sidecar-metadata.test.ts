import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DocumentParseError } from './document-parse-error.js';
import { parseSidecar, parseSidecarMetadata } from './sidecar-metadata.js';

const bytes = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
const reason = (v: unknown) => {
  try {
    parseSidecar(bytes(v), 'guide.pdf.metadata.json');
  } catch (e) {
    assert.ok(DocumentParseError.isInstance(e), `not a DocumentParseError: ${e}`);
    assert.equal(e.documentName, 'guide.pdf.metadata.json');
    return e.reason;
  }
  assert.fail('expected a DocumentParseError');
};

test('plain values: strings, numbers, booleans and string lists', () => {
  assert.deepEqual(parseSidecarMetadata(bytes({ metadataAttributes: { genre: 'rock', year: 2026, public: false, tags: ['a', 'b'] } })), {
    genre: 'rock',
    year: 2026,
    public: false,
    tags: ['a', 'b'],
  });
  assert.deepEqual(parseSidecarMetadata(bytes({})), {});
});

test('typed values, and which of them are to be embedded', () => {
  const sidecar = parseSidecar(
    bytes({
      metadataAttributes: {
        genre: { value: { type: 'STRING', stringValue: 'rock' }, includeForEmbedding: true },
        year: { value: { type: 'NUMBER', numberValue: 2026 }, includeForEmbedding: false },
        public: { value: { type: 'BOOLEAN', booleanValue: true } },
        tags: { value: { type: 'STRING_LIST', stringListValue: ['x'] }, includeForEmbedding: true },
      },
    }),
  );
  assert.deepEqual(sidecar, { metadata: { genre: 'rock', year: 2026, public: true, tags: ['x'] }, embedKeys: ['genre', 'tags'] });
});

test("a CSV sidecar's documentStructureConfiguration becomes the record structure", () => {
  const sidecar = parseSidecar(
    bytes({
      metadataAttributes: { source: 'crm' },
      documentStructureConfiguration: {
        type: 'RECORD_BASED_STRUCTURE_METADATA',
        recordBasedStructureMetadata: {
          contentFields: [{ fieldName: 'Description' }],
          metadataFieldsSpecification: { fieldsToInclude: [{ fieldName: 'Creation_Date' }], fieldsToExclude: [{ fieldName: 'Secret' }] },
        },
      },
    }),
  );
  assert.deepEqual(sidecar.records, {
    contentFields: ['Description'],
    metadataFieldsToInclude: ['Creation_Date'],
    metadataFieldsToExclude: ['Secret'],
  });
});

test('errors name the key and what was wrong', () => {
  assert.equal(
    reason({ metadataAttributes: { n: { value: { type: 'NUMBER', stringValue: '3' } } } }),
    'invalid metadata file: metadataAttributes.n.value.numberValue: Invalid input: expected number, received undefined; metadataAttributes.n.value: Unrecognized key: "stringValue"',
  );
  assert.match(reason({ metadataAttributes: { n: { value: { type: 'DATE', stringValue: 'x' } } } }), /^invalid metadata file: metadataAttributes\.n\.value\.type: /);
  assert.equal(
    reason({ metadataAttributes: { n: [1, 2] } }),
    'invalid metadata file: metadataAttributes.n: expected a string, a number, a boolean, a list of strings, or {"value": {"type": ...}}',
  );
  assert.match(reason({ metadataAttributes: { n: null } }), /metadataAttributes\.n: expected a string/);
  assert.equal(reason({ metadataAttribute: { n: 1 } }), 'invalid metadata file: Unrecognized key: "metadataAttribute"');
  assert.match(reason('{"metadataAttributes": '), /^invalid metadata file: .*JSON/);
  assert.match(reason([1]), /^invalid metadata file: Invalid input: expected object, received array$/);
  assert.match(reason({ metadataAttributes: { [`k${'x'.repeat(300)}`]: 1 } }), /must be 1 to 256 characters/);
  assert.match(reason({ metadataAttributes: { big: 'x'.repeat(70_000) } }), /over the 65536-byte limit/);
});
