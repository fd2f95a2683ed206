import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson } from './canonical-json.js';

test('keys are sorted at every depth and undefined members are left out', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [1, 'x', null], c: true }, u: undefined }), '{"a":{"c":true,"d":[1,"x",null]},"b":1}');
  assert.equal(canonicalJson({ a: 1, b: 2 }), canonicalJson({ b: 2, a: 1 }));
});

test('strings and numbers are written as JSON.stringify writes them; keys sort by UTF-16 code units', () => {
  assert.equal(canonicalJson('é"\n\u2028'), JSON.stringify('é"\n\u2028'));
  assert.equal(canonicalJson(1e21), '1e+21');
  assert.equal(canonicalJson(-0), '0');
  assert.equal(canonicalJson({ '\u{1F600}': 1, '\uFFFF': 2, Z: 3, a: 4 }), '{"Z":3,"a":4,"\u{1F600}":1,"\uFFFF":2}');
});

test('values JSON cannot hold are refused rather than written ambiguously', () => {
  assert.throws(() => canonicalJson(Number.NaN), /NaN/);
  assert.throws(() => canonicalJson({ f: () => 1 }), /function/);
  assert.throws(() => canonicalJson(10n), /bigint/);
});

test('the audit row hash is SHA-256 over exactly the canonical JSON of the row', async () => {
  const { createHash } = await import('node:crypto');
  const { canonicalAuditText, hashAuditRow } = await import('./audit-chain.js');
  const row = {
    id: 'e-1',
    account_id: '000000000000',
    seq: '7' as unknown as number,
    event_time: '2026-11-24T10:00:00.000Z',
    event_name: 'CreateUser',
    action: null,
    category: 'management' as const,
    read_only: 0,
    principal_id: 'p',
    principal_name: 'ålice "quoted"',
    principal_type: 'User',
    auth_method: 'bearer',
    key_id: null,
    access_key_id: null,
    source_ip: '::1',
    user_agent: 'ua\n',
    resources: '["*"]',
    request_parameters: null,
    outcome: 'success' as const,
    error_code: null,
    error_message: null,
    http_status: 201,
    request_id: 'r',
    wire_api: 'quarry',
    prev_hash: '0'.repeat(64),
  };
  const text = canonicalAuditText(row);
  assert.match(text, /^\{"access_key_id":null,"account_id":"000000000000",/);
  assert.match(text, /"seq":7,/);
  assert.equal(hashAuditRow(row), createHash('sha256').update(text).digest('hex'));
});
