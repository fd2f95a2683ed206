import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AssociateAgentCollaboratorCommand,
  AssociateAgentKnowledgeBaseCommand,
  BedrockAgentClient,
  CreateAgentActionGroupCommand,
  CreateAgentAliasCommand,
  CreateAgentCommand,
  CreateKnowledgeBaseCommand,
  DeleteAgentActionGroupCommand,
  DeleteAgentAliasCommand,
  DeleteAgentCommand,
  DeleteAgentVersionCommand,
  DisassociateAgentKnowledgeBaseCommand,
  GetAgentActionGroupCommand,
  GetAgentAliasCommand,
  GetAgentCommand,
  GetAgentKnowledgeBaseCommand,
  GetAgentVersionCommand,
  ListAgentActionGroupsCommand,
  ListAgentAliasesCommand,
  ListAgentCollaboratorsCommand,
  ListAgentKnowledgeBasesCommand,
  ListAgentsCommand,
  ListAgentVersionsCommand,
  PrepareAgentCommand,
  UpdateAgentActionGroupCommand,
  UpdateAgentAliasCommand,
  UpdateAgentCommand,
  UpdateAgentKnowledgeBaseCommand,
} from '@aws-sdk/client-bedrock-agent';
import { TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, type TestServer, startTestServer } from '../support/start-test-server.js';

/**
 * The agent resources end to end through the official `@aws-sdk/client-bedrock-agent` over a real socket: an agent
 * built from a draft (action groups of every kind, a knowledge base), prepared, released as numbered versions through
 * aliases, changed and released again, with the old version still reading back exactly as released.
 */
const INSTRUCTION = 'You are an order assistant. Look orders up and book hotels for customers when they ask.';
const ORDERS_API = `
openapi: 3.0.0
info: { title: Orders, version: '1' }
paths:
  /orders/{orderId}:
    get:
      operationId: getOrder
      description: Look an order up by id.
      parameters:
        - { name: orderId, in: path, required: true, schema: { type: string } }
      responses:
        '200': { description: the order }
  /orders:
    post:
      operationId: createOrder
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/NewOrder' }
      responses:
        '201': { description: created }
components:
  schemas:
    NewOrder:
      type: object
      required: [item]
      properties:
        item: { type: string }
        quantity: { type: integer }
`;

let server: TestServer;
let client: BedrockAgentClient;

before(async () => {
  server = await startTestServer(`agents:
  functions:
    orders-api: { url: "http://127.0.0.1:9/orders" }
    book-hotel: { module: ./functions/book-hotel.js, timeoutMs: 5000 }
`);
  client = new BedrockAgentClient({ region: 'us-east-1', endpoint: server.url, credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY } });
});

after(async () => {
  client?.destroy();
  await server?.stop();
});

describe('an agent from draft to released versions', () => {
  let agentId: string;
  let returnControlGroup: string;
  let kbId: string;

  test('CreateAgent, GetAgent, ListAgents and UpdateAgent in Bedrock shapes', async () => {
    const created = await client.send(
      new CreateAgentCommand({
        agentName: 'orders-agent',
        instruction: INSTRUCTION,
        foundationModel: 'scripted.echo-v1:0',
        description: 'Orders',
        idleSessionTTLInSeconds: 900,
        agentResourceRoleArn: 'arn:aws:iam::000000000000:role/AmazonBedrockExecutionRoleForAgents_x',
        memoryConfiguration: { enabledMemoryTypes: ['SESSION_SUMMARY'] },
      }),
    );
    const agent = created.agent!;
    agentId = agent.agentId!;
    assert.match(agentId, /^[0-9A-Z]{10}$/);
    assert.equal(agent.agentArn, `arn:aws:bedrock:us-east-1:000000000000:agent/${agentId}`);
    assert.equal(agent.agentStatus, 'NOT_PREPARED');
    assert.equal(agent.agentVersion, 'DRAFT');
    assert.equal(agent.idleSessionTTLInSeconds, 900);
    assert.equal(agent.agentCollaboration, 'DISABLED');
    assert.equal(agent.orchestrationType, 'DEFAULT');
    assert.deepEqual(agent.memoryConfiguration, { enabledMemoryTypes: ['SESSION_SUMMARY'], storageDays: 30 });
    assert.ok(agent.createdAt instanceof Date);

    const got = (await client.send(new GetAgentCommand({ agentId }))).agent!;
    assert.equal(got.instruction, INSTRUCTION);
    assert.equal(got.agentResourceRoleArn, 'arn:aws:iam::000000000000:role/AmazonBedrockExecutionRoleForAgents_x');

    const listed = await client.send(new ListAgentsCommand({}));
    const summary = listed.agentSummaries!.find((a) => a.agentId === agentId)!;
    assert.equal(summary.agentName, 'orders-agent');
    assert.equal(summary.latestAgentVersion, 'DRAFT');

    const updated = await client.send(
      new UpdateAgentCommand({ agentId, agentName: 'orders-agent', instruction: INSTRUCTION, foundationModel: 'scripted.echo-v1:0', agentResourceRoleArn: 'arn:aws:iam::000000000000:role/r', description: 'Orders v2' }),
    );
    assert.equal(updated.agent!.description, 'Orders v2');
    // UpdateAgent replaces the settings, as on Bedrock: the memory configuration left out is gone.
    assert.equal(updated.agent!.memoryConfiguration, undefined);
  });

  test('action groups: functionSchema with return of control, OpenAPI with a registered endpoint, ask-the-user', async () => {
    const rc = await client.send(
      new CreateAgentActionGroupCommand({
        agentId,
        agentVersion: 'DRAFT',
        actionGroupName: 'hotels',
        description: 'Hotel bookings',
        actionGroupExecutor: { customControl: 'RETURN_CONTROL' },
        functionSchema: {
          functions: [
            {
              name: 'book_hotel',
              description: 'Books a room',
              parameters: { city: { type: 'string', required: true, description: 'where' }, nights: { type: 'integer', required: false } },
              requireConfirmation: 'ENABLED',
            },
          ],
        },
      }),
    );
    returnControlGroup = rc.agentActionGroup!.actionGroupId!;
    assert.match(returnControlGroup, /^[0-9A-Z]{10}$/);
    assert.equal(rc.agentActionGroup!.actionGroupState, 'ENABLED');
    assert.deepEqual(rc.agentActionGroup!.actionGroupExecutor, { customControl: 'RETURN_CONTROL' });

    const api = await client.send(
      new CreateAgentActionGroupCommand({
        agentId,
        agentVersion: 'DRAFT',
        actionGroupName: 'orders',
        actionGroupExecutor: { lambda: 'arn:aws:lambda:us-east-1:000000000000:function:orders-api' },
        apiSchema: { payload: ORDERS_API },
      }),
    );
    assert.equal((api.agentActionGroup!.apiSchema as { payload?: string }).payload, ORDERS_API);

    const ask = await client.send(new CreateAgentActionGroupCommand({ agentId, agentVersion: 'DRAFT', actionGroupName: 'UserInputAction', parentActionGroupSignature: 'AMAZON.UserInput' }));
    const got = await client.send(new GetAgentActionGroupCommand({ agentId, agentVersion: 'DRAFT', actionGroupId: ask.agentActionGroup!.actionGroupId! }));
    assert.equal(got.agentActionGroup!.parentActionSignature, 'AMAZON.UserInput');

    const list = await client.send(new ListAgentActionGroupsCommand({ agentId, agentVersion: 'DRAFT' }));
    assert.deepEqual(list.actionGroupSummaries!.map((g) => g.actionGroupName).sort(), ['UserInputAction', 'hotels', 'orders']);
  });

  test('a knowledge base of the same account is associated, read, updated', async () => {
    const kb = await client.send(
      new CreateKnowledgeBaseCommand({
        name: 'orders-faq',
        roleArn: 'arn:aws:iam::000000000000:role/kb',
        knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: 'scripted.embed-v1:0' } },
      }),
    );
    kbId = kb.knowledgeBase!.knowledgeBaseId!;
    const assoc = await client.send(new AssociateAgentKnowledgeBaseCommand({ agentId, agentVersion: 'DRAFT', knowledgeBaseId: kbId, description: 'Answers questions about returns' }));
    assert.equal(assoc.agentKnowledgeBase!.knowledgeBaseState, 'ENABLED');
    const upd = await client.send(new UpdateAgentKnowledgeBaseCommand({ agentId, agentVersion: 'DRAFT', knowledgeBaseId: kbId, description: 'Returns and refunds' }));
    assert.equal(upd.agentKnowledgeBase!.description, 'Returns and refunds');
    const got = await client.send(new GetAgentKnowledgeBaseCommand({ agentId, agentVersion: 'DRAFT', knowledgeBaseId: kbId }));
    assert.equal(got.agentKnowledgeBase!.description, 'Returns and refunds');
    const list = await client.send(new ListAgentKnowledgeBasesCommand({ agentId, agentVersion: 'DRAFT' }));
    assert.deepEqual(
      list.agentKnowledgeBaseSummaries!.map((k) => k.knowledgeBaseId),
      [kbId],
    );
  });

  test('PrepareAgent, then an alias without routing releases version 1', async () => {
    const prepared = await client.send(new PrepareAgentCommand({ agentId }));
    assert.equal(prepared.agentStatus, 'PREPARED');
    assert.equal(prepared.agentVersion, 'DRAFT');
    assert.ok(prepared.preparedAt instanceof Date);
    assert.equal((await client.send(new GetAgentCommand({ agentId }))).agent!.agentStatus, 'PREPARED');

    const alias = (await client.send(new CreateAgentAliasCommand({ agentId, agentAliasName: 'prod' }))).agentAlias!;
    assert.match(alias.agentAliasId!, /^[0-9A-Z]{10}$/);
    assert.equal(alias.agentAliasArn, `arn:aws:bedrock:us-east-1:000000000000:agent-alias/${agentId}/${alias.agentAliasId}`);
    assert.deepEqual(alias.routingConfiguration, [{ agentVersion: '1' }]);
    assert.equal(alias.agentAliasStatus, 'PREPARED');

    const versions = await client.send(new ListAgentVersionsCommand({ agentId }));
    assert.deepEqual(
      versions.agentVersionSummaries!.map((v) => v.agentVersion),
      ['DRAFT', '1'],
    );
    const v1 = (await client.send(new GetAgentVersionCommand({ agentId, agentVersion: '1' }))).agentVersion!;
    assert.equal(v1.version, '1');
    assert.equal(v1.agentStatus, 'PREPARED');
    assert.equal(v1.description, 'Orders v2');
    const v1Groups = await client.send(new ListAgentActionGroupsCommand({ agentId, agentVersion: '1' }));
    assert.equal(v1Groups.actionGroupSummaries!.length, 3);
    assert.equal((await client.send(new ListAgentsCommand({}))).agentSummaries!.find((a) => a.agentId === agentId)!.latestAgentVersion, '1');
  });

  test('a change to the draft needs preparing again; version 1 stays as released; re-pointing the alias releases version 2', async () => {
    await client.send(
      new UpdateAgentActionGroupCommand({
        agentId,
        agentVersion: 'DRAFT',
        actionGroupId: returnControlGroup,
        actionGroupName: 'hotels',
        description: 'Hotel bookings, now through the registered module',
        actionGroupExecutor: { lambda: 'book-hotel' },
        functionSchema: { functions: [{ name: 'book_hotel', parameters: { city: { type: 'string', required: true } } }] },
      }),
    );
    assert.equal((await client.send(new GetAgentCommand({ agentId }))).agent!.agentStatus, 'NOT_PREPARED');
    const old = await client.send(new GetAgentActionGroupCommand({ agentId, agentVersion: '1', actionGroupId: returnControlGroup }));
    assert.deepEqual(old.agentActionGroup!.actionGroupExecutor, { customControl: 'RETURN_CONTROL' });
    assert.equal(old.agentActionGroup!.agentVersion, '1');

    // Without preparing, no new version can be cut.
    await assert.rejects(client.send(new CreateAgentAliasCommand({ agentId, agentAliasName: 'too-early' })), { name: 'ConflictException', message: /prepare it/ });

    await client.send(new PrepareAgentCommand({ agentId }));
    const staging = (await client.send(new CreateAgentAliasCommand({ agentId, agentAliasName: 'staging', description: 'next' }))).agentAlias!;
    assert.deepEqual(staging.routingConfiguration, [{ agentVersion: '2' }]);

    const aliases = await client.send(new ListAgentAliasesCommand({ agentId }));
    const prod = aliases.agentAliasSummaries!.find((a) => a.agentAliasName === 'prod')!;
    assert.ok(aliases.agentAliasSummaries!.some((a) => a.agentAliasId === 'TSTALIASID' && a.routingConfiguration?.[0]?.agentVersion === 'DRAFT'));

    const released = (await client.send(new UpdateAgentAliasCommand({ agentId, agentAliasId: prod.agentAliasId!, agentAliasName: 'prod', routingConfiguration: [{ agentVersion: '2' }] }))).agentAlias!;
    assert.deepEqual(released.routingConfiguration, [{ agentVersion: '2' }]);
    const history = released.agentAliasHistoryEvents!;
    assert.equal(history.length, 2);
    assert.deepEqual(history[0]!.routingConfiguration, [{ agentVersion: '2' }]);
    assert.deepEqual(history[1]!.routingConfiguration, [{ agentVersion: '1' }]);
    assert.ok(history[1]!.endDate instanceof Date);

    // Version 2 is used by both aliases: refused. Version 1 is no longer routed to: deleted.
    await assert.rejects(client.send(new DeleteAgentVersionCommand({ agentId, agentVersion: '2' })), { name: 'ConflictException', message: /in use by alias/ });
    const deleted = await client.send(new DeleteAgentVersionCommand({ agentId, agentVersion: '1' }));
    assert.equal(deleted.agentStatus, 'DELETING');
    await assert.rejects(client.send(new GetAgentVersionCommand({ agentId, agentVersion: '1' })), { name: 'ResourceNotFoundException' });

    const test = (await client.send(new GetAgentAliasCommand({ agentId, agentAliasId: 'TSTALIASID' }))).agentAlias!;
    assert.deepEqual(test.routingConfiguration, [{ agentVersion: 'DRAFT' }]);
    await assert.rejects(client.send(new DeleteAgentAliasCommand({ agentId, agentAliasId: 'TSTALIASID' })), { name: 'ValidationException' });

    const stop = await client.send(new UpdateAgentAliasCommand({ agentId, agentAliasId: staging.agentAliasId!, agentAliasName: 'staging', aliasInvocationState: 'REJECT_INVOCATIONS' }));
    assert.equal(stop.agentAlias!.aliasInvocationState, 'REJECT_INVOCATIONS');
    assert.deepEqual(stop.agentAlias!.routingConfiguration, [{ agentVersion: '2' }]);
  });

  test('deleting parts of the draft: an enabled action group only with skipResourceInUseCheck; a knowledge base is disassociated', async () => {
    await assert.rejects(client.send(new DeleteAgentActionGroupCommand({ agentId, agentVersion: 'DRAFT', actionGroupId: returnControlGroup })), {
      name: 'ConflictException',
      message: /disable it first/,
    });
    await client.send(new DeleteAgentActionGroupCommand({ agentId, agentVersion: 'DRAFT', actionGroupId: returnControlGroup, skipResourceInUseCheck: true }));
    await client.send(new DisassociateAgentKnowledgeBaseCommand({ agentId, agentVersion: 'DRAFT', knowledgeBaseId: kbId }));
    assert.equal((await client.send(new ListAgentKnowledgeBasesCommand({ agentId, agentVersion: 'DRAFT' }))).agentKnowledgeBaseSummaries!.length, 0);
    // The released version keeps them.
    assert.equal((await client.send(new ListAgentKnowledgeBasesCommand({ agentId, agentVersion: '2' }))).agentKnowledgeBaseSummaries!.length, 1);
  });

  test('a supervisor delegates to another agent through its alias; the collaborator cannot be deleted from under it', async () => {
    const sup = (
      await client.send(new CreateAgentCommand({ agentName: 'supervisor', instruction: INSTRUCTION, foundationModel: 'scripted.echo-v1:0', agentCollaboration: 'SUPERVISOR' }))
    ).agent!;
    const aliases = await client.send(new ListAgentAliasesCommand({ agentId }));
    const prod = aliases.agentAliasSummaries!.find((a) => a.agentAliasName === 'prod')!;
    const arn = `arn:aws:bedrock:us-east-1:000000000000:agent-alias/${agentId}/${prod.agentAliasId}`;
    const c = await client.send(
      new AssociateAgentCollaboratorCommand({
        agentId: sup.agentId,
        agentVersion: 'DRAFT',
        agentDescriptor: { aliasArn: arn },
        collaboratorName: 'orders',
        collaborationInstruction: 'Send anything about orders here.',
        relayConversationHistory: 'TO_COLLABORATOR',
      }),
    );
    assert.match(c.agentCollaborator!.collaboratorId!, /^[0-9A-Z]{10}$/);
    const list = await client.send(new ListAgentCollaboratorsCommand({ agentId: sup.agentId, agentVersion: 'DRAFT' }));
    assert.equal(list.agentCollaboratorSummaries![0]!.agentDescriptor!.aliasArn, arn);
    assert.equal((await client.send(new PrepareAgentCommand({ agentId: sup.agentId }))).agentStatus, 'PREPARED');

    await assert.rejects(client.send(new DeleteAgentAliasCommand({ agentId, agentAliasId: prod.agentAliasId! })), { name: 'ConflictException', message: /collaborator of agent/ });
    await assert.rejects(client.send(new DeleteAgentCommand({ agentId })), { name: 'ConflictException', message: /collaborator of agent/ });

    const gone = await client.send(new DeleteAgentCommand({ agentId: sup.agentId }));
    assert.equal(gone.agentStatus, 'DELETING');
    await assert.rejects(client.send(new GetAgentCommand({ agentId: sup.agentId! })), { name: 'ResourceNotFoundException' });
    await client.send(new DeleteAgentCommand({ agentId }));
    await assert.rejects(client.send(new ListAgentAliasesCommand({ agentId })), { name: 'ResourceNotFoundException' });
  });
});
