import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AgentGuard, GuardVerdict } from './agent-guard.js';
import { GuardedRelease, splitAnswer } from './guarded-release.js';

/** A guard that blocks text containing `deny`, masks digits, and records every text it was asked about. */
function guard(deny = 'zebra') {
  const seen: string[] = [];
  const checkOutput = async (text: string): Promise<GuardVerdict> => {
    seen.push(text);
    if (text.includes(deny)) return { action: 'INTERVENED', text: 'BLOCKED', blocked: true, assessments: [{ deny }] };
    if (/\d/.test(text)) return { action: 'INTERVENED', text: text.replace(/\d/g, '#'), blocked: false, assessments: [{ masked: true }] };
    return { action: 'NONE', text };
  };
  const g: AgentGuard = { checkInput: checkOutput, checkToolResult: checkOutput, checkOutput };
  return { g, seen };
}

async function run(r: GuardedRelease, deltas: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const d of deltas) {
    const p = await r.push(d);
    if (p !== undefined) out.push(p);
  }
  const rest = await r.flush();
  if (rest !== undefined) out.push(rest);
  return out;
}

const letters = (s: string) => [...s];

describe('GuardedRelease', () => {
  test('without a guardrail every delta goes out as it comes', async () => {
    assert.deepEqual(await run(new GuardedRelease(undefined, 50), ['Hel', 'lo', ', you']), ['Hel', 'lo', ', you']);
  });

  test("with one, pieces of at least the interval, as in Bedrock's example, each checked before it goes out", async () => {
    const { g, seen } = guard();
    const r = new GuardedRelease(g, 3);
    assert.deepEqual(await run(r, ['Hel', 'lo, ', 'I am', ' an', ' Age', 'nt']), ['Hel', 'lo, ', 'I am', ' an', ' Age', 'nt']);
    assert.deepEqual(await run(new GuardedRelease(g, 20), ['Hel', 'lo, ', 'I am', ' an', ' Age', 'nt']), ['Hello, I am an Agent']);
    // Each check carries the piece before it, so nothing is released that was not seen with its neighbour.
    assert.equal(seen[1], 'Hello, ');
    assert.equal(r.released, 'Hello, I am an Agent');
    assert.equal(r.intervened, false);
  });

  test('a blocked word split across two pieces is caught, and nothing after it goes out', async () => {
    const { g } = guard();
    const r = new GuardedRelease(g, 4);
    const out = await run(r, letters('the zebra ran far away'));
    // 'zebr' alone is harmless; with the next piece the word is whole, and that piece is blocked.
    assert.deepEqual(out, ['the ', 'zebr', 'BLOCKED']);
    assert.doesNotMatch(out.join(''), /zebra|ran|far/);
    assert.ok(r.blocked);
    assert.deepEqual(r.assessments, [{ deny: 'zebra' }]);
    assert.equal(await r.push('more'), undefined);
  });

  test('a masked piece goes out masked', async () => {
    const { g } = guard();
    const r = new GuardedRelease(g, 5);
    assert.equal((await run(r, ['call 555 ', 'then 12 more'])).join(''), 'call ### then ## more');
    assert.equal(r.intervened, true);
  });
});

describe('splitAnswer', () => {
  test('pieces of the interval that join to the text, never cutting a surrogate pair', () => {
    assert.deepEqual(splitAnswer('abcdefg', 3), ['abc', 'def', 'g']);
    assert.deepEqual(splitAnswer('ab', 3), ['ab']);
    const pieces = splitAnswer('ab😀cd', 3);
    assert.equal(pieces.join(''), 'ab😀cd');
    for (const p of pieces) assert.equal(Buffer.from(p, 'utf8').toString('utf8'), p);
    assert.deepEqual(pieces, ['ab😀', 'cd']);
  });
});
