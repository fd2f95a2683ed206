import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AUDIT_PAGE_SIZE, auditQuery, FilterError, NO_FILTERS } from '../../web/src/lib/audit-query.js';
import { budgetBody, DraftError, draftOf, NEW_BUDGET } from '../../web/src/lib/budget-draft.js';
import type { Budget } from '../../web/src/lib/budget-terms.js';
import { deploymentVerdict, type HealthSignals } from '../../web/src/lib/deployment-verdict.js';
import { graceSeconds, lifetimeSeconds, ROTATION_GRACE, secretOf } from '../../web/src/lib/key-terms.js';

/** The operator pages' pure helpers (web/src/lib), run in Node: audit filters, budget bodies, key terms, deployment verdicts. */

describe('auditQuery', () => {
  test('no filters: only the page size', () => {
    assert.equal(auditQuery(NO_FILTERS).toString(), `maxResults=${AUDIT_PAGE_SIZE}`);
  });

  test('filters trimmed, blanks left out, local times sent as UTC, the page token carried', () => {
    const q = auditQuery({ action: ' quarry:CreateApiKey ', principal: 'admin', outcome: 'error', start: '2027-01-31T09:00', end: '' }, 'tok');
    assert.equal(q.get('action'), 'quarry:CreateApiKey');
    assert.equal(q.get('principal'), 'admin');
    assert.equal(q.get('outcome'), 'error');
    assert.equal(q.get('startTime'), new Date('2027-01-31T09:00').toISOString());
    assert.equal(q.has('endTime'), false);
    assert.equal(q.get('nextToken'), 'tok');
  });

  test('a start after its end, or an unreadable time, is refused naming the field', () => {
    assert.throws(() => auditQuery({ ...NO_FILTERS, start: '2027-02-01T00:00', end: '2027-01-01T00:00' }), (e) => e instanceof FilterError && /"From" must be before "Until"/.test(e.message));
    assert.throws(() => auditQuery({ ...NO_FILTERS, start: '2027-02-01T00:00', end: '2027-02-01T00:00' }), FilterError);
    assert.throws(() => auditQuery({ ...NO_FILTERS, end: 'yesterday' }), /^FilterError: Until: enter a date and time/);
  });
});

describe('budgetBody', () => {
  const budget: Budget = { name: 'team', amountUsd: 25, period: 'DAILY', scope: { type: 'tag', key: 'team', value: 'search' }, action: 'ROUTE', routeModelId: 'm.cheap' };

  test('a new budget: name, amount as a number, account scope, no route model', () => {
    assert.deepEqual(budgetBody({ ...NEW_BUDGET, name: ' cap ', amount: '12.5' }, 'create'), {
      name: 'cap',
      amountUsd: 12.5,
      period: 'MONTHLY',
      scope: { type: 'account' },
      action: 'NONE',
    });
  });

  test('each scope kind becomes the server’s shape', () => {
    const d = { ...NEW_BUDGET, amount: '1', scopeValue: ' v ' };
    assert.deepEqual(budgetBody({ ...d, scopeType: 'key' }, 'create').scope, { type: 'key', keyId: 'v' });
    assert.deepEqual(budgetBody({ ...d, scopeType: 'user' }, 'create').scope, { type: 'user', userName: 'v' });
    assert.deepEqual(budgetBody({ ...d, scopeType: 'model' }, 'create').scope, { type: 'model', modelId: 'v' });
    assert.deepEqual(budgetBody({ ...d, scopeType: 'tag', tagKey: ' env ', tagValue: 'prod' }, 'create').scope, { type: 'tag', key: 'env', value: 'prod' });
  });

  test('an edit round-trips the budget without its name, and leaving ROUTE clears the model', () => {
    const d = draftOf(budget);
    assert.deepEqual(budgetBody(d, 'edit'), { amountUsd: 25, period: 'DAILY', scope: { type: 'tag', key: 'team', value: 'search' }, action: 'ROUTE', routeModelId: 'm.cheap' });
    assert.equal(budgetBody({ ...d, action: 'DENY' }, 'edit').routeModelId, null);
    assert.equal('routeModelId' in budgetBody({ ...d, action: 'DENY' }, 'create'), false);
  });

  test('a missing or non-numeric amount is refused here; a negative one is left to the server', () => {
    assert.throws(() => budgetBody({ ...NEW_BUDGET, amount: '' }, 'create'), DraftError);
    assert.throws(() => budgetBody({ ...NEW_BUDGET, amount: '12 dollars' }, 'create'), /Amount: enter the budget in US dollars/);
    assert.equal(budgetBody({ ...NEW_BUDGET, amount: '-1' }, 'create').amountUsd, -1);
  });
});

describe('key terms', () => {
  test('lifetimes in seconds; "never" has none', () => {
    assert.equal(lifetimeSeconds('30d'), 30 * 24 * 3600);
    assert.equal(lifetimeSeconds(''), undefined);
    assert.equal(lifetimeSeconds('bogus'), undefined);
  });
  test('the secret shown once is the bearer key or the SigV4 secret', () => {
    assert.equal(secretOf({ apiKey: 'qk-1' }), 'qk-1');
    assert.equal(secretOf({ secretAccessKey: 's' }), 's');
    assert.equal(secretOf({}), undefined);
  });
  test('a rotation grace in seconds, within what the server takes (0 to 30 days); an unknown choice ends the old secret now', () => {
    assert.equal(graceSeconds('now'), 0);
    assert.equal(graceSeconds('1d'), 24 * 3600);
    assert.equal(graceSeconds('bogus'), 0);
    for (const g of ROTATION_GRACE) assert.ok(g.seconds >= 0 && g.seconds <= 30 * 24 * 3600, g.value);
  });
});

describe('deploymentVerdict', () => {
  const d: HealthSignals = { state: 'closed', drained: false };
  test('worst first: drained, breaker open, failing checks, recovering, unchecked, serving', () => {
    assert.equal(deploymentVerdict(d).label, 'serving');
    assert.equal(deploymentVerdict({ ...d, active: { state: 'unknown'} }).label, 'not yet checked');
    assert.equal(deploymentVerdict({ ...d, state: 'half-open', active: { state: 'healthy'} }).tone, 'busy');
    const sick = deploymentVerdict({ ...d, state: 'half-open', active: { state: 'unhealthy', lastError: 'ECONNREFUSED'} });
    assert.deepEqual([sick.label, sick.why], ['unhealthy', 'Health checks fail: ECONNREFUSED']);
    assert.equal(deploymentVerdict({ ...d, state: 'open', active: { state: 'unhealthy'} }).label, 'breaker open');
    assert.equal(deploymentVerdict({ ...d, drained: true, state: 'open' }).label, 'drained');
  });
  test('a drain says who made it: an operator at runtime, or the configuration file', () => {
    assert.match(deploymentVerdict({ ...d, drained: true, drainedBy: 'operator' }).why ?? '', /^Taken out of rotation by an operator; .*calls in flight finish/);
    assert.match(deploymentVerdict({ ...d, drained: true, drainedBy: 'config' }).why ?? '', /^Drained in the configuration file; /);
  });
});
