import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BedrockAgentClient, CreateAgentActionGroupCommand, CreateAgentCommand, PrepareAgentCommand } from '@aws-sdk/client-bedrock-agent';
import {
  BedrockAgentRuntimeClient,
  DeleteAgentMemoryCommand,
  GetAgentMemoryCommand,
  InvokeAgentCommand,
  type InvokeAgentCommandInput,
  type ResponseStream,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { silentLogger } from '../../src/core/index.js';
import { createScriptedProvider } from '../../src/providers/scripted/index.js';
import { parseConfig } from '../../src/server/config.js';
import { type QuarryServer, startQuarry } from '../../src/server/quarry-server.js';
import { standardRoutes } from '../../src/server/standard-routes.js';
import { lastText, Playbook, toolResults } from '../support/playbook-provider.js';
import { TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY } from '../support/start-test-server.js';

/**
 * InvokeAgent sessions live in the store: two servers on one data dir stand for two replicas behind a load balancer.
 * A return of control handed out by one is completed on the other, the conversation goes on on either, and a
 * session cannot run on both at once. (The scale-out suite runs the same on PostgreSQL through its replica harness.)
 */
const T = { timeout: 60_000 };
const dir = mkdtempSync(join(tmpdir(), 'quarry-agent-replicas-'));
const pb = new Playbook([]);
const servers: QuarryServer[] = [];
const clients: BedrockAgentRuntimeClient[] = [];
let control: BedrockAgentClient;

const start = () =>
  startQuarry({
    config: parseConfig('providers:\n  - id: playbook\n    type: playbook\n', {}),
    dataDir: dir,
    port: 0,
    log: silentLogger,
    autoProviders: false,
    extraProviderTypes: { scripted: createScriptedProvider, playbook: pb.factory() },
    routes: standardRoutes,
    env: { QUARRY_BOOTSTRAP_ACCESS_KEY_ID: TEST_ACCESS_KEY_ID, QUARRY_BOOTSTRAP_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY },
  });

async function invoke(client: BedrockAgentRuntimeClient, input: Omit<InvokeAgentCommandInput, 'agentAliasId'>) {
  const res = await client.send(new InvokeAgentCommand({ agentAliasId: 'TSTALIASID', ...input }));
  const out: { text: string; returnControl?: ResponseStream['returnControl'] } = { text: '' };
  for await (const e of res.completion!) {
    if (e.chunk) out.text += new TextDecoder().decode(e.chunk.bytes);
    else if (e.returnControl) out.returnControl = e.returnControl;
  }
  return out;
}

before(async () => {
  servers.push(await start());
  servers.push(await start());
  const credentials = { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY };
  for (const s of servers) clients.push(new BedrockAgentRuntimeClient({ region: 'us-east-1', endpoint: s.url, credentials }));
  control = new BedrockAgentClient({ region: 'us-east-1', endpoint: servers[0]!.url, credentials });
});

after(async () => {
  for (const c of clients) c.destroy();
  control?.destroy();
  for (const s of servers) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a session started on one replica goes on on the other: return of control, then history', T, async () => {
  const agentId = (await control.send(new CreateAgentCommand({ agentName: 'refunds', instruction: 'You help customers with their orders and refunds.', foundationModel: 'playbook.agent-v1:0' }))).agent!.agentId!;
  await control.send(
    new CreateAgentActionGroupCommand({
      agentId,
      agentVersion: 'DRAFT',
      actionGroupName: 'payments',
      actionGroupExecutor: { customControl: 'RETURN_CONTROL' },
      functionSchema: { functions: [{ name: 'refund', parameters: { amount: { type: 'number', required: true } } }] },
    }),
  );
  await control.send(new PrepareAgentCommand({ agentId }));
  const [a, b] = clients as [BedrockAgentRuntimeClient, BedrockAgentRuntimeClient];

  pb.push({ toolCalls: [{ name: 'payments__refund', input: { amount: 12.5 } }] }, (req) => ({ text: `Refund: ${[...toolResults(req).values()][0]!.text}` }));
  const first = await invoke(a, { agentId, sessionId: 'cross-1', inputText: 'refund me 12.50' });
  const rc = first.returnControl!;
  assert.ok(rc.invocationId, 'replica A handed out a return of control');
  const second = await invoke(b, {
    agentId,
    sessionId: 'cross-1',
    sessionState: { invocationId: rc.invocationId, returnControlInvocationResults: [{ functionResult: { actionGroup: 'payments', function: 'refund', responseBody: { TEXT: { body: 'refund R-9 issued' } } } }] },
  });
  assert.equal(second.text, 'Refund: refund R-9 issued', 'replica B finished it');

  // Back on A: the model sees the earlier question and answer, which only B's invocation wrote.
  pb.push((req) => {
    const said = req.messages.flatMap((m) => m.content.map((c) => ('text' in c ? c.text : ''))).join(' | ');
    return { text: said.includes('refund me 12.50') && said.includes('Refund: refund R-9 issued') ? `I remember: ${lastText(req)}` : 'no history' };
  });
  const third = await invoke(a, { agentId, sessionId: 'cross-1', inputText: 'was it done?' });
  assert.equal(third.text, 'I remember: was it done?');
});

test('memory: a summary written when a session ends on one replica is read and deleted through the other', T, async () => {
  const agentId = (
    await control.send(
      new CreateAgentCommand({
        agentName: 'barista',
        instruction: 'You take coffee orders and remember what regulars like.',
        foundationModel: 'playbook.agent-v1:0',
        memoryConfiguration: { enabledMemoryTypes: ['SESSION_SUMMARY'], storageDays: 30 },
      }),
    )
  ).agent!.agentId!;
  await control.send(new PrepareAgentCommand({ agentId }));
  const [a, b] = clients as [BedrockAgentRuntimeClient, BedrockAgentRuntimeClient];
  pb.push({ text: 'One oat flat white, noted.' }, { text: 'The customer likes oat flat whites.' });
  await invoke(a, { agentId, sessionId: 'day-1', memoryId: 'regular-7', inputText: 'the usual, oat flat white', endSession: true });

  const read = await b.send(new GetAgentMemoryCommand({ agentId, agentAliasId: 'TSTALIASID', memoryId: 'regular-7', memoryType: 'SESSION_SUMMARY' }));
  assert.equal(read.memoryContents?.length, 1);
  const summary = read.memoryContents![0]!.sessionSummary!;
  assert.equal(summary.sessionId, 'day-1');
  assert.equal(summary.summaryText, 'The customer likes oat flat whites.');
  assert.ok(summary.sessionExpiryTime! > new Date(Date.now() + 29 * 86_400_000), 'kept for the storage days');

  await assert.rejects(
    b.send(new GetAgentMemoryCommand({ agentId, agentAliasId: 'TSTALIASID', memoryId: 'no spaces allowed', memoryType: 'SESSION_SUMMARY' })),
    (e: Error) => e.name === 'ValidationException' && /memoryId/.test(e.message),
  );
  await b.send(new DeleteAgentMemoryCommand({ agentId, agentAliasId: 'TSTALIASID', memoryId: 'regular-7' }));
  const after = await a.send(new GetAgentMemoryCommand({ agentId, agentAliasId: 'TSTALIASID', memoryId: 'regular-7', memoryType: 'SESSION_SUMMARY' }));
  assert.deepEqual(after.memoryContents ?? [], []);
});
