import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { silentLogger } from '../../core/index.js';
import { createSafeFetch } from '../../net/index.js';
import { Playbook, toolResults } from '../../../test/support/playbook-provider.js';
import { type AgentDefinition, type AgentEvent, AgentOrchestrator, functionsFromFunctionSchema, MAX_OBSERVATION_CHARS } from '../orchestration/index.js';
import { ServerActionRunner } from './server-action-runner.js';

const T = { timeout: 20_000 };
let dir: string;
const fetch = createSafeFetch();

/** An agent whose one action group runs the module written with `source`. */
function agentWith(source: string, over: { timeoutMs?: number } = {}): AgentDefinition {
  const path = join(dir, `m${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(path, source);
  return {
    accountId: '000000000000',
    region: 'us-east-1',
    agentId: 'AGENT00001',
    agentName: 'a',
    agentAliasId: 'TSTALIASID',
    agentVersion: 'DRAFT',
    instruction: 'Use the tool.',
    foundationModel: 'playbook.agent-v1:0',
    actionGroups: [{ name: 'tools', executor: { kind: 'module', name: 'tool', module: path, ...over }, functions: functionsFromFunctionSchema([{ name: 'run', parameters: { x: { type: 'string' } } }]) }],
    userInput: false,
    knowledgeBases: [],
    idleSessionTtlSeconds: 60,
  };
}

/** Calls the tool once and answers with what the model was told; returns that and the events. */
async function scenario(a: AgentDefinition) {
  let told: { text: string; status?: string } | undefined;
  const pb = new Playbook([
    { toolCalls: [{ name: 'tools__run', input: { x: 'go' } }] },
    (req) => {
      told = [...toolResults(req).values()][0];
      return { text: 'done' };
    },
  ]);
  const o = new AgentOrchestrator({ models: pb.port(), runner: new ServerActionRunner({ fetch }) });
  const events: AgentEvent[] = [];
  const ctx = { requestId: 'r', principal: { id: 'p', name: 'p', keyId: 'k', isAdmin: true, authMethod: 'bearer' as const }, api: 't', signal: new AbortController().signal, log: silentLogger };
  for await (const e of o.invoke(ctx, a, { sessionId: 's', inputText: 'go' })) events.push(e);
  assert.ok(told, 'the model heard back');
  return { told: told!, events };
}

describe('agent with module executors: bad tools', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'quarry-agent-modules-'));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await fetch.close();
  });

  test('a Bedrock-style Lambda handler runs unchanged', T, async () => {
    const { told } = await scenario(
      agentWith(`export const handler = async (event) => ({
        messageVersion: '1.0',
        response: { actionGroup: event.actionGroup, function: event.function, functionResponse: { responseBody: { TEXT: { body: 'ran with ' + event.parameters[0].value + ' for ' + event.agent.id } } } },
      });`),
    );
    assert.deepEqual(told, { text: 'ran with go for AGENT00001', status: 'success' });
  });

  test('a tool that times out', T, async () => {
    const started = Date.now();
    const { told, events } = await scenario(agentWith('export const handler = () => new Promise(() => setInterval(() => {}, 1000));', { timeoutMs: 300 }));
    assert.equal(told.status, 'error');
    assert.match(told.text, /did not finish within 300 ms/);
    assert.ok(Date.now() - started < 5_000);
    assert.match(JSON.stringify(events), /did not finish within 300 ms/, 'the observation trace says so');
  });

  test('a tool that errors', T, async () => {
    const { told } = await scenario(agentWith('export const handler = () => { throw new TypeError("no such order"); };'));
    assert.equal(told.status, 'error');
    assert.match(told.text, /TypeError: no such order/);
  });

  test('a tool that reports failure the Bedrock way', T, async () => {
    const { told } = await scenario(agentWith(`export const handler = () => ({ response: { functionResponse: { responseState: 'FAILURE', responseBody: { TEXT: { body: 'card declined' } } } } });`));
    assert.deepEqual(told, { text: 'card declined', status: 'error' });
  });

  test('a tool that returns invalid JSON text or an unserialisable value', T, async () => {
    const text = await scenario(agentWith(`export const handler = () => ({ response: { functionResponse: { responseBody: { TEXT: { body: '{"broken": ' } } } } });`));
    assert.deepEqual(text.told, { text: '{"broken": ', status: 'success' }, 'a body is text; the model reads it as such');
    const bad = await scenario(agentWith('export const handler = () => ({ when: 1n });'));
    assert.equal(bad.told.status, 'error');
    assert.match(bad.told.text, /not JSON-serialisable/);
  });

  test('a tool that returns megabytes: the model gets the start and a note', T, async () => {
    const { told, events } = await scenario(agentWith('export const handler = () => "z".repeat(5 * 1024 * 1024);'));
    assert.equal(told.status, 'success');
    assert.ok(told.text.length < MAX_OBSERVATION_CHARS + 200, `the model was sent ${told.text.length} characters`);
    assert.match(told.text, /\[truncated: the result was 5,242,882 characters; only the first 20,000 are shown\]$/);
    assert.ok(JSON.stringify(events).length < 200_000, 'the traces stay small too');
  });
});
