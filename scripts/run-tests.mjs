#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with Node's own test runner (tsx as the loader). Node 20's --test takes no
// globs, so the files are listed here. Extra arguments are passed on (e.g. --test-name-pattern).
//
// Scale-out mode (QUARRY_TEST_STORE_URL set, as `npm run test:scale-out` does): knowledge bases there default to
// pgvector, which the PostgreSQL on hand may lack, so unless QUARRY_TEST_PGVECTOR_URL already names a server with it,
// the runner starts test/support/pgvector-test-server.ts (PGlite with pgvector behind the wire protocol) as a process of
// its own for the whole run and hands its URL to the tests in QUARRY_TEST_PGVECTOR_URL.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

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

const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('--'));
const flags = args.filter((a) => a.startsWith('--'));
let files = [...find('src'), ...find('test')].sort();
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));

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
// spawnSync blocks only this runner; the pgvector server is a process of its own and keeps serving.
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...flags, ...files], { stdio: 'inherit', env });
if (pgvector) {
  pgvector.child.removeAllListeners('exit');
  pgvector.child.stdin.end();
  pgvector.child.kill('SIGTERM');
}
process.exit(r.status ?? 1);
