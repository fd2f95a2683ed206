import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BedrockClient, CreateGuardrailCommand, CreateGuardrailVersionCommand } from '@aws-sdk/client-bedrock';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  type ConverseStreamOutput,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  ResourceNotFoundException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import OpenAI from 'openai';
import type { AttachedPolicy, PolicySource, Principal } from '../../src/iam/index.js';
import { parsePolicyDocument } from '../../src/iam/index.js';
import { startTestServer, TEST_ACCESS_KEY_ID, TEST_API_KEY, TEST_SECRET_ACCESS_KEY, type TestServer } from '../support/start-test-server.js';

/**
 * Guardrails enforced inside model invocations, through the official SDKs over a real socket: Converse and
 * ConverseStream (`guardrailConfig`, guardContent, trace, sync and async stream modes), InvokeModel (headers and the
 * `amazon-bedrock-guardrail*` body fields), and the OpenAI API (`guardrailConfig` and `x-quarry-guardrail-*`). The
 * scripted echo model answers "You said: <the last user message>", so what the model saw shows in its answer.
 */
const MODEL = 'scripted.echo-v1:0';
const MESSAGES = { blockedInputMessaging: 'Sorry, I cannot take that request.', blockedOutputsMessaging: 'Sorry, that answer was withheld.' };
const policies = new Map<string, AttachedPolicy[]>();
const source: PolicySource = { policiesFor: async (p: Principal) => policies.get(p.name) ?? [] };
const doc = (statements: object[]): AttachedPolicy => ({ id: `p-${Math.random()}`, document: parsePolicyDocument({ Version: '2012-10-17', Statement: statements }) });

let server: TestServer;
let runtime: BedrockRuntimeClient;
let openai: OpenAI;
let guardrailId: string;
const keys: Record<string, string> = {};

before(async () => {
  server = await startTestServer('', { policies: source });
  const credentials = { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY };
  runtime = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: server.url, credentials });
  openai = new OpenAI({ apiKey: TEST_API_KEY, baseURL: `${server.url}/v1`, maxRetries: 0 });
  const bedrock = new BedrockClient({ region: 'us-east-1', endpoint: server.url, credentials });
  const created = await bedrock.send(
    new CreateGuardrailCommand({
      name: 'enforced',
      ...MESSAGES,
      wordPolicyConfig: {
        wordsConfig: [
          { text: 'zebra' },
          // Only answers are checked for this one, so a prompt can make the echo model say it.
          { text: 'giraffe', inputEnabled: false },
        ],
      },
      sensitiveInformationPolicyConfig: {
        piiEntitiesConfig: [{ type: 'EMAIL', action: 'ANONYMIZE' }],
        regexesConfig: [{ name: 'ticket', pattern: 'TCK-\\d{6}', action: 'ANONYMIZE', inputEnabled: false }],
      },
    }),
  );
  guardrailId = created.guardrailId!;
  await bedrock.send(new CreateGuardrailVersionCommand({ guardrailIdentifier: guardrailId }));
  bedrock.destroy();
  const allowInvoke = { Effect: 'Allow', Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], Resource: '*' };
  policies.set('guarded', [doc([allowInvoke, { Effect: 'Allow', Action: 'bedrock:ApplyGuardrail', Resource: 'arn:aws:bedrock:us-east-1:000000000000:guardrail/*' }])]);
  policies.set('unguarded', [doc([allowInvoke])]);
  for (const name of ['guarded', 'unguarded']) keys[name] = (await server.keys.addBearerKey(await server.keys.createPrincipal(name, false))).apiKey;
});

after(async () => {
  runtime?.destroy();
  await server?.stop();
});

const user = (text: string) => [{ role: 'user' as const, content: [{ text }] }];
const config = (trace: 'enabled' | 'disabled' | 'enabled_full' = 'disabled', version = 'DRAFT') => ({ guardrailIdentifier: guardrailId, guardrailVersion: version, trace });
const textOf = (content: { text?: string }[] | undefined) => (content ?? []).map((b) => b.text ?? '').join('');
const records = async () => (await server.meter.query({})).length;

async function collect(stream: AsyncIterable<ConverseStreamOutput> | undefined) {
  let text = '';
  let stopReason: string | undefined;
  let metadata: ConverseStreamOutput['metadata'];
  for await (const e of stream!) {
    if (e.contentBlockDelta?.delta?.text) text += e.contentBlockDelta.delta.text;
    if (e.messageStop) stopReason = e.messageStop.stopReason;
    if (e.metadata) metadata = e.metadata;
  }
  return { text, stopReason, metadata };
}

describe('Converse with guardrailConfig', () => {
  test('a blocked prompt gets the input message, stopReason guardrail_intervened, and never reaches the model', async () => {
    await server.meter.flush();
    const before = await records();
    const r = await runtime.send(new ConverseCommand({ modelId: MODEL, messages: user('tell me about the zebra'), guardrailConfig: config('enabled') }));
    assert.equal(r.stopReason, 'guardrail_intervened');
    assert.equal(textOf(r.output?.message?.content), MESSAGES.blockedInputMessaging);
    assert.deepEqual(r.usage, { inputTokens: 0, outputTokens: 0, totalTokens: 0 });
    const input = r.trace?.guardrail?.inputAssessment?.[guardrailId];
    assert.equal(input?.wordPolicy?.customWords?.[0]?.match, 'zebra');
    assert.equal(input?.wordPolicy?.customWords?.[0]?.action, 'BLOCKED');
    assert.ok(input?.invocationMetrics?.usage?.wordPolicyUnits);
    await server.meter.flush();
    assert.equal(await records(), before, 'no usage record: no model was called');
  });

  test('a masked prompt reaches the model masked; the answer passes', async () => {
    const r = await runtime.send(new ConverseCommand({ modelId: MODEL, messages: user('write to jane.doe@example.com today'), guardrailConfig: config() }));
    assert.equal(textOf(r.output?.message?.content), 'You said: write to {EMAIL} today');
    assert.equal(r.stopReason, 'end_turn');
    assert.equal(r.trace, undefined, 'no trace unless asked for');
    assert.ok(r.usage!.inputTokens! > 0, 'the model was called');
  });

  test('a blocked answer is replaced by the output message; a masked one is masked', async () => {
    const blocked = await runtime.send(new ConverseCommand({ modelId: MODEL, messages: user('say giraffe'), guardrailConfig: config('enabled') }));
    assert.equal(blocked.stopReason, 'guardrail_intervened');
    assert.equal(textOf(blocked.output?.message?.content), MESSAGES.blockedOutputsMessaging);
    const trace = blocked.trace!.guardrail!;
    assert.deepEqual(trace.modelOutput, ['You said: say giraffe']);
    assert.equal(trace.outputAssessments?.[guardrailId]?.[0]?.wordPolicy?.customWords?.[0]?.match, 'giraffe');
    assert.ok(blocked.usage!.outputTokens! > 0, 'the model answered and its usage is reported');

    const masked = await runtime.send(new ConverseCommand({ modelId: MODEL, messages: user('ticket TCK-123456 please'), guardrailConfig: config('disabled', '1') }));
    const text = textOf(masked.output?.message?.content);
    assert.doesNotMatch(text, /TCK-123456/);
    assert.match(text, /^You said: ticket \{[A-Za-z_]+\} please$/);
    assert.equal(masked.stopReason, 'end_turn', 'masking alone does not stop the answer');
  });

  test('guardContent blocks limit the input check to themselves', async () => {
    const messages = [{ role: 'user' as const, content: [{ text: 'Reference: zebra crossings.' }, { guardContent: { text: { text: 'what is a crossing?' } } }] }];
    const r = await runtime.send(new ConverseCommand({ modelId: MODEL, messages, guardrailConfig: config('enabled') }));
    // The unguarded text is not checked on input, so the model is called; its echo contains the word and is blocked.
    assert.equal(r.stopReason, 'guardrail_intervened');
    assert.equal(textOf(r.output?.message?.content), MESSAGES.blockedOutputsMessaging);
    assert.equal(r.trace?.guardrail?.inputAssessment?.[guardrailId]?.wordPolicy, undefined);
    const without = await runtime.send(new ConverseCommand({ modelId: MODEL, messages: user('Reference: zebra crossings. what is a crossing?'), guardrailConfig: config() }));
    assert.equal(textOf(without.output?.message?.content), MESSAGES.blockedInputMessaging);
  });

  test('trace enabled_full also reports the checks that found nothing', async () => {
    const plain = await runtime.send(new ConverseCommand({ modelId: MODEL, messages: user('hello there'), guardrailConfig: config('enabled') }));
    assert.equal(plain.stopReason, 'end_turn');
    assert.ok(plain.trace?.guardrail?.inputAssessment?.[guardrailId]?.invocationMetrics);
    assert.equal(plain.trace?.guardrail?.outputAssessments?.[guardrailId]?.length, 1);
    assert.equal(plain.trace?.guardrail?.modelOutput, undefined);
    const off = await runtime.send(new ConverseCommand({ modelId: MODEL, messages: user('hello there'), guardrailConfig: config('disabled') }));
    assert.equal(off.trace, undefined);
  });

  test('unknown guardrails are 404, malformed versions and fields 400, and ApplyGuardrail must be allowed', async () => {
    await assert.rejects(
      runtime.send(new ConverseCommand({ modelId: MODEL, messages: user('hi'), guardrailConfig: { guardrailIdentifier: 'abcdefghij12', guardrailVersion: 'DRAFT' } })),
      ResourceNotFoundException,
    );
    await assert.rejects(runtime.send(new ConverseCommand({ modelId: MODEL, messages: user('hi'), guardrailConfig: config('disabled', '9') })), ResourceNotFoundException);
    await assert.rejects(runtime.send(new ConverseCommand({ modelId: MODEL, messages: user('hi'), guardrailConfig: config('disabled', 'latest') })), ValidationException);
    const arnElsewhere = `arn:aws:bedrock:us-east-1:111122223333:guardrail/${guardrailId}`;
    await assert.rejects(
      runtime.send(new ConverseCommand({ modelId: MODEL, messages: user('hi'), guardrailConfig: { guardrailIdentifier: arnElsewhere, guardrailVersion: 'DRAFT' } })),
      ResourceNotFoundException,
    );
    const post = (who: string, body: object) =>
      fetch(`${server.url}/model/${MODEL}/converse`, { method: 'POST', headers: { authorization: `Bearer ${keys[who]}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const body = { messages: user('hi'), guardrailConfig: config() };
    const denied = await post('unguarded', body);
    assert.equal(denied.status, 403);
    assert.match(denied.headers.get('x-amzn-errortype') ?? '', /AccessDeniedException/);
    assert.match(((await denied.json()) as { message: string }).message, new RegExp(`bedrock:ApplyGuardrail on resource: arn:aws:bedrock:us-east-1:000000000000:guardrail/${guardrailId}`));
    assert.equal((await post('guarded', body)).status, 200);
    const extra = await post('guarded', { messages: user('hi'), guardrailConfig: { ...config(), streamProcessingMode: 'sync' } });
    assert.equal(extra.status, 400, 'streamProcessingMode belongs to ConverseStream only');
  });
});

describe('ConverseStream with guardrailConfig', () => {
  const long = (word: string) => `${'calm words about the weather and the sea '.repeat(40)}${word} and more`;

  test('a blocked prompt streams the input message and a guardrail_intervened stop', async () => {
    const r = await runtime.send(new ConverseStreamCommand({ modelId: MODEL, messages: user('a zebra please'), guardrailConfig: { ...config('enabled'), streamProcessingMode: 'sync' } }));
    const s = await collect(r.stream);
    assert.equal(s.text, MESSAGES.blockedInputMessaging);
    assert.equal(s.stopReason, 'guardrail_intervened');
    assert.ok(s.metadata?.trace?.guardrail?.inputAssessment?.[guardrailId]);
  });

  test('sync mode holds each window back until it is checked: the blocked word never reaches the client', async () => {
    const r = await runtime.send(new ConverseStreamCommand({ modelId: MODEL, messages: user(long('giraffe')), guardrailConfig: { ...config('enabled'), streamProcessingMode: 'sync' } }));
    const s = await collect(r.stream);
    assert.doesNotMatch(s.text, /giraffe/);
    assert.ok(s.text.startsWith('You said: calm words'), 'windows checked clean were released');
    assert.ok(s.text.endsWith(MESSAGES.blockedOutputsMessaging));
    assert.equal(s.stopReason, 'guardrail_intervened');
    assert.ok(s.metadata!.usage!.outputTokens! > 0);
    assert.ok((s.metadata?.trace?.guardrail?.outputAssessments?.[guardrailId]?.length ?? 0) >= 2, 'one assessment per window');
  });

  test('sync mode masks in the stream', async () => {
    const r = await runtime.send(new ConverseStreamCommand({ modelId: MODEL, messages: user(long('TCK-654321')), guardrailConfig: config() }));
    const s = await collect(r.stream);
    assert.doesNotMatch(s.text, /TCK-654321/);
    assert.match(s.text, /\{[A-Za-z_]+\} and more$/);
    assert.equal(s.stopReason, 'end_turn');
    assert.equal(s.metadata?.trace, undefined);
  });

  test('async mode streams at once and ends with the intervention when a later window fails', async () => {
    const r = await runtime.send(new ConverseStreamCommand({ modelId: MODEL, messages: user(long('giraffe')), guardrailConfig: { ...config('enabled'), streamProcessingMode: 'async' } }));
    const s = await collect(r.stream);
    assert.match(s.text, /giraffe/, 'async mode sends text before it is checked');
    assert.ok(s.text.endsWith(MESSAGES.blockedOutputsMessaging));
    assert.equal(s.stopReason, 'guardrail_intervened');
    const clean = await runtime.send(new ConverseStreamCommand({ modelId: MODEL, messages: user(long('zen')), guardrailConfig: { ...config(), streamProcessingMode: 'async' } }));
    const ok = await collect(clean.stream);
    assert.equal(ok.stopReason, 'end_turn');
    assert.ok(ok.text.endsWith('zen and more'));
  });
});

describe('InvokeModel with guardrail headers', () => {
  const body = (text: string, extra: object = {}) => new TextEncoder().encode(JSON.stringify({ inputText: text, ...extra }));
  const decode = (bytes: Uint8Array | undefined) => JSON.parse(new TextDecoder().decode(bytes));

  test('blocks, masks and reports amazon-bedrock-guardrailAction and the trace', async () => {
    const blocked = decode(
      (await runtime.send(new InvokeModelCommand({ modelId: MODEL, body: body('a zebra'), guardrailIdentifier: guardrailId, guardrailVersion: 'DRAFT', trace: 'ENABLED' }))).body,
    );
    assert.equal(blocked.results[0].outputText, MESSAGES.blockedInputMessaging);
    assert.equal(blocked.results[0].completionReason, 'CONTENT_FILTERED');
    assert.equal(blocked['amazon-bedrock-guardrailAction'], 'INTERVENED');
    assert.ok(blocked['amazon-bedrock-trace'].guardrail.inputAssessment[guardrailId].wordPolicy);

    const masked = decode((await runtime.send(new InvokeModelCommand({ modelId: MODEL, body: body('mail bob@example.org'), guardrailIdentifier: guardrailId, guardrailVersion: '1' }))).body);
    assert.equal(masked.results[0].outputText, 'You said: mail {EMAIL}');
    assert.equal(masked['amazon-bedrock-guardrailAction'], 'INTERVENED');
    assert.equal(masked['amazon-bedrock-trace'], undefined);

    const clean = decode((await runtime.send(new InvokeModelCommand({ modelId: MODEL, body: body('hello'), guardrailIdentifier: guardrailId, guardrailVersion: '1' }))).body);
    assert.equal(clean['amazon-bedrock-guardrailAction'], 'NONE');
    const unguarded = decode((await runtime.send(new InvokeModelCommand({ modelId: MODEL, body: body('hello') }))).body);
    assert.equal(unguarded['amazon-bedrock-guardrailAction'], undefined);
  });

  test('input tags limit the check; the body config is taken out before the model format sees it', async () => {
    const tagged = body('zebra facts: <amazon-bedrock-guardrails-guardContent_abc>is this fine?</amazon-bedrock-guardrails-guardContent_abc>', {
      'amazon-bedrock-guardrailConfig': { tagSuffix: 'abc' },
    });
    const r = decode((await runtime.send(new InvokeModelCommand({ modelId: MODEL, body: tagged, guardrailIdentifier: guardrailId, guardrailVersion: 'DRAFT' }))).body);
    // Only the tagged span was checked on input; the echo repeats the whole prompt, tags removed, and the answer is blocked.
    assert.equal(r.results[0].outputText, MESSAGES.blockedOutputsMessaging);
    await assert.rejects(runtime.send(new InvokeModelCommand({ modelId: MODEL, body: body('hi', { 'amazon-bedrock-guardrailConfig': { tagSuffix: 'abc' } }) })), ValidationException);
    await assert.rejects(runtime.send(new InvokeModelCommand({ modelId: MODEL, body: body('hi'), guardrailIdentifier: guardrailId })), ValidationException);
  });

  test('the stream puts the action on its last chunk', async () => {
    const r = await runtime.send(
      new InvokeModelWithResponseStreamCommand({ modelId: MODEL, body: body('say giraffe'), guardrailIdentifier: guardrailId, guardrailVersion: 'DRAFT', trace: 'ENABLED' }),
    );
    const chunks: Record<string, unknown>[] = [];
    for await (const e of r.body!) if (e.chunk?.bytes) chunks.push(decode(e.chunk.bytes));
    const last = chunks.at(-1)!;
    assert.equal(last['amazon-bedrock-guardrailAction'], 'INTERVENED');
    assert.ok((last['amazon-bedrock-trace'] as { guardrail: { outputAssessments: object } }).guardrail.outputAssessments);
    const text = chunks.map((c) => (c.outputText as string | undefined) ?? '').join('');
    assert.doesNotMatch(text, /giraffe/);
    assert.match(text, new RegExp(MESSAGES.blockedOutputsMessaging));
  });
});

describe('OpenAI chat completions with a guardrail', () => {
  test('guardrailConfig in the body: blocked input is content_filter with the message', async () => {
    const r = await openai.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'zebra time' }],
      // @ts-expect-error Quarry's own field
      guardrailConfig: { guardrailIdentifier: guardrailId, guardrailVersion: 'DRAFT', trace: 'enabled' },
    });
    assert.equal(r.choices[0]!.finish_reason, 'content_filter');
    assert.equal(r.choices[0]!.message.content, MESSAGES.blockedInputMessaging);
    assert.equal((r as unknown as { guardrail: { action: string } }).guardrail.action, 'INTERVENED');
  });

  test('headers: masked input, and a blocked streamed answer', async () => {
    const headers = { 'x-quarry-guardrail-id': guardrailId, 'x-quarry-guardrail-version': '1' };
    const masked = await openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'reach me at amy@example.net' }] }, { headers });
    assert.equal(masked.choices[0]!.message.content, 'You said: reach me at {EMAIL}');
    assert.equal(masked.choices[0]!.finish_reason, 'stop');
    const stream = await openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'say giraffe' }], stream: true }, { headers });
    let text = '';
    let finish: string | null = null;
    for await (const c of stream) {
      text += c.choices[0]?.delta?.content ?? '';
      finish = c.choices[0]?.finish_reason ?? finish;
    }
    assert.equal(text, MESSAGES.blockedOutputsMessaging);
    assert.equal(finish, 'content_filter');
    await assert.rejects(
      openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-quarry-guardrail-id': 'nosuchguard1' } }),
      (e: InstanceType<typeof OpenAI.APIError>) => e.status === 404,
    );
  });
});

describe('OpenAI Responses with a guardrail', () => {
  test('guardrailConfig in the body: blocked input is an incomplete response (content_filter) with the message', async () => {
    const r = await openai.responses.create({
      model: MODEL,
      input: 'zebra time',
      // @ts-expect-error Quarry's own field
      guardrailConfig: { guardrailIdentifier: guardrailId, guardrailVersion: 'DRAFT', trace: 'enabled' },
    });
    assert.equal(r.status, 'incomplete');
    assert.deepEqual(r.incomplete_details, { reason: 'content_filter' });
    assert.equal(r.output_text, MESSAGES.blockedInputMessaging);
    assert.equal((r as unknown as { guardrail: { action: string } }).guardrail.action, 'INTERVENED');
  });

  test('headers: masked input, and a blocked streamed answer ending in response.incomplete', async () => {
    const headers = { 'x-quarry-guardrail-id': guardrailId, 'x-quarry-guardrail-version': '1' };
    const masked = await openai.responses.create({ model: MODEL, input: 'reach me at amy@example.net' }, { headers });
    assert.equal(masked.output_text, 'You said: reach me at {EMAIL}');
    assert.equal(masked.status, 'completed');
    const stream = await openai.responses.create({ model: MODEL, input: 'say giraffe', stream: true }, { headers });
    let text = '';
    let last = '';
    for await (const e of stream) {
      if (e.type === 'response.output_text.delta') text += e.delta;
      last = e.type;
    }
    assert.equal(text, MESSAGES.blockedOutputsMessaging);
    assert.equal(last, 'response.incomplete');
  });
});
