import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, mock, test } from 'node:test';
import { promisify } from 'node:util';
import { routingCommand } from '../../src/cli/routing-command.js';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';

/** `quarry routing`: in-process through the command's module, and once through bin/quarry.js to cover main.ts. */

const MODEL = 'scripted.echo-v1:0';
let server: TestServer;
before(async () => {
  server = await startTestServer(`deployments:
  - { id: echo-a, model: "${MODEL}", provider: scripted, region: us-east-1 }
  - { id: echo-b, model: "${MODEL}", provider: scripted, region: us-west-2, priority: 1 }
  - { id: echo-c, model: "${MODEL}", provider: scripted, priority: 2, drained: true }
`);
});
after(() => server.stop());

async function routing(args: string[]): Promise<string> {
  const lines: string[] = [];
  const log = mock.method(console, 'log', (...a: unknown[]) => lines.push(a.join(' ')));
  try {
    assert.equal(await routingCommand([...args, '--url', server.url, '--api-key', TEST_API_KEY]), 0);
    return lines.join('\n');
  } finally {
    log.mock.restore();
  }
}

const calls = (id: string) => server.runtime.router.health().find((d) => d.id === id)?.calls ?? 0;

async function converse(): Promise<void> {
  const res = await fetch(`${server.url}/model/${MODEL}/converse`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hi' }] }] }),
  });
  assert.equal(res.status, 200, await res.text());
}

test('ls, drain and restore, and the drain steers calls', async () => {
  await converse();
  assert.equal(calls('echo-a'), 1);
  const before = await routing(['ls']);
  assert.match(before, /^DEPLOYMENT\s+MODEL\s+PROVIDER\s+REGION\s+STATE\s+DRAINED/);
  assert.match(before, /echo-a\s+scripted\.echo-v1:0\s+scripted\s+us-east-1\s+closed\s+no\s+0\s+1\s+0/);
  assert.match(before, /echo-c\s+.*yes \(config\)/);

  assert.match(await routing(['drain', 'echo-a']), /^drained echo-a: no new calls go to it$/);
  await converse();
  assert.deepEqual([calls('echo-a'), calls('echo-b')], [1, 1]);
  assert.match(await routing(['ls']), /echo-a\s+.*yes \(by \S+\)/);

  assert.match(await routing(['restore', 'echo-c']), /restored echo-c/);
  assert.match(await routing(['ls']), /echo-c\s+.*no \(restored\)/);
  assert.match(await routing(['restore', 'echo-a']), /restored echo-a/);
  await converse();
  assert.equal(calls('echo-a'), 2);

  const json = JSON.parse(await routing(['ls', '--json'])) as { drains: { deploymentId: string; drained: boolean }[] };
  assert.deepEqual(
    json.drains.map((d) => [d.deploymentId, d.drained]),
    [
      ['echo-a', false],
      ['echo-c', false],
    ],
  );
  await assert.rejects(routing(['drain']), /usage: quarry routing drain <deployment-id>/);
  await assert.rejects(routing(['drain', 'echo-z']), /Deployment echo-z not found/);

  // A reset hands the decision back to the configuration: echo-c is drained there.
  assert.match(await routing(['reset', 'echo-c']), /^reset echo-c: drained, as the configuration says$/);
  assert.match(await routing(['ls']), /echo-c\s+.*yes \(config\)/);
  await assert.rejects(routing(['reset', 'echo-c']), /echo-c has no drain or restore to reset/);
});

test('bin/quarry.js routing: listed in the help, errors name the command and exit 1', async () => {
  const run = promisify(execFile);
  const env = { ...process.env, QUARRY_URL: server.url, QUARRY_API_KEY: TEST_API_KEY };
  const BIN = join(import.meta.dirname, '..', '..', 'bin', 'quarry.js');
  assert.match((await run(process.execPath, [BIN, 'help'], { env })).stdout, /quarry routing ls \| drain \| restore/);
  assert.match((await run(process.execPath, [BIN, 'routing', 'ls'], { env })).stdout, /echo-a/);
  await assert.rejects(run(process.execPath, [BIN, 'routing', 'restore', 'nope'], { env }), (e: { code: number; stderr: string }) => {
    assert.equal(e.code, 1);
    assert.match(e.stderr, /^quarry routing: Deployment nope not found\./);
    return true;
  });
});
