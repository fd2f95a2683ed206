import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { TEST_API_KEY, type TestServer, startTestServer } from '../support/start-test-server.js';

/**
 * `quarry agents …` against a running server: build, prepare, release and re-release an agent, then remove it. Each
 * command is a process that loads the CLI (several seconds on a busy machine), so the scenario is kept to a few.
 */
const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'quarry.js');
const dir = mkdtempSync(join(tmpdir(), 'quarry-agents-cli-'));
let server: TestServer;

before(async () => {
  server = await startTestServer('agents:\n  functions:\n    weather: { url: "http://127.0.0.1:9/weather" }\n');
});
after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const agents = (...args: string[]) => run(process.execPath, [BIN, 'agents', ...args], { env: { ...process.env, QUARRY_URL: server.url, QUARRY_API_KEY: TEST_API_KEY } });

test('create, add action groups from files, prepare, release through an alias, re-point it, remove', { timeout: 400_000 }, async () => {
  const functions = join(dir, 'functions.json');
  writeFileSync(functions, JSON.stringify([{ name: 'forecast', parameters: { city: { type: 'string', required: true } } }]));
  const openapi = join(dir, 'api.yaml');
  writeFileSync(openapi, "openapi: 3.0.0\ninfo: { title: W, version: '1' }\npaths:\n  /now:\n    get:\n      operationId: now\n      responses: { '200': { description: ok } }\n");
  const broken = join(dir, 'broken.yaml');
  writeFileSync(broken, 'openapi: 3.0.0\npaths: {}\n');

  const created = await agents('create', 'weather-bot', '--model', 'scripted.echo-v1:0', '--instruction', 'You tell people the weather forecast for the city they ask about.', '--max-iterations', '3');
  const id = created.stdout.split(/\s+/)[0]!;
  assert.match(id, /^[0-9A-Z]{10}$/);
  assert.match(created.stdout, /NOT_PREPARED/);

  await agents('add-action-group', 'weather-bot', 'forecasts', '--functions', functions, '--return-control');
  await agents('add-action-group', 'weather-bot', 'live', '--openapi', openapi, '--function', 'weather');
  await assert.rejects(agents('add-action-group', 'weather-bot', 'bad', '--openapi', broken, '--return-control'), (e: { stderr: string; code: number }) => {
    assert.equal(e.code, 1);
    assert.match(e.stderr, /not a valid OpenAPI 3 document/);
    return true;
  });

  assert.match((await agents('prepare', 'weather-bot')).stdout, /PREPARED/);
  assert.match((await agents('alias', 'weather-bot', 'live')).stdout, /live {2}→ version 1/);
  // The draft is still prepared: a second alias cuts version 2 from it, and live is re-pointed there (a release).
  assert.match((await agents('alias', id, 'beta')).stdout, /→ version 2/);
  assert.match((await agents('alias', id, 'live', '--version', '2')).stdout, /live {2}→ version 2/);

  const shown = (await agents('get', 'weather-bot')).stdout;
  assert.match(shown, /forecasts {2}ENABLED/);
  assert.match(shown, /TSTALIASID {2}AgentTestAlias {2}→ DRAFT/);
  assert.match(shown, /versions:\n {2}DRAFT {2}PREPARED\n {2}1 {2}PREPARED\n {2}2 {2}PREPARED/);

  assert.match((await agents('ls')).stdout, new RegExp(`${id} {2}weather-bot {2}PREPARED {2}latest 2`));
  assert.match((await agents('rm', 'weather-bot')).stdout, new RegExp(`deleted ${id}`));
  await assert.rejects(agents('prepare', 'weather-bot'), /no agent named weather-bot/);
});
