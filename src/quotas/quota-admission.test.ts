import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { QuarryError, silentLogger } from '../core/index.js';
import type { Principal } from '../iam/index.js';
import { migrate, openStore, type Store } from '../store/index.js';
import type { QuotaAdmissionRequest } from './admission-port.js';
import { MemoryRateLimiter } from './memory-rate-limiter.js';
import { QuotaAdmission } from './quota-admission.js';
import { QuotaDefinitions } from './quota-definitions.js';
import { quotasConfigSchema } from './quota-limits.js';
import { createQuotaModule } from './quota-module.js';
import { ACCOUNT_POOL, EVERY, QuotaStore } from './quota-store.js';
import { quotaMigrations } from './quota-tables.js';

const ACCOUNT = '000000000000';
let store: Store;

before(async () => {
  store = await openStore({ dataDir: '.', url: 'sqlite::memory:' });
  await migrate(store.db, quotaMigrations);
});
after(() => store.close());

const principal = (keyId: string, isAdmin = false): Principal => ({ id: `u-${keyId}`, name: keyId, keyId, isAdmin, authMethod: 'bearer' });

function request(keyId: string, over: Partial<QuotaAdmissionRequest> & { input?: number } = {}): QuotaAdmissionRequest & { counted: () => number } {
  let calls = 0;
  return {
    ctx: { principal: principal(keyId) },
    modelId: 'scripted.echo-v1:0',
    inputTokens: () => {
      calls++;
      return Promise.resolve(over.input ?? 10);
    },
    counted: () => calls,
    ...over,
  };
}

async function fresh(config: unknown) {
  const quotas = new QuotaStore(store.db);
  for (const o of await quotas.all()) await quotas.delete(o.accountId, o.keyId, o.modelId);
  const cfg = quotasConfigSchema.parse(config);
  const definitions = new QuotaDefinitions(cfg, quotas, silentLogger);
  await definitions.reload();
  const limiter = new MemoryRateLimiter();
  const step = new QuotaAdmission({ definitions, limiter, defaultAccountId: ACCOUNT, exemptAdministrators: cfg.exemptAdministrators, defaultMaxTokens: cfg.defaultMaxTokens });
  return { quotas, definitions, limiter, step };
}

const throttled = (e: unknown) => QuarryError.isInstance(e) && e.code === 'ThrottlingException' && e.status === 429 && (e.retryAfterMs ?? 0) > 0;

test('overrides resolve most specific first, field by field; null lifts a limit', async () => {
  const { quotas, definitions } = await fresh({ default: { requestsPerMinute: 100, tokensPerMinute: 1000 }, models: { m: { concurrentRequests: 5 } } });
  await quotas.put(ACCOUNT, EVERY, EVERY, { requestsPerMinute: 50 });
  await quotas.put(ACCOUNT, 'k1', EVERY, { tokensPerMinute: null });
  await quotas.put(ACCOUNT, 'k1', 'm', { requestsPerMinute: 7 });
  await quotas.put('111111111111', 'k1', 'm', { requestsPerMinute: 1 });
  await definitions.reload();
  assert.deepEqual(definitions.limitsFor(ACCOUNT, 'k1', 'm'), { requestsPerMinute: 7, concurrentRequests: 5 });
  assert.deepEqual(definitions.limitsFor(ACCOUNT, 'k2', 'm'), { requestsPerMinute: 50, tokensPerMinute: 1000, concurrentRequests: 5 });
  assert.deepEqual(definitions.limitsFor(ACCOUNT, 'k2', 'other'), { requestsPerMinute: 50, tokensPerMinute: 1000 });
  assert.deepEqual(definitions.resolve(ACCOUNT, 'k1', 'm').sources, [
    'override for key k1 on model m',
    'override for key k1 on every model',
    'override for every key on every model',
    'configuration quotas.models["m"]',
    'configuration quotas.default',
  ]);
  await quotas.put(ACCOUNT, EVERY, EVERY, { requestsPerMinute: null, tokensPerMinute: null });
  await definitions.reload();
  assert.equal(definitions.limitsFor(ACCOUNT, 'k2', 'other'), undefined);
  assert.equal(definitions.limitsAnything, true);
});

test('a key-model pair over its requests per minute gets ThrottlingException with the time to wait', async () => {
  const { step } = await fresh({ default: { requestsPerMinute: 3 } });
  for (let i = 0; i < 3; i++) await step.admit(request('k'));
  await assert.rejects(step.admit(request('k')), throttled);
  // Another key, and another model, have allowances of their own.
  assert.ok(await step.admit(request('k2')));
  assert.ok(await step.admit(request('k', { modelId: 'arn:aws:bedrock:us-east-1::foundation-model/other' })));
  // An ARN and the bare id are one model.
  await assert.rejects(step.admit(request('k', { modelId: 'arn:aws:bedrock:us-east-1::foundation-model/scripted.echo-v1:0' })), throttled);
});

test('tokens: input plus max_tokens on admission, then settled to what was used', async () => {
  const { step } = await fresh({ default: { tokensPerMinute: 1000 }, defaultMaxTokens: 700 });
  const a = await step.admit(request('k', { input: 100, maxTokens: 400 }));
  // 500 reserved; 100 + 700 (no max_tokens: the default) does not fit beside it.
  await assert.rejects(step.admit(request('k', { input: 100 })), (e) => throttled(e) && /Too many tokens/.test((e as Error).message));
  a!.settle({ outcome: 'ok', usage: { inputTokens: 100, outputTokens: 50, totalTokens: 150 } });
  // 150 used: 100 + 700 now fits (950).
  const b = await step.admit(request('k', { input: 100 }));
  assert.ok(b);
  b!.settle({ outcome: 'CacheHit', usage: { inputTokens: 100, outputTokens: 900, totalTokens: 1000 } });
  assert.ok(await step.admit(request('k', { input: 50, maxTokens: 800 })), 'a cached answer used no tokens');
});

test('tokens: a request larger than the whole limit is refused as over quota, not throttled', async () => {
  const { step } = await fresh({ default: { tokensPerMinute: 1000 } });
  await assert.rejects(step.admit(request('k', { input: 10, maxTokens: 4000 })), (e) => QuarryError.isInstance(e) && e.code === 'ServiceQuotaExceededException' && /lower max_tokens/.test(e.message));
});

test('a hostile model id of megabytes is held as a digest, not as itself', async () => {
  const { step, limiter } = await fresh({ default: { requestsPerMinute: 1 } });
  const huge = `x${'y'.repeat(2_000_000)}`;
  await step.admit(request('k', { modelId: huge }));
  await assert.rejects(step.admit(request('k', { modelId: huge })), (e) => throttled(e) && (e as Error).message.length < 300);
  assert.equal(limiter.size, 1);
});

test('without max_tokens the default output reservation is named when it cannot fit', async () => {
  const { step } = await fresh({ default: { tokensPerMinute: 1000 } });
  await assert.rejects(step.admit(request('k')), /4096 reserved for output when max_tokens is not set/);
});

test('the input is only counted when tokens are limited', async () => {
  const { step } = await fresh({ default: { requestsPerMinute: 10 } });
  const r = request('k');
  await step.admit(r);
  assert.equal(r.counted(), 0);
});

test('concurrency: a slot is held until the invocation settles, whatever its outcome', async () => {
  const { step } = await fresh({ default: { concurrentRequests: 1 } });
  for (const outcome of ['ok', 'ModelErrorException', 'ClientClosed', 'Refused']) {
    const a = await step.admit(request('k'));
    await assert.rejects(step.admit(request('k')), throttled);
    a!.settle({ outcome });
  }
  assert.ok(await step.admit(request('k')));
});

test('refused by a later step: the request does not count against requests per minute', async () => {
  const { step } = await fresh({ default: { requestsPerMinute: 1 } });
  (await step.admit(request('k')))!.settle({ outcome: 'Refused' });
  assert.ok(await step.admit(request('k')));
});

test('administrators are limited unless exempted', async () => {
  const limited = await fresh({ default: { requestsPerMinute: 1 } });
  const admin = { ...request('root'), ctx: { principal: principal('root', true) } };
  await limited.step.admit(admin);
  await assert.rejects(limited.step.admit(admin), throttled);
  const exempt = await fresh({ default: { requestsPerMinute: 1 }, exemptAdministrators: true });
  for (let i = 0; i < 3; i++) assert.equal(await exempt.step.admit(admin), undefined);
  // The server's own background work is never limited.
  const system = { ...request('-'), ctx: { principal: { ...principal('-', true), id: 'system:knowledge-ingestion' } } };
  for (let i = 0; i < 3; i++) assert.equal(await limited.step.admit(system), undefined);
});

test('the step joins the admission list when the first limit appears and leaves with the last', async () => {
  const list: unknown[] = [{ admit: async () => undefined }];
  const m = await createQuotaModule({ db: store.db, defaultAccountId: ACCOUNT, log: silentLogger, admission: list as never, refreshMs: 60_000 });
  try {
    for (const o of await m.store.all()) await m.store.delete(o.accountId, o.keyId, o.modelId);
    await m.reload();
    assert.equal(list.length, 1, 'no limits: not installed');
    await m.store.put(ACCOUNT, 'k', EVERY, { requestsPerMinute: null });
    await m.reload();
    assert.equal(list.length, 1, 'an override that only lifts limits installs nothing');
    await m.store.put(ACCOUNT, 'k', EVERY, { requestsPerMinute: 5 });
    await m.reload();
    assert.equal(list[0], m.step);
    await m.store.delete(ACCOUNT, 'k', EVERY);
    await m.reload();
    assert.equal(list.length, 1);
    assert.ok(!list.includes(m.step));
  } finally {
    await m.close();
  }
});

describe('the account as a whole (quotas.account, or overrides for @account)', () => {
  const inAccount = (keyId: string, accountId: string) => ({ ...request(keyId), ctx: { principal: { ...principal(keyId), accountId } } });

  test('all the account’s keys draw from one count, on top of each key’s own; other accounts have their own', async () => {
    const { step } = await fresh({ default: { requestsPerMinute: 3 }, account: { default: { requestsPerMinute: 5 } } });
    for (const k of ['a', 'a', 'a', 'b', 'b']) await step.admit(request(k));
    // Key b has used 2 of its own 3, but the account's 5 are gone.
    await assert.rejects(step.admit(request('b')), (e) => throttled(e) && /5 requests per minute for this account on scripted\.echo-v1:0/.test((e as Error).message));
    await assert.rejects(step.admit(request('c')), throttled);
    // A key's own limit still names the key.
    await assert.rejects(step.admit(request('a')), (e) => throttled(e) && /3 requests per minute for this key/.test((e as Error).message));
    // Another account, and another model, are not this account's count.
    assert.ok(await step.admit(inAccount('z', '111111111111')));
    assert.ok(await step.admit(request('c', { modelId: 'other.model-v1:0' })));
  });

  test('refused by the account: the request leaves the key’s own window and frees its slot', async () => {
    const { step, quotas, definitions } = await fresh({ default: { requestsPerMinute: 2, concurrentRequests: 1 } });
    await quotas.put(ACCOUNT, ACCOUNT_POOL, 'scripted.echo-v1:0', { concurrentRequests: 1 });
    await definitions.reload();
    const held = await step.admit(request('a'));
    // b's own allowance would admit it; the account's one slot is a's.
    await assert.rejects(step.admit(request('b')), (e) => throttled(e) && /1 concurrent requests for this account/.test((e as Error).message));
    held!.settle({ outcome: 'ok' });
    // b's refused attempt took neither a request nor its slot: both of its 2 per minute are left.
    (await step.admit(request('b')))!.settle({ outcome: 'ok' });
    (await step.admit(request('b')))!.settle({ outcome: 'ok' });
    await assert.rejects(step.admit(request('b')), (e) => throttled(e) && /for this key/.test((e as Error).message));
  });

  test('tokens are reserved in both counts and settled in both', async () => {
    const { step } = await fresh({ account: { models: { 'scripted.echo-v1:0': { tokensPerMinute: 1000 } } } });
    const a = await step.admit(request('a', { input: 100, maxTokens: 500 }));
    await assert.rejects(step.admit(request('b', { input: 100, maxTokens: 400 })), (e) => throttled(e) && /Too many tokens.*this account/.test((e as Error).message));
    a!.settle({ outcome: 'ok', usage: { inputTokens: 100, outputTokens: 20, totalTokens: 120 } });
    assert.ok(await step.admit(request('b', { input: 100, maxTokens: 400 })));
    await assert.rejects(step.admit(request('c', { input: 10, maxTokens: 2000 })), (e) => QuarryError.isInstance(e) && e.code === 'ServiceQuotaExceededException' && /allowed to this account/.test(e.message));
  });

  test('resolution: overrides before configuration, field by field, with where each came from', async () => {
    const { quotas, definitions } = await fresh({ account: { default: { requestsPerMinute: 100, tokensPerMinute: 9000 } } });
    await quotas.put(ACCOUNT, ACCOUNT_POOL, EVERY, { requestsPerMinute: 40 });
    await quotas.put(ACCOUNT, ACCOUNT_POOL, 'm', { tokensPerMinute: null });
    await definitions.reload();
    assert.deepEqual(definitions.resolve(ACCOUNT, ACCOUNT_POOL, 'm'), {
      limits: { requestsPerMinute: 40 },
      sources: ['override for the account on model m', 'override for the account on every model', 'configuration quotas.account.default'],
    });
    // The account's allowance is not a key's: no key inherits it as its own limit.
    assert.equal(definitions.limitsFor(ACCOUNT, 'k', 'm'), undefined);
    assert.equal(definitions.accountLimitsFor('111111111111', 'm')?.requestsPerMinute, 100);
  });

  test('an account allowance alone puts the step in the pipeline', async () => {
    const list: unknown[] = [];
    const m = await createQuotaModule({ db: store.db, config: quotasConfigSchema.parse({ account: { default: { concurrentRequests: 3 } } }), defaultAccountId: ACCOUNT, log: silentLogger, admission: list as never, refreshMs: 60_000 });
    try {
      for (const o of await m.store.all()) await m.store.delete(o.accountId, o.keyId, o.modelId);
      await m.reload();
      assert.equal(list[0], m.step);
    } finally {
      await m.close();
    }
  });
});
