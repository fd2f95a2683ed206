import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, mock, test } from 'node:test';
import { promisify } from 'node:util';
import { iamCommand, parseDuration } from '../../src/cli/iam-command.js';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';

/** `quarry iam`: most commands run in-process (the CLI's own module), one through bin/quarry.js to cover main.ts. */

let server: TestServer;
let dir: string;
before(async () => {
  server = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), 'quarry-iam-cli-'));
});
after(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function iam(args: string[], key = TEST_API_KEY): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = mock.method(console, 'log', (...a: unknown[]) => lines.push(a.join(' ')));
  try {
    const code = await iamCommand([...args, '--url', server.url, '--api-key', key]);
    return { code, out: lines.join('\n') };
  } finally {
    log.mock.restore();
  }
}

/** The first group of `re` in `text`; fails the test when there is none. */
function match(text: string, re: RegExp): string {
  const m = re.exec(text)?.[1];
  assert.ok(m, `${re} in ${text}`);
  return m;
}

test('durations', () => {
  assert.equal(parseDuration('90s'), 90);
  assert.equal(parseDuration('30d'), 30 * 86_400);
  assert.equal(parseDuration('2w'), 14 * 86_400);
  for (const bad of ['', '30', 'd', '-1d', '1.5h', '1y', '0s', '99999999999d']) assert.throws(() => parseDuration(bad), /duration|more than zero/, bad);
});

test('users, policies from a file, attach, keys, simulate', async () => {
  assert.match((await iam(['users', 'create', 'dana'])).out, /created arn:aws:bedrock:us-east-1:000000000000:user\/dana/);
  assert.match((await iam(['users', 'ls'])).out, /^admin {2}\(administrator\)/m);

  const file = join(dir, 'invoke.json');
  writeFileSync(
    file,
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Models', Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: 'arn:aws:bedrock:*::foundation-model/*' },
        { Sid: 'Me', Effect: 'Allow', Action: ['quarry:ListApiKeys', 'quarry:RotateApiKey'], Resource: 'arn:aws:bedrock:*:*:user/dana' },
      ],
    }),
  );
  assert.match((await iam(['policies', 'create', 'invoke', file, '--description', 'models'])).out, /created .*:policy\/invoke/);
  assert.match((await iam(['policies', 'attach', 'invoke', '--user', 'dana'])).out, /attached invoke to user dana/);
  const shown = await iam(['policies', 'show', 'invoke']);
  assert.match(shown.out, /users: dana/);
  assert.match(shown.out, /"Sid": "Models"/);

  const allowed = await iam(['simulate', '--user', 'dana', '--action', 'bedrock:InvokeModel', '--resource', 'arn:aws:bedrock:us-east-1::foundation-model/scripted.echo-v1:0']);
  assert.equal(allowed.code, 0);
  assert.match(allowed.out, /^ALLOWED \(allowed by policy invoke, statement Models\)/);
  const denied = await iam(['simulate', '--user', 'dana', '--action', 'bedrock:Retrieve', '--resource', 'arn:aws:bedrock:us-east-1:000000000000:knowledge-base/KB12345678']);
  assert.equal(denied.code, 3);
  assert.match(denied.out, /^DENIED \(implicitDeny\)/);
  assert.match(denied.out, /Action does not match bedrock:Retrieve/);

  const created = await iam(['keys', 'create', '--user', 'dana', '--name', 'ci', '--expires', '30d']);
  const apiKey = /API key: (qk-\S+)/.exec(created.out)?.[1];
  assert.ok(apiKey, created.out);
  assert.match(created.out, /shown this once/);
  const keyId = match(created.out, /^(k-\S+)/);

  // dana, with her own key, lists her keys (the default --user is the caller) and rotates one.
  const mine = await iam(['keys', 'ls'], apiKey);
  assert.match(mine.out, new RegExp(`^${keyId} {2}bearer {2}qk-...… {2}Active {2}ci {2}expires `, 'm'));
  assert.ok(!mine.out.includes(apiKey), 'no secret in a listing');
  const rotated = await iam(['keys', 'rotate', keyId, '--grace', '1h'], apiKey);
  assert.match(rotated.out, /^old: .*replaced by k-/m);
  const newKey = match(rotated.out, /API key: (qk-\S+)/);
  assert.notEqual(newKey, apiKey);
  assert.match((await iam(['whoami'], newKey)).out, /^dana {2}account 000000000000 {2}key k-/);

  assert.match((await iam(['keys', 'disable', keyId])).out, /Inactive/);
  await assert.rejects(iam(['whoami'], apiKey), /disabled/);
  assert.match((await iam(['keys', 'expire', keyId])).out, /Expired/);
  assert.match((await iam(['keys', 'rm', keyId])).out, /deleted key/);

  assert.match((await iam(['roles', 'create', 'ops', '--description', 'operators'])).out, /created role ops/);
  assert.match((await iam(['roles', 'add', 'ops', 'dana'])).out, /added dana to role ops/);
  assert.match((await iam(['policies', 'attach', 'invoke', '--role', 'ops'])).out, /to role ops/);
  assert.match((await iam(['roles', 'show', 'ops'])).out, /members: dana\npolicies: invoke/);
  const json = await iam(['roles', 'ls', '--json']);
  assert.equal(JSON.parse(json.out).roles[0].roleName, 'ops');
  await assert.rejects(iam(['policies', 'rm', 'invoke']), /still attached/);
  await iam(['policies', 'detach', 'invoke', '--role', 'ops']);
  await iam(['policies', 'detach', 'invoke', '--user', 'dana']);
  assert.match((await iam(['policies', 'rm', 'invoke'])).out, /deleted policy invoke/);
  assert.match((await iam(['users', 'rm', 'dana'])).out, /deleted user dana/);
});

test('mistakes are explained: bad files, bad flags, unknown names, missing arguments', async () => {
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "bedrock:InvokeModel"}]}');
  await assert.rejects(iam(['policies', 'create', 'bad', bad]), /exactly one of Resource and NotResource/);
  await assert.rejects(iam(['policies', 'create', 'bad', join(dir, 'missing.json')]), /ENOENT/);
  const big = join(dir, 'big.json');
  writeFileSync(big, ' '.repeat(2 * 1024 * 1024));
  await assert.rejects(iam(['policies', 'create', 'big', big]), /at most 64 KB/);
  await assert.rejects(iam(['policies', 'attach', 'x']), /--user U \| --role R/);
  await assert.rejects(iam(['policies', 'attach', 'x', '--user', 'a', '--role', 'b']), /--user U \| --role R/);
  await assert.rejects(iam(['users', 'create']), /usage: quarry iam users create/);
  await assert.rejects(iam(['users', 'show', 'nobody']), /No user named nobody/);
  await assert.rejects(iam(['keys', 'create', '--expires', 'soon']), /cannot read the duration/);
  await assert.rejects(iam(['keys', 'disable', 'k-nope']), /No API key k-nope/);
  await assert.rejects(iam(['simulate', '--action', 'bedrock:InvokeModel']), /usage: quarry iam simulate/);
  await assert.rejects(iam(['simulate', '--action', 'x', '--resource', '*', '--context', 'novalue']), /key=value/);
  await assert.rejects(iam(['users', 'ls', '--bogus']), /Unknown option/);
  assert.equal((await iam(['nonsense'])).code, 2);
});

test('the quarry binary dispatches iam and exits non-zero on a server error', async () => {
  const run = promisify(execFile);
  const env = { ...process.env, QUARRY_URL: server.url, QUARRY_API_KEY: TEST_API_KEY };
  const BIN = join(import.meta.dirname, '..', '..', 'bin', 'quarry.js');
  await assert.rejects(run(process.execPath, [BIN, 'iam', 'users', 'rm', 'nobody'], { env }), (e: { code: number; stderr: string }) => {
    assert.equal(e.code, 1);
    assert.match(e.stderr, /quarry iam: No user named nobody/);
    return true;
  });
});
