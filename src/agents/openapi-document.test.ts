import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_OPENAPI_BYTES, parseOpenApiPayload } from './openapi-document.js';

const ok = {
  openapi: '3.0.1',
  info: { title: 'T', version: '1' },
  paths: {
    '/items/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      get: { operationId: 'getItem', responses: { '200': { description: 'ok' } } },
      put: {
        operationId: 'putItem',
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } },
        responses: { '200': { description: 'ok' } },
      },
    },
  },
  components: { schemas: { Item: { type: 'object', properties: { tags: { type: 'array', items: { type: 'string' } }, owner: { $ref: '#/components/schemas/Owner' } } }, Owner: { type: 'string' } } },
};

const refusal = (payload: string) => {
  try {
    parseOpenApiPayload(payload);
  } catch (e) {
    return e as Error & { code?: string };
  }
  assert.fail('the document was accepted');
};

test('a valid document, as JSON or as YAML, gives its operations (path-level parameters apply to each)', () => {
  const json = parseOpenApiPayload(JSON.stringify(ok));
  assert.deepEqual(json.operations, [
    { path: '/items/{id}', method: 'get', operationId: 'getItem' },
    { path: '/items/{id}', method: 'put', operationId: 'putItem' },
  ]);
  const yaml = parseOpenApiPayload(`openapi: 3.0.0
info: { title: T, version: '1' }
paths:
  /ping:
    get:
      responses: { '200': { description: pong } }
`);
  assert.deepEqual(yaml.operations, [{ path: '/ping', method: 'get' }]);
});

test('each broken part is named, several at once, in one ValidationException', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ ...ok, openapi: undefined, swagger: '2.0' }, /Swagger 2\.0 documents are not accepted/],
    [{ ...ok, info: undefined }, /"info" must be an object/],
    [{ ...ok, paths: [] }, /"paths" must be an object/],
    [{ ...ok, paths: {} }, /defines no operations/],
    [{ ...ok, paths: { 'items': { get: { responses: { '200': {} } } } } }, /path "items" must start with "\/"/],
    [{ ...ok, paths: { '/a': { get: {} } } }, /GET \/a needs "responses"/],
    [{ ...ok, paths: { '/a/{id}': { get: { responses: { '200': {} } } } } }, /path parameter "\{id\}" is not declared/],
    [{ ...ok, paths: { '/a': { get: { parameters: [{ name: 'id', in: 'path', required: true }], responses: { '200': {} } } } } }, /"id" does not appear in the path/],
    [{ ...ok, paths: { '/a/{id}': { get: { parameters: [{ name: 'id', in: 'path' }], responses: { '200': {} } } } } }, /must have "required": true/],
    [{ ...ok, paths: { '/a': { get: { parameters: [{ name: 'q', in: 'body' }], responses: { '200': {} } } } } }, /needs a "name" and "in"/],
    [{ ...ok, paths: { '/a': { post: { requestBody: { content: {} }, responses: { '200': {} } } } } }, /requestBody needs "content"/],
    [{ ...ok, paths: { '/a': { post: { requestBody: { content: { 'application/json': {} } }, responses: { '200': {} } } } } }, /needs a "schema"/],
    [{ ...ok, paths: { '/a': { post: { requestBody: { content: { 'application/json': { schema: { type: 'date' } } } }, responses: { '200': {} } } } } }, /unknown type "date"/],
    [{ ...ok, paths: { '/a': { post: { requestBody: { content: { 'application/json': { schema: { type: 'array' } } } }, responses: { '200': {} } } } } }, /array without "items"/],
    [{ ...ok, paths: { '/a': { post: { requestBody: { $ref: 'https://evil.example/body.json' }, responses: { '200': {} } } } } }, /only local references/],
    [{ ...ok, paths: { '/a': { post: { requestBody: { $ref: '#/components/requestBodies/Nope' }, responses: { '200': {} } } } } }, /points at nothing/],
    [
      { ...ok, paths: { '/a': { get: { operationId: 'same', responses: { '200': {} } } }, '/b': { get: { operationId: 'same', responses: { '200': {} } } } } },
      /operationId "same" is used by both GET \/a and GET \/b/,
    ],
  ];
  for (const [doc, message] of cases) {
    const e = refusal(JSON.stringify(doc));
    assert.equal(e.code, 'ValidationException');
    assert.match(e.message, message);
  }
  const several = refusal(JSON.stringify({ openapi: '2', paths: { x: { get: {} } } }));
  assert.match(several.message, /"openapi" must be a 3\.x.*; "info".*; path "x".*; GET x needs "responses"/);
});

test('recursive schemas, reference loops and schemas that expand without end are refused, not followed', () => {
  const recursive = { ...ok, components: { schemas: { Item: { type: 'object', properties: { child: { $ref: '#/components/schemas/Item' } } } } } };
  assert.match(refusal(JSON.stringify(recursive)).message, /refers to itself through #\/components\/schemas\/Item/);
  const loop = { ...ok, components: { schemas: { Item: { $ref: '#/components/schemas/B' }, B: { $ref: '#/components/schemas/Item' } } } };
  assert.match(refusal(JSON.stringify(loop)).message, /refers to itself|circular/);
  // Ten properties each referring to the next level, twelve levels deep: 10^12 nodes if expanded.
  const schemas: Record<string, unknown> = { L12: { type: 'string' } };
  for (let i = 11; i >= 0; i--) schemas[`L${i}`] = { type: 'object', properties: Object.fromEntries(Array.from({ length: 10 }, (_, k) => [`p${k}`, { $ref: `#/components/schemas/L${i + 1}` }])) };
  const wide = { ...ok, components: { schemas: { ...schemas, Item: { $ref: '#/components/schemas/L0' } } } };
  const started = Date.now();
  assert.match(refusal(JSON.stringify(wide)).message, /expand to more than/);
  assert.ok(Date.now() - started < 2000);
});

test('text that is not a document: bad JSON, bad YAML, duplicate keys, alias bombs, too large, not an object', () => {
  assert.match(refusal('{"openapi": "3.0.0",').message, /not valid JSON/);
  assert.match(refusal('openapi: [3.0').message, /neither JSON nor valid YAML/);
  assert.match(refusal('openapi: 3.0.0\nopenapi: 3.0.1\n').message, /unique/);
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 0; i < 12; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`);
  assert.match(refusal(bomb.join('\n')).message, /neither JSON nor valid YAML/);
  assert.match(refusal(' '.repeat(MAX_OPENAPI_BYTES + 1)).message, /larger than/);
  assert.match(refusal('- a\n- b\n').message, /must be an object/);
});
