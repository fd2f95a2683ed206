import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuarryError } from '../core/index.js';
import { type AdmissionRequest, type AdmissionStep, admitAll, REFUSED_OUTCOME, type Settlement } from './admission.js';

const request = { modelId: 'a', inputTokens: () => Promise.resolve(3) } as unknown as AdmissionRequest;

function recording(name: string, log: string[], redirectTo?: string): AdmissionStep {
  return {
    async admit(r) {
      log.push(`${name} admits ${r.modelId}`);
      return { modelId: redirectTo, settle: (s: Settlement) => log.push(`${name} settles ${s.outcome}`) };
    },
  };
}

test('steps run in order, each sees the model an earlier one redirected to, and settle once', async () => {
  const log: string[] = [];
  const a = await admitAll([recording('budget', log, 'cheap'), recording('limit', log)], request);
  assert.equal(a?.modelId, 'cheap');
  a!.settle({ costUsd: 0, outcome: 'ok' });
  a!.settle({ costUsd: 0, outcome: 'ok' });
  assert.deepEqual(log, ['budget admits a', 'limit admits cheap', 'budget settles ok', 'limit settles ok']);
});

test('a refusal releases what earlier steps reserved and propagates', async () => {
  const log: string[] = [];
  const refuse: AdmissionStep = {
    admit: () => Promise.reject(new QuarryError('ThrottlingException', 'Too many requests.')),
  };
  await assert.rejects(admitAll([recording('first', log), refuse, recording('never', log)], request), /Too many requests/);
  assert.deepEqual(log, ['first admits a', `first settles ${REFUSED_OUTCOME}`]);
});

test('no steps, or steps with nothing to settle, admit without a ticket', async () => {
  assert.equal(await admitAll([], request), undefined);
  assert.equal(await admitAll([{ admit: async () => undefined }], request), undefined);
});
