import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, mock, test } from 'node:test';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { auditCommand } from '../../src/cli/audit-command.js';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';

/** `quarry audit`: in-process through the command's module, and once through bin/quarry.js (main.ts, --local). */

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

async function audit(args: string[], remote = true): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = mock.method(console, 'log', (...a: unknown[]) => lines.push(a.join(' ')));
  try {
    const code = await auditCommand(remote ? [...args, '--url', server.url, '--api-key', TEST_API_KEY] : args);
    return { code, out: lines.join('\n') };
  } finally {
    log.mock.restore();
  }
}

const admin = (method: string, path: string, body?: unknown) =>
  fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

test('events lists newest first with filters; verify says intact, then names the tampered event and exits 3', async () => {
  assert.equal((await admin('POST', '/quarry/iam/users', { userName: 'erin' })).status, 201);
  assert.equal((await admin('DELETE', '/quarry/iam/users/nobody')).status, 404);
  await server.audit.flush();

  const all = await audit(['events', '--since', '1h']);
  assert.equal(all.code, 0);
  const lines = all.out.split('\n');
  assert.match(lines[0]!, /quarry:DeleteUser {2}ResourceNotFoundException \(404\)/);
  assert.match(lines[1]!, /000000000000 {2}admin {2}quarry:CreateUser {2}ok {2}arn:aws:bedrock:us-east-1:000000000000:user\/erin/);
  const failed = await audit(['events', '--outcome', 'error', '--json']);
  const parsed = JSON.parse(failed.out) as { events: { outcome: string }[] };
  assert.ok(parsed.events.length >= 1 && parsed.events.every((e) => e.outcome === 'error'));
  assert.equal((await audit(['events', '--max', '1'])).out.split('\n').length, 1);
  await assert.rejects(audit(['events', '--since', 'last tuesday']), /cannot read the time/);
  await assert.rejects(audit(['events', '--outcome', 'maybe']), /validation error/);

  const ok = await audit(['verify']);
  assert.equal(ok.code, 0, ok.out);
  const head = /000000000000 {2}intact {2}\d+ events {2}head (\S+)/.exec(ok.out)?.[1];
  assert.ok(head, ok.out);
  assert.equal((await audit(['verify', '--anchor', head])).code, 0);
  await assert.rejects(audit(['verify', '--anchor', 'nonsense']), /cannot read the anchor/);

  await sql`UPDATE audit_events SET principal_name = 'someone-else' WHERE seq = 1`.execute(server.store.db);
  const broken = await audit(['verify']);
  assert.equal(broken.code, 3);
  assert.match(broken.out, /000000000000 {2}BROKEN at event 1 \([0-9a-f-]+\): modified/);
});

test('bin/quarry.js audit verify --local reads the store without a server', async () => {
  await server.audit.flush();
  const run = promisify(execFile);
  // In a scale-out run (npm run test:scale-out) the store is a PostgreSQL schema, not a file in the data dir: the
  // command is told where it is through --config, as an operator would.
  const where = ['--data-dir', server.dataDir];
  const storeUrl = process.env.QUARRY_TEST_STORE_URL;
  if (server.store.dialect === 'postgres' && storeUrl) {
    const url = new URL(storeUrl);
    if (server.store.schema) url.searchParams.set('schema', server.store.schema);
    const config = join(server.dataDir, 'audit-local.yaml');
    writeFileSync(config, `store:\n  url: ${JSON.stringify(url.toString())}\n`);
    where.push('--config', config);
  }
  const r = await run(process.execPath, ['bin/quarry.js', 'audit', 'verify', '--local', ...where], { env: { ...process.env } }).catch((e: { code: number; stdout: string }) => e);
  assert.equal((r as { code?: number }).code, 3, JSON.stringify(r));
  assert.match((r as { stdout: string }).stdout, /BROKEN at event 1/);
  const none = await run(process.execPath, ['bin/quarry.js', 'audit', 'verify', '--local', '--data-dir', `${server.dataDir}/nowhere`]).catch((e: { code: number; stderr: string }) => e);
  assert.equal((none as { code?: number }).code, 1);
  assert.match((none as { stderr: string }).stderr, /there is no store/);
});
