import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { modelIdOf, PT_NAME, provisionedIdOf, rateOf } from '../../web/src/lib/provisioned-terms.js';

/** The provisioned-throughput page's pure helpers, run in Node. */
describe('provisioned throughput helpers', () => {
  test('ids come from the ARNs the control plane returns', () => {
    assert.equal(provisionedIdOf('arn:aws:bedrock:us-east-1:000000000000:provisioned-model/abc123def456'), 'abc123def456');
    assert.equal(modelIdOf('arn:aws:bedrock:us-east-1::foundation-model/scripted.echo-v1:0'), 'scripted.echo-v1:0');
  });

  test('the hourly rate follows the commitment, and is unknown without a price', () => {
    const price = { noCommitmentPerHour: 20, oneMonthPerHour: 15 };
    assert.equal(rateOf(price, ''), 20);
    assert.equal(rateOf(price, 'OneMonth'), 15);
    assert.equal(rateOf(price, 'SixMonths'), undefined);
    assert.equal(rateOf(undefined, ''), undefined);
  });

  test('names are checked with the server rule before a purchase is sent', () => {
    for (const ok of ['a', 'support-bot', 'x_1-y', 'a'.repeat(63)]) assert.ok(PT_NAME.test(ok), ok);
    for (const bad of ['', 'has spaces', '-lead', 'double--dash', 'a'.repeat(64), 'ünicode']) assert.ok(!PT_NAME.test(bad), bad);
  });
});
