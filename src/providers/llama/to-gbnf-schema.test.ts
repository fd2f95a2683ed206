import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuarryError } from '../../core/index.js';
import { toChatFunctions } from './to-chat-functions.js';
import { toGbnfSchema } from './to-gbnf-schema.js';

test('keeps what a grammar can enforce and drops the rest', () => {
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Person',
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1, pattern: '^[A-Z]' },
      age: { type: ['integer', 'null'], minimum: 0 },
      born: { type: 'string', format: 'date' },
      email: { type: 'string', format: 'email' },
      tags: { type: 'array', items: { type: 'string' }, maxItems: 3 },
      kind: { anyOf: [{ const: 'a' }, { $ref: '#/definitions/Kind' }] },
    },
    required: ['name'],
    definitions: { Kind: { enum: ['b', 'c'] } },
  };
  assert.deepEqual(toGbnfSchema(schema), {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1 },
      age: { type: ['integer', 'null'] },
      born: { type: 'string', format: 'date' },
      email: { type: 'string' },
      tags: { type: 'array', items: { type: 'string' }, maxItems: 3 },
      kind: { oneOf: [{ const: 'a' }, { $ref: '#/$defs/Kind' }] },
    },
    additionalProperties: false,
    required: ['name'],
    $defs: { Kind: { enum: ['b', 'c'] } },
  });
});

test('refuses composition it cannot follow', () => {
  const isValidation = (e: unknown) => QuarryError.isInstance(e) && e.code === 'ValidationException';
  assert.throws(() => toGbnfSchema({ allOf: [{ type: 'string' }, { type: 'number' }] }), isValidation);
  assert.throws(() => toGbnfSchema({ not: { type: 'string' } }), isValidation);
  assert.throws(() => toGbnfSchema({ type: 'decimal' }), isValidation);
});

test('tools become functions; toolChoice.tool narrows the offer', () => {
  const tools = [
    { toolSpec: { name: 'a', description: 'A', inputSchema: { json: { type: 'object', properties: { x: { type: 'number' } } } } } },
    { toolSpec: { name: 'b', inputSchema: { json: { type: 'object', properties: {} } } } },
  ];
  assert.deepEqual(toChatFunctions({ tools }), {
    a: { description: 'A', params: { type: 'object', properties: { x: { type: 'number' } }, additionalProperties: false } },
    b: {},
  });
  assert.deepEqual(Object.keys(toChatFunctions({ tools, toolChoice: { tool: { name: 'b' } } }) ?? {}), ['b']);
  assert.throws(() => toChatFunctions({ tools, toolChoice: { tool: { name: 'zzz' } } }), /zzz/);
  assert.equal(toChatFunctions({ tools: [] }), undefined);
});
