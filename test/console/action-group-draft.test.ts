import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createActionGroupSchema, updateActionGroupSchema } from '../../src/agents/index.js';
import { actionGroupInputOf, draftOfActionGroup, emptyActionGroupDraft, executorLabel, functionNameOf, notEditable } from '../../web/src/lib/action-group-draft.js';

/** The action-group form's draft (web/src/lib), run in Node against the server's own request schemas. */

test('a filled draft becomes a function schema the server accepts; blank rows are left out', () => {
  const d = emptyActionGroupDraft();
  d.name = ' orders ';
  d.description = 'Order lookups';
  d.executor = 'REGISTERED_FUNCTION';
  d.functionName = ' orders-api ';
  d.functions = [
    {
      name: 'status',
      description: 'Where an order is',
      parameters: [
        { name: 'orderId', type: 'string', description: 'The order', required: true },
        { name: '', type: 'string', description: '', required: false },
        { name: 'express', type: 'boolean', description: '', required: false },
      ],
      requireConfirmation: false,
    },
    { name: 'cancel', description: '', parameters: [{ name: '', type: 'string', description: '', required: false }], requireConfirmation: true },
    { name: '', description: '', parameters: [{ name: '', type: 'string', description: '', required: false }], requireConfirmation: false },
  ];
  const input = actionGroupInputOf(d);
  assert.deepEqual(input, {
    actionGroupName: 'orders',
    description: 'Order lookups',
    actionGroupExecutor: { lambda: 'orders-api' },
    functionSchema: {
      functions: [
        { name: 'status', description: 'Where an order is', parameters: { orderId: { type: 'string', description: 'The order', required: true }, express: { type: 'boolean', required: false } } },
        { name: 'cancel', requireConfirmation: 'ENABLED' },
      ],
    },
    actionGroupState: 'ENABLED',
  });
  assert.ok(createActionGroupSchema.safeParse({ ...input, clientToken: 't' }).success);
  assert.ok(updateActionGroupSchema.safeParse(input).success);

  const rc = actionGroupInputOf({ ...d, executor: 'RETURN_CONTROL', enabled: false });
  assert.deepEqual(rc.actionGroupExecutor, { customControl: 'RETURN_CONTROL' });
  assert.equal(rc.actionGroupState, 'DISABLED');
  assert.ok(updateActionGroupSchema.safeParse(rc).success);
});

test('what the user left wrong reaches the server, which refuses it', () => {
  const d = emptyActionGroupDraft();
  d.name = 'bad name!';
  assert.equal(updateActionGroupSchema.safeParse(actionGroupInputOf(d)).success, false);
  d.name = 'ok';
  // Only blank rows: no functions, which the server's schema refuses rather than the form guessing.
  assert.deepEqual(actionGroupInputOf(d).functionSchema.functions, []);
  assert.equal(updateActionGroupSchema.safeParse(actionGroupInputOf(d)).success, false);
});

test('a stored group reads back into the same draft; OpenAPI and built-in groups are not for this form', () => {
  const d = emptyActionGroupDraft();
  d.name = 'orders';
  d.executor = 'REGISTERED_FUNCTION';
  d.functionName = 'orders';
  d.functions = [{ name: 'status', description: 'd', parameters: [{ name: 'orderId', type: 'integer', description: '', required: true }], requireConfirmation: true }];
  const input = actionGroupInputOf(d);
  const stored = { ...input, actionGroupExecutor: { lambda: 'arn:aws:lambda:us-east-1:000000000000:function:orders' } };
  assert.deepEqual(draftOfActionGroup(stored), d);
  assert.equal(executorLabel(stored), 'function orders');
  assert.equal(executorLabel({ actionGroupName: 'x', actionGroupExecutor: { customControl: 'RETURN_CONTROL' } }), 'return of control');
  assert.equal(functionNameOf('plain'), 'plain');
  assert.equal(notEditable(stored), undefined);
  assert.match(notEditable({ actionGroupName: 'api', apiSchema: { payload: 'openapi: 3.0.0' } })!, /OpenAPI/);
  assert.match(notEditable({ actionGroupName: 'ask', parentActionSignature: 'AMAZON.UserInput' })!, /built-in/);
});
