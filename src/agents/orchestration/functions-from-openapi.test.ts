import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { functionsFromOpenApi } from './functions-from-openapi.js';
import { argumentProblems } from './validate-arguments.js';

const T = { timeout: 5_000 };

const doc = {
  openapi: '3.0.1',
  paths: {
    '/pets/{petId}': {
      parameters: [{ $ref: '#/components/parameters/PetId' }],
      get: { operationId: 'getPet', summary: 'Get a pet', parameters: [{ name: 'fields', in: 'query', schema: { type: 'array', items: { type: 'string' } } }] },
      put: {
        summary: 'Replace a pet',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } },
      },
    },
  },
  components: {
    parameters: { PetId: { name: 'petId', in: 'path', required: true, schema: { type: 'integer' } } },
    schemas: { Pet: { type: 'object', properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } }, required: ['name'] } },
  },
};

describe('functions from an OpenAPI document', () => {
  test('operations become functions with one argument schema', T, () => {
    const [get, put] = functionsFromOpenApi(doc);
    assert.equal(get!.name, 'getPet');
    assert.equal(get!.description, 'Get a pet');
    assert.deepEqual(get!.inputSchema, {
      type: 'object',
      properties: { petId: { type: 'integer' }, fields: { type: 'array', items: { type: 'string' } } },
      required: ['petId'],
    });
    assert.deepEqual(get!.api, { path: '/pets/{petId}', method: 'get', parameterIn: { petId: 'path', fields: 'query' } });
    assert.equal(put!.name, 'put_pets_petId');
    assert.deepEqual(put!.inputSchema.required, ['petId', 'name']);
    assert.deepEqual(put!.api!.parameterIn, { petId: 'path', name: 'body', tags: 'body' });
    assert.equal(put!.api!.bodyContentType, 'application/json');
    assert.deepEqual(argumentProblems(put!.inputSchema, { petId: 3, name: 'Rex' }), []);
    assert.equal(argumentProblems(put!.inputSchema, { petId: 'three' }).length, 2);
  });

  test('bad documents are refused with a reason', T, () => {
    assert.throws(() => functionsFromOpenApi({ swagger: '2.0', paths: {} }), /OpenAPI 3/);
    assert.throws(() => functionsFromOpenApi({ openapi: '3.0.0', paths: {} }), /no operations/);
    assert.throws(() => functionsFromOpenApi({ openapi: '3.0.0', paths: { '/a': { get: { requestBody: { $ref: 'https://evil/x' } } } } }), /Only local/);
    const loop = { openapi: '3.0.0', paths: { '/a': { post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/A' } } } } } } }, components: { schemas: { A: { $ref: '#/components/schemas/A' } } } };
    assert.throws(() => functionsFromOpenApi(loop), /too deep or circular/);
    const recursive = { openapi: '3.0.0', paths: { '/a': { post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/N' } } } } } } }, components: { schemas: { N: { type: 'object', properties: { next: { $ref: '#/components/schemas/N' } } } } } };
    assert.throws(() => functionsFromOpenApi(recursive), /refers to itself|too deep/);
    assert.throws(() => functionsFromOpenApi({ openapi: '3.0.0', paths: { '/a': { get: { operationId: 'x' } }, '/b': { get: { operationId: 'x' } } } }), /distinct operationIds/);
  });
});
