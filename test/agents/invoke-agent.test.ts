import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  AssociateAgentKnowledgeBaseCommand,
  BedrockAgentClient,
  CreateAgentActionGroupCommand,
  type CreateAgentActionGroupCommandInput,
  CreateAgentAliasCommand,
  CreateAgentCommand,
  CreateDataSourceCommand,
  CreateKnowledgeBaseCommand,
  IngestKnowledgeBaseDocumentsCommand,
  PrepareAgentCommand,
} from '@aws-sdk/client-bedrock-agent';
import { BedrockAgentRuntimeClient, InvokeAgentCommand, type InvokeAgentCommandInput, type ResponseStream } from '@aws-sdk/client-bedrock-agent-runtime';
import { type AttachedPolicy, type PolicySource, type Principal, parsePolicyDocument } from '../../src/iam/index.js';
import { createScriptedProvider } from '../../src/providers/scripted/index.js';
import { Playbook, toolResults } from '../support/playbook-provider.js';
import { TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, type TestServer, startTestServer } from '../support/start-test-server.js';

const policies = new Map<string, AttachedPolicy[]>();
const policySource: PolicySource = { policiesFor: async (p: Principal) => policies.get(p.name) ?? [] };
const policy = (statements: object[]): AttachedPolicy => ({ id: `p-${Math.random()}`, document: parsePolicyDocument({ Version: '2012-10-17', Statement: statements }) });

/**
 * InvokeAgent end to end as the server mounts it: agents created, prepared and aliased through
 * `@aws-sdk/client-bedrock-agent`, invoked through `@aws-sdk/client-bedrock-agent-runtime` over a real socket (HTTP/2
 * as the SDK speaks it), the model calls going through the server's runtime to a playbook model, a registered module
 * as an action, return of control to the caller, and a knowledge base ingested through the control plane.
 */
const T = { timeout: 30_000 };
const dir = mkdtempSync(join(tmpdir(), 'quarry-agent-e2e-'));
const ordersModule = join(dir, 'orders.mjs');
const pb = new Playbook([]);
let server: TestServer;
let runtime: BedrockAgentRuntimeClient;
let control: BedrockAgentClient;

type GroupInput = Omit<CreateAgentActionGroupCommandInput, 'agentId' | 'agentVersion'>;

/** An agent on the playbook model with these action groups and knowledge bases, prepared (its DRAFT runs under TSTALIASID). */
async function createAgent(name: string, groups: GroupInput[] = [], knowledgeBases: { knowledgeBaseId: string; description: string }[] = []): Promise<string> {
  const agentId = (await control.send(new CreateAgentCommand({ agentName: name, instruction: 'You help customers with their orders and refunds.', foundationModel: 'playbook.agent-v1:0' }))).agent!.agentId!;
  for (const g of groups) await control.send(new CreateAgentActionGroupCommand({ agentId, agentVersion: 'DRAFT', ...g }));
  for (const k of knowledgeBases) await control.send(new AssociateAgentKnowledgeBaseCommand({ agentId, agentVersion: 'DRAFT', ...k }));
  await control.send(new PrepareAgentCommand({ agentId }));
  return agentId;
}

type Collected = { text: string; traces: Record<string, unknown>[]; returnControl?: ResponseStream['returnControl']; citations: unknown[]; sessionId?: string };

async function invoke(input: Omit<InvokeAgentCommandInput, 'agentAliasId'> & { agentAliasId?: string }): Promise<Collected> {
  const res = await runtime.send(new InvokeAgentCommand({ agentAliasId: 'TSTALIASID', ...input }));
  const out: Collected = { text: '', traces: [], citations: [], sessionId: res.sessionId };
  for await (const e of res.completion!) {
    if (e.chunk) {
      out.text += new TextDecoder().decode(e.chunk.bytes);
      out.citations.push(...(e.chunk.attribution?.citations ?? []));
    } else if (e.trace) out.traces.push(e.trace as Record<string, unknown>);
    else if (e.returnControl) out.returnControl = e.returnControl;
  }
  return out;
}

const orchestrationOf = (c: Collected, member: string) =>
  c.traces.map((t) => (t.trace as { orchestrationTrace?: Record<string, unknown> }).orchestrationTrace).filter((o): o is Record<string, unknown> => !!o && member in o);

before(async () => {
  writeFileSync(
    ordersModule,
    `export const handler = async (event) => ({ response: { actionGroup: event.actionGroup, function: event.function, functionResponse: { responseBody: { TEXT: { body: JSON.stringify({ id: event.parameters[0].value, status: 'shipped' }) } } } } });`,
  );
  server = await startTestServer(`  - id: playbook\n    type: playbook\nagents:\n  functions:\n    orders: { module: ${JSON.stringify(ordersModule)}, timeoutMs: 5000 }\n`, {
    extraProviderTypes: { scripted: createScriptedProvider, playbook: pb.factory() },
    policies: policySource,
  });
  const credentials = { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY };
  runtime = new BedrockAgentRuntimeClient({ region: 'us-east-1', endpoint: server.url, credentials });
  control = new BedrockAgentClient({ region: 'us-east-1', endpoint: server.url, credentials });
});

after(async () => {
  runtime?.destroy();
  control?.destroy();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('InvokeAgent through @aws-sdk/client-bedrock-agent-runtime', () => {
  test('a registered module action runs, the answer arrives as a chunk and every step as a trace', T, async () => {
    const agentId = await createAgent('orders-agent', [
      {
        actionGroupName: 'orders',
        actionGroupExecutor: { lambda: 'arn:aws:lambda:us-east-1:000000000000:function:orders' },
        functionSchema: { functions: [{ name: 'status', description: 'Order status', parameters: { orderId: { type: 'string', required: true } } }] },
      },
    ]);
    pb.push({ text: 'Let me check.', toolCalls: [{ name: 'orders__status', input: { orderId: 'A-17' } }] }, (req) => ({ text: `Your order: ${[...toolResults(req).values()][0]!.text}` }));
    const r = await invoke({ agentId, sessionId: 'session-1', inputText: 'where is A-17?', enableTrace: true });
    assert.equal(r.sessionId, 'session-1');
    assert.equal(r.text, 'Your order: {"id":"A-17","status":"shipped"}');
    assert.equal((orchestrationOf(r, 'rationale')[0]!.rationale as { text: string }).text, 'Let me check.');
    const input = orchestrationOf(r, 'invocationInput')[0]!.invocationInput as { invocationType: string; actionGroupInvocationInput: { actionGroupName: string; function: string; parameters: unknown[] } };
    assert.equal(input.invocationType, 'ACTION_GROUP');
    assert.equal(input.actionGroupInvocationInput.function, 'status');
    assert.deepEqual(input.actionGroupInvocationInput.parameters, [{ name: 'orderId', type: 'string', value: 'A-17' }]);
    const observations = orchestrationOf(r, 'observation').map((o) => o.observation as { type: string; finalResponse?: { text: string } });
    assert.deepEqual(
      observations.map((o) => o.type),
      ['ACTION_GROUP', 'FINISH'],
    );
    assert.equal(observations[1]!.finalResponse!.text, r.text);
    const modelOut = orchestrationOf(r, 'modelInvocationOutput')[0]!.modelInvocationOutput as { metadata: { usage: { inputTokens: number } } };
    assert.equal(modelOut.metadata.usage.inputTokens, 10);
    const t0 = r.traces[0]!;
    assert.equal(t0.agentId, agentId);
    assert.equal(t0.agentVersion, 'DRAFT');
    assert.ok(t0.eventTime instanceof Date);
    assert.deepEqual(t0.callerChain, [{ agentAliasArn: `arn:aws:bedrock:us-east-1:000000000000:agent-alias/${agentId}/TSTALIASID` }]);
    // Released as version 1 behind an alias; without enableTrace, only the answer.
    const alias = (await control.send(new CreateAgentAliasCommand({ agentId, agentAliasName: 'live' }))).agentAlias!;
    pb.push((req) => {
      assert.equal(req.messages.length, 1, 'another alias, another session');
      return { text: 'Hello again.' };
    });
    const quiet = await invoke({ agentId, agentAliasId: alias.agentAliasId!, sessionId: 'session-1', inputText: 'hi' });
    assert.equal(quiet.text, 'Hello again.');
    assert.equal(quiet.traces.length, 0);
  });

  test('return of control: the caller runs the action and sends the result back', T, async () => {
    const agentId = await createAgent('refunds-agent', [
      {
        actionGroupName: 'payments',
        actionGroupExecutor: { customControl: 'RETURN_CONTROL' },
        functionSchema: { functions: [{ name: 'refund', parameters: { amount: { type: 'number', required: true } } }] },
      },
    ]);
    pb.push({ toolCalls: [{ name: 'payments__refund', input: { amount: 12.5 } }] }, (req) => ({ text: `Refund: ${[...toolResults(req).values()][0]!.text}` }));
    const first = await invoke({ agentId, sessionId: 'rc-1', inputText: 'refund me 12.50', enableTrace: true });
    assert.equal(first.text, '');
    const rc = first.returnControl!;
    assert.ok(rc.invocationId);
    assert.deepEqual(rc.invocationInputs, [
      { functionInvocationInput: { actionGroup: 'payments', function: 'refund', parameters: [{ name: 'amount', type: 'number', value: '12.5' }], actionInvocationType: 'RESULT', agentId } },
    ]);
    await assert.rejects(
      invoke({ agentId, sessionId: 'rc-1', sessionState: { invocationId: 'wrong-id', returnControlInvocationResults: [{ functionResult: { actionGroup: 'payments', function: 'refund', responseBody: { TEXT: { body: 'x' } } } }] } }),
      (e: Error) => e.name === 'ValidationException' && /does not match/.test(e.message),
    );
    const second = await invoke({
      agentId,
      sessionId: 'rc-1',
      sessionState: { invocationId: rc.invocationId, returnControlInvocationResults: [{ functionResult: { actionGroup: 'payments', function: 'refund', responseBody: { TEXT: { body: 'refund R-9 issued' } } } }] },
    });
    assert.equal(second.text, 'Refund: refund R-9 issued');
  });

  test('a knowledge base ingested through the control plane is searched, with citations in the chunk', T, async () => {
    const kb = await control.send(
      new CreateKnowledgeBaseCommand({
        name: 'policies',
        roleArn: 'arn:aws:iam::000000000000:role/unused',
        knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: 'arn:aws:bedrock:us-east-1::foundation-model/scripted.embed-v1:0' } },
      }),
    );
    const kbId = kb.knowledgeBase!.knowledgeBaseId!;
    const ds = await control.send(new CreateDataSourceCommand({ knowledgeBaseId: kbId, name: 'direct', dataSourceConfiguration: { type: 'CUSTOM' } }));
    await control.send(
      new IngestKnowledgeBaseDocumentsCommand({
        knowledgeBaseId: kbId,
        dataSourceId: ds.dataSource!.dataSourceId!,
        documents: [
          {
            content: {
              dataSourceType: 'CUSTOM',
              custom: { customDocumentIdentifier: { id: 'returns' }, sourceType: 'IN_LINE', inlineContent: { type: 'TEXT', textContent: { data: 'Returns are accepted within 30 days of delivery.' } } },
            },
          },
        ],
      }),
    );
    const agentId = await createAgent('kb-agent', [], [{ knowledgeBaseId: kbId, description: 'Store policies.' }]);
    pb.push({ toolCalls: [{ name: `knowledge_base_${kbId}`, input: { searchQuery: 'returns within days' } }] }, (req) => {
      assert.match([...toolResults(req).values()][0]!.text, /30 days of delivery/);
      return { text: 'You can return it within 30 days [1].' };
    });
    const r = await invoke({ agentId, sessionId: 'kb-1', inputText: 'can I return it?', enableTrace: true, sessionState: { knowledgeBaseConfigurations: [{ knowledgeBaseId: kbId, retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 3, overrideSearchType: 'HYBRID' } } }] } });
    assert.equal(r.text, 'You can return it within 30 days.');
    const c = r.citations[0] as { generatedResponsePart: { textResponsePart: { text: string; span: { start: number; end: number } } }; retrievedReferences: { content: { text: string }; location: { customDocumentLocation: { id: string } } }[] };
    assert.equal(c.generatedResponsePart.textResponsePart.text, 'You can return it within 30 days.');
    assert.deepEqual(c.generatedResponsePart.textResponsePart.span, { start: 0, end: 32 });
    assert.match(c.retrievedReferences[0]!.content.text, /30 days of delivery/);
    assert.equal(c.retrievedReferences[0]!.location.customDocumentLocation.id, 'returns');
    const lookup = orchestrationOf(r, 'observation').find((o) => (o.observation as { type: string }).type === 'KNOWLEDGE_BASE')!;
    assert.match(JSON.stringify(lookup), /30 days of delivery/);
  });

  test('errors: an unknown alias and a bad request are HTTP errors, a model failure mid-way is an in-stream exception', T, async () => {
    await assert.rejects(invoke({ agentId: 'NOSUCHAGNT', sessionId: 's-1', inputText: 'hi' }), (e: Error) => e.name === 'ResourceNotFoundException');
    const agentId = await createAgent('err-agent');
    await assert.rejects(invoke({ agentId, sessionId: 's-1' }), (e: Error) => e.name === 'ValidationException' && /inputText is required/.test(e.message));
    await assert.rejects(invoke({ agentId, sessionId: 'x', inputText: 'hi' }), (e: Error) => e.name === 'ValidationException');
    pb.push({ error: 'ThrottlingException' });
    await assert.rejects(invoke({ agentId, sessionId: 's-2', inputText: 'hi', enableTrace: true }), (e: Error) => e.name === 'ThrottlingException');
  });

  test('authorization: InvokeAgent on the alias, and the model calls of the agent as the InvokeModel of the caller', T, async () => {
    const agentId = await createAgent('auth-agent');
    const ALIAS = `arn:aws:bedrock:us-east-1:000000000000:agent-alias/${agentId}/TSTALIASID`;
    const MODEL = 'arn:aws:bedrock:us-east-1::foundation-model/playbook.agent-v1:0';
    policies.set('agent-only', [policy([{ Effect: 'Allow', Action: 'bedrock:InvokeAgent', Resource: ALIAS }])]);
    policies.set('agent-and-model', [policy([{ Effect: 'Allow', Action: 'bedrock:InvokeAgent', Resource: ALIAS }, { Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: MODEL }])]);
    const keys: Record<string, string> = {};
    for (const name of ['nobody', 'agent-only', 'agent-and-model']) keys[name] = (await server.keys.addBearerKey(await server.keys.createPrincipal(name, false))).apiKey;
    const post = (who: string) =>
      globalThis.fetch(`${server.url}/agents/${agentId}/agentAliases/TSTALIASID/sessions/auth-${who}/text`, {
        method: 'POST',
        headers: { authorization: `Bearer ${keys[who]}`, 'content-type': 'application/json' },
        body: JSON.stringify({ inputText: 'hi' }),
      });
    const nobody = await post('nobody');
    assert.equal(nobody.status, 403);
    assert.ok((await nobody.text()).includes(`bedrock:InvokeAgent on resource: ${ALIAS}`));
    const noModel = await post('agent-only');
    assert.equal(noModel.status, 403);
    assert.match(await noModel.text(), /bedrock:InvokeModel/);
    pb.push({ text: 'allowed' });
    const ok = await post('agent-and-model');
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('content-type'), 'application/vnd.amazon.eventstream');
    assert.match(Buffer.from(await ok.arrayBuffer()).toString('latin1'), /"bytes":"YWxsb3dlZA=="/);
  });
});
