import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  BedrockClient,
  ConflictException,
  CreateProvisionedModelThroughputCommand,
  DeleteProvisionedModelThroughputCommand,
  GetProvisionedModelThroughputCommand,
  ListProvisionedModelThroughputsCommand,
  ResourceNotFoundException,
  UpdateProvisionedModelThroughputCommand,
  ValidationException,
} from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient, ConverseCommand, ThrottlingException } from '@aws-sdk/client-bedrock-runtime';
import { TEST_ACCESS_KEY_ID, TEST_API_KEY, TEST_SECRET_ACCESS_KEY, type TestServer, startTestServer } from '../support/start-test-server.js';

/**
 * Provisioned throughput end to end through the official SDKs: buying units (the control plane's shapes checked by
 * `@aws-sdk/client-bedrock`'s deserialisers), invoking the provisioned model by ARN with Converse, its capacity
 * throttling, on-demand traffic losing the reserved share, unit-hour billing whether used or not, and utilisation.
 */
const MODEL = 'scripted.echo-v1:0';
let server: TestServer;
let bedrock: BedrockClient;
let runtime: BedrockRuntimeClient;

async function admin(path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

before(async () => {
  // Deployments with a declared capacity make the model's total known: 6 requests at once across two deployments.
  server = await startTestServer(
    [
      'models:',
      `  - { id: ${MODEL}, provider: scripted, upstreamModel: echo }`,
      'deployments:',
      `  - { id: echo-a, model: ${MODEL}, provider: scripted, capacity: 3 }`,
      `  - { id: echo-b, model: ${MODEL}, provider: scripted, capacity: 3 }`,
      'provisionedThroughput: { unitConcurrency: 2 }',
      '',
    ].join('\n'),
  );
  const credentials = { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY };
  bedrock = new BedrockClient({ region: 'us-east-1', endpoint: server.url, credentials });
  // No SDK retries: the test must see each throttle (the SDK would wait out Retry-After and succeed).
  runtime = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: server.url, credentials, maxAttempts: 1 });
});

after(async () => {
  bedrock?.destroy();
  runtime?.destroy();
  await server?.stop();
});

const converse = (modelId: string, text: string) => runtime.send(new ConverseCommand({ modelId, messages: [{ role: 'user', content: [{ text }] }] }));

describe('provisioned throughput', () => {
  test('without a provisioned price in the catalog, buying units is refused with how to set one', async () => {
    await assert.rejects(
      bedrock.send(new CreateProvisionedModelThroughputCommand({ modelUnits: 1, provisionedModelName: 'no-price', modelId: MODEL })),
      (e: unknown) => e instanceof ValidationException && /no no-commitment provisioned-throughput price/.test(e.message) && /quarry pricing set/.test(e.message),
    );
  });

  test('buy, invoke by ARN, throttle at capacity, bill by the hour, report utilisation, release', async () => {
    const priced = await admin(`/quarry/pricing/models/${encodeURIComponent(MODEL)}`, {
      method: 'PUT',
      body: { inputPer1k: 0.001, outputPer1k: 0.002, provisioned: { noCommitmentPerHour: 20, oneMonthPerHour: 15, unitInputTokensPerMinute: 100_000 } },
    });
    assert.equal(priced.status, 200, JSON.stringify(priced.body));

    const { provisionedModelArn } = await bedrock.send(
      new CreateProvisionedModelThroughputCommand({ modelUnits: 2, provisionedModelName: 'support-bot', modelId: MODEL, clientRequestToken: 'buy-1', tags: [{ key: 'team', value: 'support' }] }),
    );
    assert.match(provisionedModelArn!, /^arn:aws:bedrock:us-east-1:000000000000:provisioned-model\/[a-z0-9]{12}$/);
    // A retried create (same token) buys nothing more.
    const again = await bedrock.send(new CreateProvisionedModelThroughputCommand({ modelUnits: 2, provisionedModelName: 'support-bot', modelId: MODEL, clientRequestToken: 'buy-1' }));
    assert.equal(again.provisionedModelArn, provisionedModelArn);
    await assert.rejects(bedrock.send(new CreateProvisionedModelThroughputCommand({ modelUnits: 1, provisionedModelName: 'support-bot', modelId: MODEL })), ConflictException);

    const got = await bedrock.send(new GetProvisionedModelThroughputCommand({ provisionedModelId: provisionedModelArn }));
    assert.equal(got.status, 'InService');
    assert.equal(got.modelUnits, 2);
    assert.equal(got.foundationModelArn, `arn:aws:bedrock:us-east-1::foundation-model/${MODEL}`);
    assert.ok(got.creationTime instanceof Date);
    const id = provisionedModelArn!.split('/')[1]!;
    assert.equal((await bedrock.send(new GetProvisionedModelThroughputCommand({ provisionedModelId: 'support-bot' }))).provisionedModelArn, provisionedModelArn);
    const listed = await bedrock.send(new ListProvisionedModelThroughputsCommand({ statusEquals: 'InService', nameContains: 'support' }));
    assert.deepEqual(listed.provisionedModelSummaries?.map((s) => s.provisionedModelName), ['support-bot']);

    // More units than the deployments have room for beside these two (6 slots, 2 units × 2 taken) are refused.
    await assert.rejects(bedrock.send(new CreateProvisionedModelThroughputCommand({ modelUnits: 2, provisionedModelName: 'too-big', modelId: MODEL })), /capacity for 1 more model unit: its deployments serve 6 requests at once, a unit takes 2, and 2 units are already provisioned/);
    // A deployment an operator drains at runtime serves nothing: the model's capacity is then the other one's 3.
    const drain = (verb: string) => fetch(`${server.url}/quarry/routing/deployments/echo-b/${verb}`, { method: 'POST', headers: { authorization: `Bearer ${TEST_API_KEY}` } });
    assert.equal((await drain('drain')).status, 200);
    await assert.rejects(bedrock.send(new CreateProvisionedModelThroughputCommand({ modelUnits: 1, provisionedModelName: 'no-room', modelId: MODEL })), /its deployments serve 3 requests at once/);
    assert.equal((await drain('reset')).status, 200);

    // The provisioned model answers by ARN and by id, and its tokens carry no per-token charge.
    const answer = await converse(provisionedModelArn!, 'hello provisioned world');
    assert.equal(answer.stopReason, 'end_turn');
    assert.equal((await converse(id, 'by id')).stopReason, 'end_turn');

    // 2 units × 2 requests at once: a fifth concurrent request is throttled.
    const slow = Array.from({ length: 4 }, () => converse(provisionedModelArn!, '__slow:300 one two three'));
    await new Promise((r) => setTimeout(r, 100));
    await assert.rejects(converse(provisionedModelArn!, 'one too many'), (e: unknown) => e instanceof ThrottlingException && /support-bot is at its capacity \(2 model units: 4 requests at once\)/.test(e.message));
    // On-demand now has 6 - 4 = 2 slots: two slow on-demand calls fit, a third is throttled first.
    const onDemand = Array.from({ length: 2 }, () => converse(MODEL, '__slow:300 a b c'));
    await new Promise((r) => setTimeout(r, 100));
    await assert.rejects(converse(MODEL, 'on-demand over'), (e: unknown) => e instanceof ThrottlingException && /on-demand capacity/.test(e.message));
    await Promise.all([...slow, ...onDemand]);

    await server.meter.flush();
    const records = await server.meter.query({});
    const ptCalls = records.filter((r) => r.deployment_id === `provisioned/${id}` && r.outcome === 'ok');
    assert.equal(ptCalls.length, 6, 'every call on the units is metered against them');
    assert.ok(ptCalls.every((r) => r.cost_usd === 0 && r.model_id === MODEL));
    const hours = records.filter((r) => r.deployment_id === `provisioned/${id}` && r.outcome === 'ProvisionedHour');
    assert.equal(hours.length, 1, 'the first hour is billed when the units are bought');
    assert.equal(hours[0]!.cost_usd, 40, '2 units × $20 an hour (no commitment)');
    const onDemandCall = records.find((r) => r.model_id === MODEL && r.deployment_id !== `provisioned/${id}` && r.outcome === 'ok');
    assert.ok(onDemandCall && onDemandCall.cost_usd > 0, 'on-demand calls are priced per token');

    const util = await admin(`/quarry/provisioned-model-throughput/${id}/utilization?hours=2`);
    assert.equal(util.status, 200, JSON.stringify(util.body));
    const totals = util.body.totals as Record<string, number>;
    assert.equal(totals.requests, 6);
    assert.equal(totals.throttled, 1);
    assert.equal(totals.provisionedUsd, 40);
    assert.ok(totals.concurrencyUtilisation > 0 && totals.concurrencyUtilisation < 1);
    assert.ok(totals.onDemandUsd! > 0 && totals.onDemandUsd! < 1, 'the same tokens on demand cost cents');
    assert.equal((util.body.breakEven as { cheapest: string }).cheapest, 'on-demand');

    await bedrock.send(new UpdateProvisionedModelThroughputCommand({ provisionedModelId: id, desiredProvisionedModelName: 'support-bot-2' }));
    assert.equal((await bedrock.send(new GetProvisionedModelThroughputCommand({ provisionedModelId: id }))).provisionedModelName, 'support-bot-2');

    await bedrock.send(new DeleteProvisionedModelThroughputCommand({ provisionedModelId: id }));
    await assert.rejects(bedrock.send(new GetProvisionedModelThroughputCommand({ provisionedModelId: id })), ResourceNotFoundException);
    await assert.rejects(converse(provisionedModelArn!, 'after release'), (e: unknown) => (e as Error).name === 'ResourceNotFoundException');
    // With the units released, on-demand has the whole capacity again.
    await Promise.all(Array.from({ length: 5 }, () => converse(MODEL, '__slow:100 a')));
  });

  test('a commitment cannot be released before its term ends', async () => {
    const { provisionedModelArn } = await bedrock.send(new CreateProvisionedModelThroughputCommand({ modelUnits: 1, provisionedModelName: 'committed', modelId: MODEL, commitmentDuration: 'OneMonth' }));
    const got = await bedrock.send(new GetProvisionedModelThroughputCommand({ provisionedModelId: provisionedModelArn }));
    assert.equal(got.commitmentDuration, 'OneMonth');
    assert.ok(got.commitmentExpirationTime!.getTime() > Date.now() + 27 * 86_400_000);
    await assert.rejects(bedrock.send(new DeleteProvisionedModelThroughputCommand({ provisionedModelId: provisionedModelArn })), (e: unknown) => e instanceof ValidationException && /commitment until/.test(e.message));
    await server.meter.flush();
    const hour = (await server.meter.query({})).find((r) => r.deployment_id === `provisioned/${provisionedModelArn!.split('/')[1]}` && r.outcome === 'ProvisionedHour');
    assert.equal(hour?.cost_usd, 15, 'billed at the one-month rate');
  });

  test('bad input: unknown fields, zero units, a hostile name, another account\'s ARN', async () => {
    const bad = await admin('/provisioned-model-throughput', { method: 'POST', body: { modelUnits: 0, provisionedModelName: 'x', modelId: MODEL } });
    assert.equal(bad.status, 400);
    assert.match(String(bad.body.message), /modelUnits/);
    const extra = await admin('/provisioned-model-throughput', { method: 'POST', body: { modelUnits: 1, provisionedModelName: 'x', modelId: MODEL, surprise: true } });
    assert.equal(extra.status, 400);
    const name = await admin('/provisioned-model-throughput', { method: 'POST', body: { modelUnits: 1, provisionedModelName: '../../etc', modelId: MODEL } });
    assert.equal(name.status, 400);
    const unknown = await admin('/provisioned-model-throughput', { method: 'POST', body: { modelUnits: 1, provisionedModelName: 'ghost', modelId: 'no.such-model-v1:0' } });
    assert.equal(unknown.status, 404);
    await assert.rejects(converse('arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abcdefabcdef', 'hi'), /not found|ResourceNotFound|not a/i);
  });
});
