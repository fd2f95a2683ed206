import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, mock, test } from 'node:test';
import { promisify } from 'node:util';
import { budgetCommand } from '../../src/cli/budget-command.js';
import { usageCommand } from '../../src/cli/usage-command.js';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';

/** `quarry usage` and `quarry budgets`, in-process against a real server; one run through bin/quarry.js for main.ts. */

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.stop());

async function run(command: (argv: string[]) => Promise<number>, args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = mock.method(console, 'log', (...a: unknown[]) => lines.push(a.join(' ')));
  try {
    const code = await command([...args, '--url', server.url, '--api-key', TEST_API_KEY]);
    return { code, out: lines.join('\n') };
  } finally {
    log.mock.restore();
  }
}

test('quarry usage prints a table grouped as asked, with a total and a forecast', async () => {
  for (const text of ['one two', 'three four five']) {
    const res = await fetch(`${server.url}/model/scripted.echo-v1%3A0/converse`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: [{ text }] }] }),
    });
    assert.equal(res.status, 200);
  }
  await server.meter.flush();
  const r = await run(usageCommand, ['--group-by', 'model,api', '--granularity', 'none', '--forecast']);
  assert.equal(r.code, 0);
  assert.match(r.out, /MODEL\s+API\s+REQUESTS\s+INPUT\s+OUTPUT\s+COST/);
  assert.match(r.out, /scripted\.echo-v1:0\s+bedrock\.converse\s+2\s+5\s+9\s+\$0\.0000\d+/);
  assert.match(r.out, /Total: 2 requests, 5 input and 9 output tokens/);
  assert.match(r.out, /Forecast for \d{4}-\d{2}: \$/);
  const json = await run(usageCommand, ['--json', '--filter', 'model=nope']);
  assert.equal(JSON.parse(json.out).total.requests, 0);
  await assert.rejects(run(usageCommand, ['--group-by', 'colour']), /expected a dimension/);
  await assert.rejects(run(usageCommand, ['--filter', 'model']), /dimension=value/);
});

test('quarry budgets create, ls, get, update, alerts and rm', async () => {
  const created = await run(budgetCommand, ['create', 'team', '--amount', '25', '--period', 'daily', '--scope', 'tag=team=search', '--threshold', '50', '--threshold', 'forecast:90', '--action', 'deny']);
  assert.equal(created.code, 0);
  assert.match(created.out, /Created budget team\narn:aws:bedrock:us-east-1:000000000000:budget\/team/);
  const ls = await run(budgetCommand, ['ls']);
  assert.match(ls.out, /NAME\s+PERIOD\s+SCOPE\s+AMOUNT\s+SPENT\s+USED\s+ACTION/);
  assert.match(ls.out, /team\s+daily\s+tag team=search\s+\$25\s+\$0\.0000\s+0\.0%\s+deny/);
  await run(budgetCommand, ['update', 'team', '--amount', '30', '--action', 'route:scripted.echo-v1:0']);
  const get = await run(budgetCommand, ['get', 'team']);
  assert.match(get.out, /amount {5}\$30 daily/);
  assert.match(get.out, /action {5}route:scripted\.echo-v1:0/);
  assert.match(get.out, /thresholds 50% actual, 90% forecasted/);
  assert.match((await run(budgetCommand, ['alerts', 'team'])).out, /No alerts yet/);
  await assert.rejects(run(budgetCommand, ['create', 'bad', '--amount', 'lots']), /positive number/);
  await assert.rejects(run(budgetCommand, ['create', 'bad', '--amount', '1', '--scope', 'planet=mars']), /--scope/);
  await assert.rejects(run(budgetCommand, ['create', 'bad', '--amount', '1', '--threshold', 'half']), /--threshold/);
  await assert.rejects(run(budgetCommand, ['get', 'nope']), /Budget nope was not found/);
  assert.equal((await run(budgetCommand, ['rm', 'team'])).code, 0);
  assert.match((await run(budgetCommand, ['ls'])).out, /No budgets/);
});

test('bin/quarry.js dispatches usage and budgets', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['bin/quarry.js', 'budgets', 'ls', '--url', server.url, '--api-key', TEST_API_KEY]);
  assert.match(stdout, /No budgets/);
  const help = await promisify(execFile)(process.execPath, ['bin/quarry.js', 'help']);
  assert.match(help.stdout, /quarry usage \[--group-by model,key\]/);
});
