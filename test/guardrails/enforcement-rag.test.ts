import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  BedrockAgentClient,
  CreateDataSourceCommand,
  CreateKnowledgeBaseCommand,
  IngestKnowledgeBaseDocumentsCommand,
} from '@aws-sdk/client-bedrock-agent';
import { BedrockAgentRuntimeClient, RetrieveAndGenerateCommand, RetrieveAndGenerateStreamCommand, RetrieveCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import { BedrockClient, CreateGuardrailCommand } from '@aws-sdk/client-bedrock';
import { TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, type TestServer, startTestServer } from '../support/start-test-server.js';

/**
 * RetrieveAndGenerate with `guardrailConfiguration`, through the official SDKs: the query is checked before anything
 * is retrieved, and the answer (the scripted echo model repeats its prompt, passages included) before it is returned.
 */
const MODEL = 'scripted.echo-v1:0';
const EMBED = 'arn:aws:bedrock:us-east-1::foundation-model/scripted.embed-v1:0';
const MESSAGES = { blockedInputMessaging: 'That question is not allowed.', blockedOutputsMessaging: 'That answer is not allowed.' };
let server: TestServer;
let agentRuntime: BedrockAgentRuntimeClient;
let kbId: string;
let guardrailId: string;

before(async () => {
  server = await startTestServer();
  const credentials = { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY };
  const opts = { region: 'us-east-1', endpoint: server.url, credentials };
  agentRuntime = new BedrockAgentRuntimeClient(opts);
  const agent = new BedrockAgentClient(opts);
  const bedrock = new BedrockClient(opts);
  const kb = await agent.send(
    new CreateKnowledgeBaseCommand({
      name: 'zoo',
      roleArn: 'arn:aws:iam::000000000000:role/unused',
      knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: EMBED } },
    }),
  );
  kbId = kb.knowledgeBase!.knowledgeBaseId!;
  const ds = await agent.send(new CreateDataSourceCommand({ knowledgeBaseId: kbId, name: 'direct', dataSourceConfiguration: { type: 'CUSTOM' } }));
  const doc = (id: string, data: string) => ({
    content: { dataSourceType: 'CUSTOM' as const, custom: { customDocumentIdentifier: { id }, sourceType: 'IN_LINE' as const, inlineContent: { type: 'TEXT' as const, textContent: { data } } } },
  });
  await agent.send(
    new IngestKnowledgeBaseDocumentsCommand({
      knowledgeBaseId: kbId,
      dataSourceId: ds.dataSource!.dataSourceId!,
      documents: [doc('hours', 'The zoo opens at nine and closes at six. Write to visits@zoo.example for groups.'), doc('secret', 'The night keeper feeds the okapi at midnight.')],
    }),
  );
  const g = await bedrock.send(
    new CreateGuardrailCommand({
      name: 'rag',
      ...MESSAGES,
      wordPolicyConfig: { wordsConfig: [{ text: 'zebra' }, { text: 'okapi', inputEnabled: false }] },
      sensitiveInformationPolicyConfig: { piiEntitiesConfig: [{ type: 'EMAIL', action: 'ANONYMIZE' }] },
    }),
  );
  guardrailId = g.guardrailId!;
  agent.destroy();
  bedrock.destroy();
});

after(async () => {
  agentRuntime?.destroy();
  await server?.stop();
});

const rag = (text: string, guarded = true, numberOfResults = 1) =>
  new RetrieveAndGenerateCommand({
    input: { text },
    retrieveAndGenerateConfiguration: {
      type: 'KNOWLEDGE_BASE',
      knowledgeBaseConfiguration: {
        knowledgeBaseId: kbId,
        modelArn: MODEL,
        retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults } },
        ...(guarded ? { generationConfiguration: { guardrailConfiguration: { guardrailId, guardrailVersion: 'DRAFT' } } } : {}),
      },
    },
  });

describe('RetrieveAndGenerate with a guardrail', () => {
  test('a blocked query is answered with the input message: nothing retrieved, no model called', async () => {
    await server.meter.flush();
    const before = (await server.meter.query({})).length;
    const r = await agentRuntime.send(rag('when can I see the zebra?'));
    assert.equal(r.output?.text, MESSAGES.blockedInputMessaging);
    assert.equal(r.guardrailAction, 'INTERVENED');
    assert.deepEqual(r.citations ?? [], []);
    await server.meter.flush();
    assert.equal((await server.meter.query({})).length, before, 'no embedding or model call was metered');
  });

  test('the answer is checked: masked with its citation spans kept exact, or blocked', async () => {
    const unguarded = await agentRuntime.send(rag('when does the zoo open and how do groups write?', false));
    assert.match(unguarded.output!.text!, /visits@zoo\.example/, 'the echo model repeats the passage');
    assert.equal(unguarded.guardrailAction, undefined);

    const masked = await agentRuntime.send(rag('when does the zoo open and how do groups write?'));
    const text = masked.output!.text!;
    assert.doesNotMatch(text, /visits@zoo\.example/);
    assert.match(text, /\{EMAIL\}/);
    assert.equal(masked.guardrailAction, 'INTERVENED');
    for (const c of masked.citations ?? []) {
      const part = c.generatedResponsePart!.textResponsePart!;
      assert.equal(text.slice(part.span!.start!, part.span!.end! + 1), part.text);
    }

    const hits = await agentRuntime.send(new RetrieveCommand({ knowledgeBaseId: kbId, retrievalQuery: { text: 'night keeper midnight feeding' } }));
    assert.ok(hits.retrievalResults!.some((h) => /okapi/.test(h.content!.text!)));
    const blocked = await agentRuntime.send(rag('who feeds animals at night? night keeper midnight feeding', true, 2));
    assert.equal(blocked.output?.text, MESSAGES.blockedOutputsMessaging);
    assert.equal(blocked.guardrailAction, 'INTERVENED');
    assert.deepEqual(blocked.citations ?? [], []);
  });

  test('the stream holds the answer back and sends a guardrail event', async () => {
    const r = await agentRuntime.send(
      new RetrieveAndGenerateStreamCommand({
        input: { text: 'who feeds animals at night? night keeper midnight feeding' },
        retrieveAndGenerateConfiguration: {
          type: 'KNOWLEDGE_BASE',
          knowledgeBaseConfiguration: {
            knowledgeBaseId: kbId,
            modelArn: MODEL,
            retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 2 } },
            generationConfiguration: { guardrailConfiguration: { guardrailId, guardrailVersion: 'DRAFT' } },
          },
        },
      }),
    );
    let text = '';
    let action: string | undefined;
    for await (const e of r.stream!) {
      if (e.output?.text) text += e.output.text;
      if (e.guardrail) action = e.guardrail.action;
    }
    assert.equal(text, MESSAGES.blockedOutputsMessaging);
    assert.equal(action, 'INTERVENED');
  });

  test('an unknown guardrail is not found', async () => {
    await assert.rejects(
      agentRuntime.send(
        new RetrieveAndGenerateCommand({
          input: { text: 'hello' },
          retrieveAndGenerateConfiguration: {
            type: 'KNOWLEDGE_BASE',
            knowledgeBaseConfiguration: { knowledgeBaseId: kbId, modelArn: MODEL, generationConfiguration: { guardrailConfiguration: { guardrailId: 'nosuchguard1', guardrailVersion: 'DRAFT' } } },
          },
        }),
      ),
      (e: Error) => e.name === 'ResourceNotFoundException',
    );
  });
});
