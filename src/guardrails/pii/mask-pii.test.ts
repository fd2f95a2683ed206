import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectPii } from './detect-pii.js';
import { maskPii } from './mask-pii.js';

const text = 'Jane Doe (jane@example.com) paid with 4111 1111 1111 1111; ref BK-123456.';
const matches = detectPii(text, { customRegexes: [{ name: 'booking', pattern: 'BK-\\d{6}' }] });

test('ANONYMIZE replaces with Bedrock {TYPE} masks and {name} for regexes; NONE leaves the text and reports', () => {
  const masked = maskPii(text, matches, {
    entities: { NAME: 'ANONYMIZE', EMAIL: 'ANONYMIZE', CREDIT_DEBIT_CARD_NUMBER: 'NONE' },
    regexes: { booking: 'ANONYMIZE' },
  });
  assert.equal(masked.text, '{NAME} ({EMAIL}) paid with 4111 1111 1111 1111; ref {booking}.');
  assert.equal(masked.blocked, false);
  assert.deepEqual(
    masked.findings.map((f) => [f.match.type, f.action]),
    [
      ['NAME', 'ANONYMIZED'],
      ['EMAIL', 'ANONYMIZED'],
      ['CREDIT_DEBIT_CARD_NUMBER', 'NONE'],
      ['REGEX', 'ANONYMIZED'],
    ],
  );
});

test('BLOCK marks the result blocked and still masks the span, so an unchecked result leaks nothing', () => {
  const masked = maskPii(text, matches, { entities: { CREDIT_DEBIT_CARD_NUMBER: 'BLOCK' } });
  assert.equal(masked.blocked, true);
  assert.match(masked.text, /paid with \{CREDIT_DEBIT_CARD_NUMBER\};/);
  assert.ok(masked.text.includes('Jane Doe'), 'types without an action are left as they are');
});

test('no matches leave the text unchanged; matches that do not belong to the text are refused', () => {
  assert.deepEqual(maskPii('hello', [], {}), { text: 'hello', blocked: false, findings: [] });
  assert.throws(() => maskPii('another text', matches, { entities: { NAME: 'ANONYMIZE' } }), /does not belong to this text/);
});

test('overlapping matches from another source are resolved instead of producing nested masks', () => {
  const a = { type: 'NAME' as const, start: 0, end: 8, text: 'Jane Doe', score: 0.9 };
  const b = { type: 'EMAIL' as const, start: 5, end: 8, text: 'Doe', score: 0.5 };
  assert.equal(maskPii(text, [a, b], { entities: { NAME: 'ANONYMIZE', EMAIL: 'ANONYMIZE' } }).text.slice(0, 7), '{NAME} ');
});
