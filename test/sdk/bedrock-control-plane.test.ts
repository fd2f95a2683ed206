import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BedrockClient, GetFoundationModelCommand, ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';
import { type TestServer, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, startTestServer } from '../support/start-test-server.js';

const YAML = `models:
  - id: scripted.echo-v1:0
    provider: scripted
    upstreamModel: echo
  - id: scripted.embed-v1:0
    provider: scripted
    upstreamModel: embed
    embeddingDimensions: 8
  - id: anthropic.claude-test-v1:0
    provider: scripted
    upstreamModel: echo
`;

let server: TestServer;
let client: BedrockClient;
before(async () => {
  server = await startTestServer(YAML);
  client = new BedrockClient({
    region: 'us-east-1',
    endpoint: server.url,
    credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY },
  });
});
after(async () => {
  client.destroy();
  await server.stop();
});

describe('@aws-sdk/client-bedrock control plane', () => {
  test('ListFoundationModels, all and by output modality', async () => {
    const all = await client.send(new ListFoundationModelsCommand({}));
    const ids = (all.modelSummaries ?? []).map((m) => m.modelId).sort();
    assert.deepEqual(ids, ['anthropic.claude-test-v1:0', 'scripted.echo-v1:0', 'scripted.embed-v1:0']);
    const claude = all.modelSummaries!.find((m) => m.modelId === 'anthropic.claude-test-v1:0')!;
    assert.equal(claude.modelArn, 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-test-v1:0');
    assert.equal(claude.providerName, 'Anthropic');
    assert.deepEqual(claude.outputModalities, ['TEXT']);
    assert.equal(claude.responseStreamingSupported, true);
    assert.deepEqual(claude.inferenceTypesSupported, ['ON_DEMAND']);
    assert.equal(claude.modelLifecycle?.status, 'ACTIVE');

    const embeddings = await client.send(new ListFoundationModelsCommand({ byOutputModality: 'EMBEDDING' }));
    assert.deepEqual(
      embeddings.modelSummaries?.map((m) => m.modelId),
      ['scripted.embed-v1:0'],
    );
    const text = await client.send(new ListFoundationModelsCommand({ byOutputModality: 'TEXT' }));
    assert.deepEqual(text.modelSummaries?.map((m) => m.modelId).sort(), ['anthropic.claude-test-v1:0', 'scripted.echo-v1:0']);
    const anthropic = await client.send(new ListFoundationModelsCommand({ byProvider: 'Anthropic' }));
    assert.deepEqual(anthropic.modelSummaries?.map((m) => m.modelId), ['anthropic.claude-test-v1:0']);
    const provisioned = await client.send(new ListFoundationModelsCommand({ byInferenceType: 'PROVISIONED' }));
    assert.deepEqual(provisioned.modelSummaries, []);
  });

  test('GetFoundationModel by id and by ARN', async () => {
    const byId = await client.send(new GetFoundationModelCommand({ modelIdentifier: 'scripted.embed-v1:0' }));
    assert.equal(byId.modelDetails?.modelId, 'scripted.embed-v1:0');
    assert.deepEqual(byId.modelDetails?.outputModalities, ['EMBEDDING']);
    assert.equal(byId.modelDetails?.responseStreamingSupported, false);

    const arn = 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-test-v1:0';
    const byArn = await client.send(new GetFoundationModelCommand({ modelIdentifier: arn }));
    assert.equal(byArn.modelDetails?.modelId, 'anthropic.claude-test-v1:0');
    assert.equal(byArn.modelDetails?.modelArn, arn);
  });

  test('a missing model is ResourceNotFoundException', async () => {
    await assert.rejects(client.send(new GetFoundationModelCommand({ modelIdentifier: 'nope.missing-v1:0' })), (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(e.name, 'ResourceNotFoundException');
      assert.equal(e.$metadata?.httpStatusCode, 404);
      assert.match(e.message, /nope\.missing-v1:0/);
      return true;
    });
  });
});
