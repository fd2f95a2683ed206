import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson } from './canonical-json.js';
import { REDACTED, Redactor } from './redact-parameters.js';

test('secret-looking names are redacted whatever their spelling and depth; counts of tokens are not', () => {
  const r = new Redactor();
  const out = r.prepare({
    apiKey: 'sk-live-1',
    provider: { api_key: 'x', 'X-Api-Key': 'y', baseUrl: 'http://h' },
    credentials: { user: 'u', pass: 'p' },
    secretAccessKey: 's',
    password: 'p',
    Authorization: 'Bearer qk-1',
    sessionToken: 't',
    maxTokens: 512,
    chunking: { maxTokens: 300, overlapPercentage: 20 },
    list: [{ token: 't' }, { name: 'n' }],
  });
  assert.deepEqual(JSON.parse(JSON.stringify(out)), {
    apiKey: REDACTED,
    provider: { api_key: REDACTED, 'X-Api-Key': REDACTED, baseUrl: 'http://h' },
    credentials: REDACTED,
    secretAccessKey: REDACTED,
    password: REDACTED,
    Authorization: REDACTED,
    sessionToken: REDACTED,
    maxTokens: 512,
    chunking: { maxTokens: 300, overlapPercentage: 20 },
    list: [{ token: REDACTED }, { name: 'n' }],
  });
  assert.ok(!canonicalJson(out).includes('sk-live-1'));
});

test('configured names are redacted too', () => {
  const r = new Redactor(['connectionString', 'ssn']);
  assert.deepEqual(JSON.parse(JSON.stringify(r.prepare({ connection_string: 'postgres://u:p@h', SSN: '1', name: 'x' }))), { connection_string: REDACTED, SSN: REDACTED, name: 'x' });
});

test('oversized and hostile parameters are bounded rather than stored whole', () => {
  const r = new Redactor();
  const long = r.prepare({ text: 'x'.repeat(10_000), items: Array.from({ length: 500 }, (_, i) => i) }) as { text: string; items: unknown[] };
  assert.ok(long.text.length < 2100 && long.text.includes('more characters'));
  assert.equal(long.items.length, 101);
  let deep: unknown = 'bottom';
  for (let i = 0; i < 100; i++) deep = { d: deep };
  assert.ok(canonicalJson(r.prepare(deep)).includes('nested too deeply'));
  const huge = r.prepare(Object.fromEntries(Array.from({ length: 90 }, (_, i) => [`k${i}`, 'y'.repeat(2000)])));
  assert.equal((huge as { truncated: boolean }).truncated, true);
  const proto = r.prepare(JSON.parse('{"__proto__":{"polluted":true},"a":1}')) as Record<string, unknown>;
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(Object.keys(proto).sort(), ['__proto__', 'a']);
  assert.equal(r.prepare(undefined), null);
  assert.equal(r.prepare({}), null);
});
