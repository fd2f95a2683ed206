import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_MODULE_LIMITS, runModule } from './module-executor.js';

const T = { timeout: 20_000 };
let dir: string;
const mod = (name: string, source: string) => {
  const p = join(dir, `${name}.mjs`);
  writeFileSync(p, source);
  return p;
};
const limits = { ...DEFAULT_MODULE_LIMITS, timeoutMs: 5_000 };

describe('module executor (worker thread)', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'quarry-modules-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('runs the handler with the event and returns its JSON result', T, async () => {
    const r = await runModule(mod('ok', 'export const handler = async (e) => ({ echo: e.x, n: 2 });'), { x: 'hi' }, limits);
    assert.deepEqual(r, { ok: true, value: { echo: 'hi', n: 2 } });
    const d = await runModule(mod('default', 'export default (e) => "got " + e.x;'), { x: 1 }, limits);
    assert.deepEqual(d, { ok: true, value: 'got 1' });
  });

  test('is isolated from the server: no environment, no shared globals', T, async () => {
    process.env.QUARRY_TEST_SECRET = 'do-not-leak';
    (globalThis as Record<string, unknown>).__serverState = 'private';
    try {
      const r = await runModule(mod('iso', 'export const handler = () => ({ env: Object.keys(process.env), state: globalThis.__serverState ?? null });'), {}, limits);
      assert.deepEqual(r, { ok: true, value: { env: [], state: null } });
    } finally {
      delete process.env.QUARRY_TEST_SECRET;
      delete (globalThis as Record<string, unknown>).__serverState;
    }
  });

  test('a busy loop is stopped at the timeout', T, async () => {
    const started = Date.now();
    const r = await runModule(mod('spin', 'export const handler = () => { for (;;) {} };'), {}, { ...limits, timeoutMs: 300 });
    assert.equal(r.ok, false);
    assert.match((r as { error: string }).error, /did not finish within 300 ms/);
    assert.ok(Date.now() - started < 3_000);
  });

  test('a handler that throws, a module without a handler, and one that exits are errors, not crashes', T, async () => {
    const thrown = await runModule(mod('throw', 'export const handler = () => { throw new Error("kaput"); };'), {}, limits);
    assert.match((thrown as { error: string }).error, /threw: Error: kaput/);
    const none = await runModule(mod('none', 'export const x = 1;'), {}, limits);
    assert.match((none as { error: string }).error, /exports no handler/);
    const exits = await runModule(mod('exit', 'export const handler = () => process.exit(3);'), {}, limits);
    assert.match((exits as { error: string }).error, /exited \(code 3\)/);
    const never = await runModule(mod('never', 'export const handler = () => new Promise(() => {});'), {}, limits);
    assert.match((never as { error: string }).error, /never settled/);
    const missing = await runModule(join(dir, 'missing.mjs'), {}, limits);
    assert.match((missing as { error: string }).error, /could not be loaded/);
    const syntax = await runModule(mod('syntax', 'export const handler = ( => 1;'), {}, limits);
    assert.match((syntax as { error: string }).error, /could not be loaded/);
  });

  test('a result that is not JSON-serialisable is refused', T, async () => {
    const big = await runModule(mod('bigint', 'export const handler = () => ({ n: 10n });'), {}, limits);
    assert.match((big as { error: string }).error, /not JSON-serialisable/);
    const cyc = await runModule(mod('cycle', 'export const handler = () => { const a = {}; a.a = a; return a; };'), {}, limits);
    assert.match((cyc as { error: string }).error, /not JSON-serialisable/);
    const fn = await runModule(mod('fn', 'export const handler = () => () => 1;'), {}, limits);
    assert.match((fn as { error: string }).error, /not JSON-serialisable/);
  });

  test('megabytes of output are cut inside the worker', T, async () => {
    const r = await runModule(mod('huge', 'export const handler = () => "x".repeat(8 * 1024 * 1024);'), {}, { ...limits, maxOutputChars: 100_000 });
    assert.ok(r.ok && 'truncatedText' in r);
    assert.equal(r.truncatedText.length, 100_000);
    assert.equal(r.size, 8 * 1024 * 1024 + 2);
  });

  test('a module that needs more memory than allowed is stopped', T, async () => {
    const r = await runModule(mod('hog', 'export const handler = () => { const a = []; for (;;) a.push(new Array(100000).fill(Math.random())); };'), {}, { ...limits, maxMemoryMb: 32, timeoutMs: 15_000 });
    assert.equal(r.ok, false);
    assert.match((r as { error: string }).error, /out of memory|crashed/);
  });

  test('an aborted invocation stops the worker', T, async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const r = await runModule(mod('slow', 'export const handler = () => new Promise((r) => setTimeout(r, 10000));'), {}, limits, ac.signal);
    assert.match((r as { error: string }).error, /cancelled/);
  });
});
