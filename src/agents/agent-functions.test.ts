import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AgentFunctionRegistry, agentsConfigSchema, lambdaFunctionName } from './agent-functions.js';

const registry = new AgentFunctionRegistry(
  agentsConfigSchema.parse({
    functions: {
      'book-hotel': { module: './fns/book.js', timeoutMs: 5000, maxMemoryMb: 64 },
      orders: { url: 'http://10.0.0.5/orders', headers: { authorization: 'Bearer t' } },
      'team-a': { module: '/srv/a.js', accounts: ['111122223333'] },
    },
  }),
  '/opt/quarry',
);

test('a Lambda ARN or a bare name resolves to the registered module (path from the base folder) or endpoint', () => {
  assert.deepEqual(registry.resolve('000000000000', 'arn:aws:lambda:us-east-1:000000000000:function:book-hotel'), {
    kind: 'module',
    name: 'book-hotel',
    module: '/opt/quarry/fns/book.js',
    timeoutMs: 5000,
    maxMemoryMb: 64,
  });
  assert.deepEqual(registry.resolve('000000000000', 'arn:aws:lambda:eu-west-1:000000000000:function:orders:$LATEST'), {
    kind: 'http',
    name: 'orders',
    url: 'http://10.0.0.5/orders',
    headers: { authorization: 'Bearer t' },
  });
  assert.equal(registry.resolve('111122223333', 'team-a').kind, 'module');
});

test('unregistered names, other accounts and malformed values are ValidationExceptions that say what exists', () => {
  assert.throws(() => registry.resolve('000000000000', 'nope'), { code: 'ValidationException', message: /No function named nope.*registered: book-hotel, orders/ });
  assert.throws(() => registry.resolve('000000000000', 'team-a'), { message: /No function named team-a/ });
  assert.throws(() => registry.resolve('000000000000', 'arn:aws:lambda:us-east-1:999999999999:function:orders'), { message: /belongs to account 999999999999/ });
  assert.throws(() => lambdaFunctionName('arn:aws:s3:::bucket'), { message: /must be a function ARN/ });
  assert.throws(() => lambdaFunctionName('../../etc/passwd'), { message: /must be a function ARN/ });
  assert.throws(() => new AgentFunctionRegistry().resolve('000000000000', 'x'), { message: /none are registered/ });
});

test('the configuration refuses functions that are neither a module nor a URL', () => {
  assert.equal(agentsConfigSchema.safeParse({ functions: { x: { command: 'rm -rf /' } } }).success, false);
  assert.equal(agentsConfigSchema.safeParse({ functions: { x: { url: 'file:///etc/passwd' } } }).success, false);
  assert.equal(agentsConfigSchema.safeParse({ functions: { 'bad name': { module: 'a.js' } } }).success, false);
  assert.deepEqual(agentsConfigSchema.parse(undefined), { functions: {} });
});
