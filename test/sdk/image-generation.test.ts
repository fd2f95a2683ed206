import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BedrockRuntimeClient, InvokeModelCommand, ResourceNotFoundException, ValidationException } from '@aws-sdk/client-bedrock-runtime';
import OpenAI, { BadRequestError, NotFoundError, PermissionDeniedError, RateLimitError } from 'openai';
import sharp from 'sharp';
import { type AttachedPolicy, parsePolicyDocument, type PolicySource, type Principal } from '../../src/iam/index.js';
import { type ReplayServer, startReplayServer } from '../../src/providers/conformance/replay-server.js';
import { type TestServer, TEST_ACCESS_KEY_ID, TEST_API_KEY, TEST_SECRET_ACCESS_KEY, startTestServer } from '../support/start-test-server.js';

/**
 * Image generation end to end through the official SDKs: the scripted provider and an OpenAI-compatible upstream (a
 * local server answering POST /v1/images/generations), over OpenAI's images API and Bedrock InvokeModel with the Titan
 * Image Generator body; every answer decodes as an image and leaves a usage record with its images priced.
 */
const SCRIPTED = 'scripted.image-v1:0';
const TITAN = 'amazon.titan-image-generator-v2:0';
const UPSTREAM = 'acme.image-v1:0';
const TEXT = 'scripted.echo-v1:0';
const LIMITED = 'scripted.image-limited-v1:0';

/** `painter` may invoke the scripted image model and nothing else. */
const painterPolicy: AttachedPolicy = {
  id: 'p-painter',
  document: parsePolicyDocument({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: `arn:aws:bedrock:us-east-1::foundation-model/${SCRIPTED}` }],
  }),
};
const policies: PolicySource = { policiesFor: async (p: Principal) => (p.name === 'painter' ? [painterPolicy] : []) };
let painterKey = '';

let upstream: ReplayServer;
let server: TestServer;
let openai: OpenAI;
let bedrock: BedrockRuntimeClient;
let upstreamJpeg: Buffer;

before(async () => {
  upstreamJpeg = await sharp({ create: { width: 48, height: 32, channels: 3, background: '#aa3300' } }).jpeg().toBuffer();
  upstream = await startReplayServer();
  upstream.route((req) => {
    if (req.path !== '/v1/images/generations') return { status: 404, body: '{"error":{"message":"no such path"}}' };
    const { prompt, n } = req.json<{ prompt: string; n: number }>();
    if (prompt.includes('throttle')) return { status: 429, headers: { 'content-type': 'application/json' }, body: '{"error":{"message":"slow down"}}' };
    const data = Array.from({ length: n }, () => ({ b64_json: upstreamJpeg.toString('base64'), revised_prompt: prompt }));
    return { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ created: 1, data }) };
  });
  server = await startTestServer(
    `  - { id: upstream, type: openai-compatible, baseUrl: "${upstream.url}/v1", apiKey: upstream-secret, timeoutMs: 2000 }
models:
  - { id: "${TEXT}", provider: scripted, upstreamModel: echo }
  - { id: "${SCRIPTED}", provider: scripted, kind: image, upstreamModel: image, pricing: { imagePerImage: 0.02 } }
  - { id: "${TITAN}", provider: scripted }
  - { id: "${UPSTREAM}", provider: upstream, upstreamModel: gpt-image-test, kind: image, pricing: { imagePerImage: 0.04 } }
  - { id: "${LIMITED}", provider: scripted, kind: image, upstreamModel: image }
quotas:
  models: { "${LIMITED}": { requestsPerMinute: 1 } }
audit: { dataPlane: true }
`,
    { policies },
  );
  painterKey = (await server.keys.addBearerKey(await server.keys.createPrincipal('painter', false))).apiKey;
  openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: TEST_API_KEY, maxRetries: 0 });
  bedrock = new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: server.url,
    credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY },
    maxAttempts: 1,
  });
});
after(async () => {
  await server.stop();
  await upstream.close();
});

const metadataOf = (b64: string) => sharp(Buffer.from(b64, 'base64')).metadata();

async function usageOf(requestId: string | null | undefined) {
  const records = await server.meter.query({ requestId: requestId ?? 'none' });
  assert.equal(records.length, 1, `one usage record for ${requestId}`);
  return records[0]!;
}

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} != ${b}`);

describe('OpenAI images API (openai SDK)', () => {
  test('the scripted model answers n PNGs of the asked size, metered as n images at its per-image price', async () => {
    const { data, response } = await openai.images.generate({ model: SCRIPTED, prompt: 'a red fox in snow', n: 2, size: '1024x1024' }).withResponse();
    assert.equal(data.data?.length, 2);
    for (const image of data.data ?? []) {
      const meta = await metadataOf(image.b64_json!);
      assert.deepEqual([meta.format, meta.width, meta.height], ['png', 1024, 1024]);
    }
    assert.notEqual(data.data?.[0]?.b64_json, data.data?.[1]?.b64_json, 'each image of a request differs');
    const record = await usageOf(response.headers.get('x-request-id'));
    assert.equal(record.model_id, SCRIPTED);
    assert.equal(record.api, 'openai.images');
    assert.equal(record.outcome, 'ok');
    assert.equal(record.images, 2);
    close(record.cost_usd, 0.04);
  });

  test('response_format url answers a data: URL, as Quarry hosts no files', async () => {
    const res = await openai.images.generate({ model: SCRIPTED, prompt: 'a lighthouse', size: '1792x1024', response_format: 'url' });
    const url = res.data?.[0]?.url ?? '';
    assert.match(url, /^data:image\/png;base64,/);
    const meta = await metadataOf(url.slice(url.indexOf(',') + 1));
    assert.deepEqual([meta.width, meta.height], [1792, 1024]);
  });

  test('an OpenAI-compatible upstream is asked for b64_json under its own model name; its JPEGs come back whole', async () => {
    upstream.requests.length = 0;
    const { data, response } = await openai.images.generate({ model: UPSTREAM, prompt: 'a harbour at dusk', n: 3, size: '512x512' }).withResponse();
    assert.equal(data.data?.length, 3);
    assert.deepEqual(Buffer.from(data.data![2]!.b64_json!, 'base64'), upstreamJpeg);
    assert.equal((await metadataOf(data.data![0]!.b64_json!)).format, 'jpeg');
    const sent = upstream.requests.at(-1)!;
    assert.equal(sent.headers.authorization, 'Bearer upstream-secret');
    assert.deepEqual(sent.json(), { model: 'gpt-image-test', prompt: 'a harbour at dusk', n: 3, response_format: 'b64_json', size: '512x512' });
    const record = await usageOf(response.headers.get('x-request-id'));
    assert.equal(record.provider_id, 'upstream');
    assert.equal(record.images, 3);
    close(record.cost_usd, 0.12);
  });

  test('an upstream refusal maps as chat errors do (429 → rate limit) and is recorded without images or cost', async () => {
    const err = await openai.images.generate({ model: UPSTREAM, prompt: 'please throttle' }).catch((e: unknown) => e);
    assert.ok(err instanceof RateLimitError, String(err));
    assert.equal(err.type, 'rate_limit_error');
    const record = await usageOf(err.headers?.get('x-request-id'));
    assert.equal(record.outcome, 'ThrottlingException');
    assert.equal(record.images, 0);
    assert.equal(record.cost_usd, 0);
  });

  const badRequest = async (params: Record<string, unknown>, pattern: RegExp) => {
    const err = await openai.images.generate({ model: SCRIPTED, prompt: 'x', ...params } as never).catch((e: unknown) => e);
    assert.ok(err instanceof BadRequestError, String(err));
    assert.equal(err.type, 'invalid_request_error');
    assert.match(err.message, pattern);
  };

  test('bad input gets OpenAI 400s that name the field', async () => {
    await badRequest({ n: 0 }, /n:/);
    await badRequest({ n: 11 }, /n:/);
    await badRequest({ prompt: '' }, /prompt must not be empty/);
    await badRequest({ size: 'huge' }, /size is WIDTHxHEIGHT/);
    await badRequest({ size: '4096x4096' }, /between 64 and 2048/);
    await badRequest({ model: TEXT }, /scripted\.echo-v1:0 is a text model and does not generate images/);
  });

  test('a guardrail header is refused, not silently skipped', async () => {
    const res = await fetch(`${server.url}/v1/images/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json', 'x-quarry-guardrail-id': 'g1' },
      body: JSON.stringify({ model: SCRIPTED, prompt: 'x' }),
    });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: { type: string; message: string } };
    assert.equal(body.error.type, 'invalid_request_error');
    assert.match(body.error.message, /takes no x-quarry-guardrail-\* headers/);
  });

  test('an unknown model is a 404 model_not_found; an image model asked to chat says which API to use', async () => {
    const missing = await openai.images.generate({ model: 'no.such-image-v1:0', prompt: 'x' }).catch((e: unknown) => e);
    assert.ok(missing instanceof NotFoundError, String(missing));
    assert.equal(missing.code, 'model_not_found');
    const chat = await openai.chat.completions.create({ model: SCRIPTED, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    assert.ok(chat instanceof BadRequestError, String(chat));
    assert.match(chat.message, /is an image model; call it through the images API/);
  });

  test('the policy check covers images: a principal allowed one image model is refused another, before anything is metered', async () => {
    const painter = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: painterKey, maxRetries: 0 });
    const ok = await painter.images.generate({ model: SCRIPTED, prompt: 'allowed' });
    assert.equal(ok.data?.length, 1);
    const denied = await painter.images
      .generate({ model: UPSTREAM, prompt: 'not allowed' })
      .withResponse()
      .catch((e: unknown) => e);
    assert.ok(denied instanceof PermissionDeniedError, String(denied));
    assert.match(denied.message, new RegExp(`bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/${UPSTREAM.replace(/\./g, '\\.')}`));
    assert.equal((await server.meter.query({ requestId: denied.headers?.get('x-request-id') ?? 'none' })).length, 0);
  });

  test('quotas admit image calls: past the model\'s requests per minute, a 429', async () => {
    await openai.images.generate({ model: LIMITED, prompt: 'first' });
    const second = await openai.images.generate({ model: LIMITED, prompt: 'second' }).catch((e: unknown) => e);
    assert.ok(second instanceof RateLimitError, String(second));
  });

  test('image calls are in the data-plane audit trail with the model, never the prompt', async () => {
    const { response } = await openai.images.generate({ model: SCRIPTED, prompt: 'SECRET-PROMPT-7' }).withResponse();
    await server.audit.flush();
    const list = await fetch(`${server.url}/quarry/audit/events?category=data&maxResults=100`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } });
    const { events } = (await list.json()) as { events: { requestId: string; eventName: string; action: string; resources: string[] }[] };
    const event = events.find((e) => e.requestId === response.headers.get('x-request-id'));
    assert.equal(event?.eventName, 'ImageGenerations');
    assert.equal(event?.action, 'bedrock:InvokeModel');
    assert.deepEqual(event?.resources, [`arn:aws:bedrock:us-east-1::foundation-model/${SCRIPTED}`]);
    assert.ok(!JSON.stringify(events).includes('SECRET-PROMPT'));
  });
});

describe('Bedrock InvokeModel with the Titan Image Generator body (AWS SDK)', () => {
  const invoke = (modelId: string, body: unknown) =>
    bedrock.send(new InvokeModelCommand({ modelId, body: JSON.stringify(body), contentType: 'application/json', accept: 'application/json' }));
  const titanBody = (config: Record<string, unknown> = {}, text = 'a mountain lake') => ({
    taskType: 'TEXT_IMAGE',
    textToImageParams: { text, negativeText: 'people' },
    imageGenerationConfig: { numberOfImages: 2, width: 320, height: 192, cfgScale: 8, seed: 11, quality: 'standard', ...config },
  });

  test('{images: [base64], error: null}, PNGs of the asked size, priced from the built-in Titan price', async () => {
    const res = await invoke(TITAN, titanBody());
    const body = JSON.parse(res.body.transformToString()) as { images: string[]; error: null };
    assert.equal(body.error, null);
    assert.equal(body.images.length, 2);
    for (const b64 of body.images) {
      const meta = await metadataOf(b64);
      assert.deepEqual([meta.format, meta.width, meta.height], ['png', 320, 192]);
    }
    const again = JSON.parse((await invoke(TITAN, titanBody())).body.transformToString()) as { images: string[] };
    assert.deepEqual(again.images, body.images, 'the same seed and prompt give the same images');
    const record = await usageOf(res.$metadata.requestId);
    assert.equal(record.model_id, TITAN);
    assert.equal(record.images, 2);
    // No configured price: the built-in list price of Titan Image Generator v2, 0.01 USD an image.
    close(record.cost_usd, 0.02);
  });

  test('a generic image model (the OpenAI-compatible upstream) takes the Titan body; a negative prompt it cannot honour is refused', async () => {
    const res = await invoke(UPSTREAM, { taskType: 'TEXT_IMAGE', textToImageParams: { text: 'a bridge' }, imageGenerationConfig: { numberOfImages: 1 } });
    const body = JSON.parse(res.body.transformToString()) as { images: string[] };
    assert.deepEqual(Buffer.from(body.images[0]!, 'base64'), upstreamJpeg);
    const refused = await invoke(UPSTREAM, titanBody()).catch((e: unknown) => e);
    assert.ok(refused instanceof ValidationException, String(refused));
    assert.match(refused.message, /no negative prompt/);
  });

  test('bad bodies, unknown models and text models get Bedrock errors', async () => {
    const tooMany = await invoke(TITAN, titanBody({ numberOfImages: 6 })).catch((e: unknown) => e);
    assert.ok(tooMany instanceof ValidationException, String(tooMany));
    assert.match(tooMany.message, /#\/imageGenerationConfig\/numberOfImages/);
    const empty = await invoke(TITAN, titanBody({}, '')).catch((e: unknown) => e);
    assert.ok(empty instanceof ValidationException, String(empty));
    const other = await invoke(TITAN, { taskType: 'IMAGE_VARIATION', imageVariationParams: { images: [] } }).catch((e: unknown) => e);
    assert.ok(other instanceof ValidationException, String(other));
    assert.match(other.message, /only TEXT_IMAGE/);
    const missing = await invoke('amazon.titan-image-generator-v9:0', titanBody()).catch((e: unknown) => e);
    assert.ok(missing instanceof ResourceNotFoundException, String(missing));
    const text = await invoke(TEXT, titanBody()).catch((e: unknown) => e);
    assert.ok(text instanceof ValidationException, String(text));
  });
});
