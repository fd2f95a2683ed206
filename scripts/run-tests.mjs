#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with Node's own test runner (tsx as the loader). Node 20's --test takes no
// globs, so the files are listed here. Extra arguments are passed on (e.g. --test-name-pattern). The unit tests under
// src/ share two processes (see groupUnitTests); a file that must have its own says so in a line that starts with
// "// Runs in a process of its own:".
//
// Scale-out mode (QUARRY_TEST_STORE_URL set, as `npm run test:scale-out` does) runs the test files that read the mode's
// settings, directly or through the modules they import (test/support/start-test-server.ts puts every test server on
// PostgreSQL, each in a schema of its own, with Redis): the other files would repeat the normal run exactly, as nothing
// in them changes with the mode. `--all` runs every file anyway. Knowledge bases there default to
// pgvector, which the PostgreSQL on hand may lack, so unless QUARRY_TEST_PGVECTOR_URL already names a server with it,
// the runner starts test/support/pgvector-test-server.ts (PGlite with pgvector behind the wire protocol) as a process of
// its own for the whole run and hands its URL to the tests in QUARRY_TEST_PGVECTOR_URL.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

function find(dir, out = []) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const p = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const SCALE_OUT_SETTINGS = /QUARRY_TEST_(STORE_URL|SERVER_REDIS_URL|PGVECTOR_URL)/;

/** Whether `file` reads a scale-out setting, itself or through the project's own modules (relative imports). */
function readsScaleOutSettings(file, seen = new Map()) {
  if (seen.has(file)) return seen.get(file);
  seen.set(file, false);
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  if (SCALE_OUT_SETTINGS.test(text)) {
    seen.set(file, true);
    return true;
  }
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const dep = resolve(dirname(file), m[1].replace(/\.js$/, '.ts'));
    if (readsScaleOutSettings(dep, seen)) {
      seen.set(file, true);
      return true;
    }
  }
  return false;
}

const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('--'));
const all = args.includes('--all');
const flags = args.filter((a) => a.startsWith('--') && a !== '--all');
let files = [...find('src'), ...find('test')].sort();
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
// The console's browser tests are left out of scale-out mode: what they check beyond the API tests is the console
// itself, which is the same whatever store is behind the API, and the routes they drive run in this mode through
// their own tests. They were a third of the mode's test time (Chromium, ~150 s).
const BROWSER_TEST = /-browser\.test\.ts$/;
if (process.env.QUARRY_TEST_STORE_URL && !all) {
  const seen = new Map();
  const reading = files.filter((f) => readsScaleOutSettings(resolve(f), seen));
  files = reading.filter((f) => !BROWSER_TEST.test(f));
  console.log(
    `scale-out mode: ${files.length} test files, those of the ${reading.length} that read its settings that are not browser tests (--all runs every file)`,
  );
}

// A file that needs a fresh process says so in a line of its own (with its reason after the colon). A file with hooks
// at its top level gets one too: there they belong to the process's root test, so in a shared process they would run
// around every other file's tests as well.
const OWN_PROCESS = /^\/\/ Runs in a process of its own:|^(before|after|beforeEach|afterEach)\(/m;
const SHARED_GROUPS = 2;

/**
 * The unit tests under src/ run in two shared processes instead of one each: a process costs ~0.7 s of CPU before
 * its first test (Node, tsx and its loader thread), which for ~190 small files was half of their run time (126 s
 * apart, 67 s in one process). Each group is an entry module that imports its files, so their tests register in
 * that process; failures still name the test and its file. The integration tests under test/ keep a process each:
 * they start servers, child processes and browsers. Returns the files to hand to the test runner.
 */
function groupUnitTests(list, dir) {
  const shared = list.filter((f) => f.startsWith('src/') && !OWN_PROCESS.test(readFileSync(f, 'utf8')));
  if (shared.length < 2) return list;
  const entries = Array.from({ length: SHARED_GROUPS }, (_, i) => {
    const mine = shared.filter((_, j) => j % SHARED_GROUPS === i);
    const entry = join(dir, `unit-tests-${i + 1}-of-${SHARED_GROUPS}.test.mjs`);
    writeFileSync(entry, mine.map((f) => `await import(${JSON.stringify(pathToFileURL(resolve(f)).href)});\n`).join(''));
    return entry;
  });
  return [...entries, ...list.filter((f) => !shared.includes(f))];
}

/** Starts the pgvector test server and resolves with its URL (the first line it prints). */
function startPgvectorServer() {
  // stdin stays an open pipe: if this runner dies without stopping it, the pipe closes and the server exits.
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/pgvector-test-server.ts'], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve({ child, url: out.slice(0, nl) });
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`pgvector test server exited (${code}) before printing its URL`)));
  });
}

const env = { ...process.env, QUARRY_LOG_LEVEL: process.env.QUARRY_LOG_LEVEL ?? 'silent' };
let pgvector;
if (env.QUARRY_TEST_STORE_URL && !env.QUARRY_TEST_PGVECTOR_URL) {
  pgvector = await startPgvectorServer();
  env.QUARRY_TEST_PGVECTOR_URL = pgvector.url;
}
const groups = mkdtempSync(join(tmpdir(), 'quarry-tests-'));
const runFiles = groupUnitTests(files, groups);
// spawnSync blocks only this runner; the pgvector server is a process of its own and keeps serving.
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...flags, ...runFiles], { stdio: 'inherit', env });
rmSync(groups, { recursive: true, force: true });
if (pgvector) {
  pgvector.child.removeAllListeners('exit');
  pgvector.child.stdin.end();
  pgvector.child.kill('SIGTERM');
}
process.exit(r.status ?? 1);
