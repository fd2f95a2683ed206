import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BedrockClient, CreateGuardrailCommand } from '@aws-sdk/client-bedrock';
import { startTestServer, TEST_ACCESS_KEY_ID, TEST_API_KEY, TEST_SECRET_ACCESS_KEY, type TestServer } from '../support/start-test-server.js';
import { jsonCalls, type Reply } from './json-calls.js';

/**
 * The app builder's API over a real server with the scripted model (which answers "You said: <prompt>"): definitions
 * checked at save time (bad input, unknown references, cycles), runs that chain widgets through the runtime (metered,
 * authorized as the caller), the streamed variant, and accounts that cannot see each other's apps.
 */
const MODEL = 'scripted.echo-v1:0';
let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server?.stop();
});

const { call, admin } = jsonCalls(() => server.url);

const twoWidgets = {
  name: 'Lighthouse writer',
  description: 'Drafts a paragraph and then sums it up.',
  widgets: [
    { type: 'input', name: 'topic', label: 'Topic' },
    { type: 'generation', name: 'draft', prompt: 'Write about {{topic}}', modelId: MODEL, inferenceConfig: { temperature: 0.2, maxTokens: 200 } },
    { type: 'generation', name: 'summary', prompt: 'Summarize: {{ draft }}', modelId: MODEL },
  ],
};

async function usageRequests(key = TEST_API_KEY): Promise<number> {
  await server.meter.flush();
  const r = await call(key, 'GET', '/quarry/usage?granularity=none');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.total.requests as number;
}

function expectInvalid(r: Reply, pattern: RegExp): void {
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.equal(r.errorType, 'ValidationException');
  assert.match(r.body.message, pattern);
}

describe('apps', () => {
  test('create, read, list, update and delete an app', async () => {
    const created = await admin('POST', '/quarry/apps', twoWidgets);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const app = created.body.app;
    assert.match(app.appId, /^[0-9A-Z]{10}$/);
    assert.equal(app.appArn, `arn:aws:bedrock:us-east-1:000000000000:app/${app.appId}`);
    assert.deepEqual(app.widgets, twoWidgets.widgets);

    const got = await admin('GET', `/quarry/apps/${app.appId}`);
    assert.equal(got.status, 200);
    assert.equal(got.body.app.name, 'Lighthouse writer');
    const listed = await admin('GET', '/quarry/apps');
    assert.deepEqual(
      listed.body.apps.map((a: { appId: string; widgetCount: number }) => [a.appId, a.widgetCount]),
      [[app.appId, 3]],
    );

    const renamed = await admin('PUT', `/quarry/apps/${app.appId}`, { ...twoWidgets, name: 'Renamed', widgets: twoWidgets.widgets.slice(0, 2) });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.equal(renamed.body.app.name, 'Renamed');
    assert.equal(renamed.body.app.widgets.length, 2);
    assert.equal(renamed.body.app.createdAt, app.createdAt);

    assert.equal((await admin('DELETE', `/quarry/apps/${app.appId}`)).status, 204);
    const gone = await admin('GET', `/quarry/apps/${app.appId}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.errorType, 'ResourceNotFoundException');
    assert.equal((await admin('DELETE', `/quarry/apps/${app.appId}`)).status, 404);
    assert.equal((await admin('GET', '/quarry/apps/not-an-id')).status, 404);
  });

  test('bad definitions are refused with what is wrong', async () => {
    expectInvalid(await admin('POST', '/quarry/apps', '{"name": '), /not valid JSON/);
    expectInvalid(await admin('POST', '/quarry/apps', { widgets: twoWidgets.widgets }), /name/);
    expectInvalid(await admin('POST', '/quarry/apps', { name: 'x', widgets: [] }), /at least one widget/);
    expectInvalid(await admin('POST', '/quarry/apps', { name: 'x', widgets: [{ type: 'chart', name: 'c' }] }), /type/);
    expectInvalid(await admin('POST', '/quarry/apps', { name: 'x', widgets: [{ type: 'input', name: 'has space' }] }), /starts with a letter/);
    expectInvalid(await admin('POST', '/quarry/apps', { name: 'x', widgets: [{ type: 'generation', name: 'g', prompt: '  ', modelId: MODEL }] }), /prompt is empty/);
    expectInvalid(await admin('POST', '/quarry/apps', { name: 'x', widgets: [{ type: 'generation', name: 'g', prompt: 'hi' }] }), /modelId/);
    expectInvalid(
      await admin('POST', '/quarry/apps', { name: 'x', widgets: [{ type: 'generation', name: 'g', prompt: 'hi', modelId: MODEL, inferenceConfig: { temperature: 7 } }] }),
      /temperature/,
    );
    expectInvalid(await admin('POST', '/quarry/apps', { ...twoWidgets, colour: 'red' }), /colour/);
    const many = Array.from({ length: 51 }, (_, i) => ({ type: 'input', name: `in${i}` }));
    expectInvalid(await admin('POST', '/quarry/apps', { name: 'x', widgets: many }), /50/);
    assert.equal((await admin('GET', '/quarry/apps')).body.apps.length, 0, 'nothing was saved');
  });

  test('unknown references and cycles are refused at save time, on create and on update', async () => {
    const unknown = await admin('POST', '/quarry/apps', {
      name: 'typo',
      widgets: [
        { type: 'input', name: 'topic' },
        { type: 'generation', name: 'draft', prompt: 'Write about {{topc}}', modelId: MODEL },
      ],
    });
    expectInvalid(unknown, /widget "draft" refers to \{\{topc\}\}, but no widget has that name \(the app's widgets: topic, draft\)/);

    const cycle = {
      name: 'loop',
      widgets: [
        { type: 'generation', name: 'a', prompt: 'From {{b}}', modelId: MODEL },
        { type: 'generation', name: 'b', prompt: 'From {{a}}', modelId: MODEL },
      ],
    };
    expectInvalid(await admin('POST', '/quarry/apps', cycle), /cycle: a → b → a/);

    const ok = await admin('POST', '/quarry/apps', twoWidgets);
    const id = ok.body.app.appId;
    expectInvalid(await admin('PUT', `/quarry/apps/${id}`, cycle), /cycle/);
    expectInvalid(await admin('PUT', `/quarry/apps/${id}`, { name: 'dup', widgets: [{ type: 'input', name: 'x' }, { type: 'input', name: 'x' }] }), /two widgets are named "x"/);
    assert.deepEqual((await admin('GET', `/quarry/apps/${id}`)).body.app.widgets, twoWidgets.widgets, 'the saved app is unchanged');
    await admin('DELETE', `/quarry/apps/${id}`);
  });

  test('a run chains the widgets through the runtime, metered and costed', async () => {
    const id = (await admin('POST', '/quarry/apps', twoWidgets)).body.app.appId;
    const before = await usageRequests();
    const r = await admin('POST', `/quarry/apps/${id}/run`, { inputs: { topic: 'lighthouses' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const run = r.body.run;
    assert.equal(run.status, 'succeeded');
    assert.deepEqual(
      run.outputs.map((o: { name: string; status: string; text: string }) => [o.name, o.status, o.text]),
      [
        ['topic', 'succeeded', 'lighthouses'],
        ['draft', 'succeeded', 'You said: Write about lighthouses'],
        ['summary', 'succeeded', 'Summarize: You said: Write about lighthouses'.replace(/^/, 'You said: ')],
      ],
    );
    const draft = run.outputs[1];
    assert.equal(draft.modelId, MODEL);
    // "Write about lighthouses" is 3 words in, "You said: Write about lighthouses" 5 out, at $0.001 / $0.002 per 1K.
    assert.deepEqual(draft.usage, { inputTokens: 3, outputTokens: 5, totalTokens: 8 });
    assert.ok(Math.abs(draft.costUsd - (3 * 0.001 + 5 * 0.002) / 1000) < 1e-12, String(draft.costUsd));
    assert.ok(Math.abs(run.costUsd - (draft.costUsd + run.outputs[2].costUsd)) < 1e-12);
    assert.equal(run.usage.totalTokens, draft.usage.totalTokens + run.outputs[2].usage.totalTokens);
    // Each generation widget is one metered invocation.
    assert.equal(await usageRequests(), before + 2);
  });

  test('run inputs are checked: unknown names, missing values and bad bodies', async () => {
    const id = (await admin('POST', '/quarry/apps', twoWidgets)).body.app.appId;
    const before = await usageRequests();
    expectInvalid(await admin('POST', `/quarry/apps/${id}/run`, { inputs: {} }), /Input "topic" needs a value/);
    expectInvalid(await admin('POST', `/quarry/apps/${id}/run`, { inputs: { topic: 'x', draft: 'y' } }), /no input named "draft" \(its inputs: topic\)/);
    expectInvalid(await admin('POST', `/quarry/apps/${id}/run`, { inputs: { topic: 5 } }), /inputs/);
    expectInvalid(await admin('POST', `/quarry/apps/${id}/run`, { inputs: { topic: 'x' }, extra: true }), /extra/);
    expectInvalid(await admin('POST', `/quarry/apps/${id}/run-stream`, { inputs: {} }), /needs a value/);
    assert.equal(await usageRequests(), before, 'no model was called');
  });

  test('a widget whose model fails is reported, and what uses it is skipped', async () => {
    const app = {
      name: 'broken',
      widgets: [
        { type: 'input', name: 'topic' },
        { type: 'generation', name: 'bad', prompt: '{{topic}} __error:ModelErrorException', modelId: MODEL },
        { type: 'generation', name: 'after', prompt: 'Then {{bad}}', modelId: MODEL },
        { type: 'generation', name: 'fine', prompt: 'Alone {{topic}}', modelId: MODEL },
        { type: 'generation', name: 'missing', prompt: 'x', modelId: 'nobody.nothing-v1:0' },
      ],
    };
    const id = (await admin('POST', '/quarry/apps', app)).body.app.appId;
    const r = await admin('POST', `/quarry/apps/${id}/run`, { inputs: { topic: 'owls' } });
    assert.equal(r.status, 200);
    const by = Object.fromEntries(r.body.run.outputs.map((o: { name: string }) => [o.name, o]));
    assert.equal(r.body.run.status, 'failed');
    assert.equal(by.bad.status, 'failed');
    assert.equal(by.bad.error.code, 'ModelErrorException');
    assert.equal(by.after.status, 'skipped');
    assert.match(by.after.error.message, /"bad", which did not succeed/);
    assert.equal(by.fine.text, 'You said: Alone owls');
    assert.equal(by.missing.status, 'failed');
    assert.equal(by.missing.error.code, 'ResourceNotFoundException');
  });

  test('the streamed run sends each widget as it is written, then the whole run', async () => {
    const id = (await admin('POST', '/quarry/apps', twoWidgets)).body.app.appId;
    const res = await fetch(`${server.url}/quarry/apps/${id}/run-stream`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: { topic: 'tides' } }),
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    const events = (await res.text())
      .split('\n\n')
      .filter((b) => b.startsWith('data: '))
      .map((b) => JSON.parse(b.slice(6)));
    const text = (name: string) =>
      events
        .filter((e) => e.type === 'widgetDelta' && e.name === name)
        .map((e) => e.text)
        .join('');
    assert.equal(text('draft'), 'You said: Write about tides');
    assert.ok(events.filter((e) => e.type === 'widgetDelta' && e.name === 'draft').length > 1, 'the answer came in pieces');
    assert.equal(text('summary'), 'You said: Summarize: You said: Write about tides');
    // summary starts only once draft is done.
    const draftDone = events.findIndex((e) => e.type === 'widgetDone' && e.output.name === 'draft');
    const summaryStart = events.findIndex((e) => e.type === 'widgetStart' && e.name === 'summary');
    assert.ok(draftDone >= 0 && draftDone < summaryStart);
    const last = events.at(-1);
    assert.equal(last.type, 'runDone');
    assert.equal(last.run.status, 'succeeded');
    assert.equal(last.run.outputs[2].text, 'You said: Summarize: You said: Write about tides');
  });

  test('another account can neither see nor run nor change an app', async () => {
    const mine = (await admin('POST', '/quarry/apps', twoWidgets)).body.app.appId;
    const acct = await admin('POST', '/quarry/iam/accounts', { name: 'apps-tenant', adminUserName: 'owner' });
    assert.equal(acct.status, 201, JSON.stringify(acct.body));
    const tenant = acct.body.key.apiKey as string;
    const tenantApps = (await call(tenant, 'GET', '/quarry/apps')).body.apps as { appId: string }[];
    assert.equal(tenantApps.length, 0);
    for (const [method, path, body] of [
      ['GET', `/quarry/apps/${mine}`],
      ['PUT', `/quarry/apps/${mine}`, twoWidgets],
      ['DELETE', `/quarry/apps/${mine}`],
      ['POST', `/quarry/apps/${mine}/run`, { inputs: { topic: 'x' } }],
      ['POST', `/quarry/apps/${mine}/run-stream`, { inputs: { topic: 'x' } }],
    ] as const) {
      const r = await call(tenant, method, path, body);
      assert.equal(r.status, 404, `${method} ${path}: ${JSON.stringify(r.body)}`);
      assert.equal(r.errorType, 'ResourceNotFoundException');
    }
    // The tenant's own app is its own, and runs as the tenant (metered to its account).
    const theirs = (await call(tenant, 'POST', '/quarry/apps', { ...twoWidgets, name: 'Tenant app' })).body.app;
    assert.match(theirs.appArn, new RegExp(`:${acct.body.account.accountId}:app/`));
    assert.equal((await admin('GET', `/quarry/apps/${theirs.appId}`)).status, 404);
    assert.ok(!(await admin('GET', '/quarry/apps')).body.apps.some((a: { appId: string }) => a.appId === theirs.appId));
    const before = await usageRequests(tenant);
    assert.equal((await call(tenant, 'POST', `/quarry/apps/${theirs.appId}/run`, { inputs: { topic: 'x' } })).body.run.status, 'succeeded');
    assert.equal(await usageRequests(tenant), before + 2);
  });

  test('IAM decides: app actions per app, and the models a run calls as the caller', async () => {
    const id = (await admin('POST', '/quarry/apps', twoWidgets)).body.app.appId;
    assert.equal((await admin('POST', '/quarry/iam/users', { userName: 'builder' })).status, 201);
    const key = (await admin('POST', '/quarry/iam/users/builder/keys', {})).body.key.apiKey as string;
    const denied = await call(key, 'GET', '/quarry/apps');
    assert.equal(denied.status, 403);
    assert.equal(denied.errorType, 'AccessDeniedException');

    // Apps, but no model: the run is allowed and every model call in it is refused.
    await admin('POST', '/quarry/iam/policies', {
      policyName: 'apps-only',
      policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['quarry:GetApp', 'quarry:ListApps', 'quarry:RunApp'], Resource: '*' }] },
    });
    assert.equal((await admin('PUT', '/quarry/iam/users/builder/policies/apps-only')).status, 204);
    assert.equal((await call(key, 'GET', `/quarry/apps/${id}`)).status, 200);
    assert.equal((await call(key, 'POST', '/quarry/apps', twoWidgets)).status, 403, 'not allowed CreateApp');
    const run = (await call(key, 'POST', `/quarry/apps/${id}/run`, { inputs: { topic: 'x' } })).body.run;
    assert.equal(run.outputs[1].status, 'failed');
    assert.equal(run.outputs[1].error.code, 'AccessDeniedException');
    assert.match(run.outputs[1].error.message, /bedrock:InvokeModel/);
    assert.equal(run.outputs[2].status, 'skipped');
  });

  test("the app's guardrail checks every widget's call, as Converse's guardrailConfig does", async () => {
    const bedrock = new BedrockClient({ region: 'us-east-1', endpoint: server.url, credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY } });
    const { guardrailId } = await bedrock.send(
      new CreateGuardrailCommand({
        name: 'apps-guard',
        blockedInputMessaging: 'That topic is not allowed.',
        blockedOutputsMessaging: 'That answer was withheld.',
        wordPolicyConfig: { wordsConfig: [{ text: 'zebra' }] },
      }),
    );
    bedrock.destroy();
    const guarded = await admin('POST', '/quarry/apps', { ...twoWidgets, guardrail: { guardrailIdentifier: guardrailId, guardrailVersion: 'DRAFT' } });
    assert.equal(guarded.status, 201, JSON.stringify(guarded.body));
    assert.deepEqual(guarded.body.app.guardrail, { guardrailIdentifier: guardrailId, guardrailVersion: 'DRAFT' });
    const id = guarded.body.app.appId;
    const blocked = (await admin('POST', `/quarry/apps/${id}/run`, { inputs: { topic: 'a zebra' } })).body.run;
    assert.equal(blocked.outputs[1].text, 'That topic is not allowed.');
    assert.equal(blocked.outputs[1].guardrailAction, 'INTERVENED');
    const fine = (await admin('POST', `/quarry/apps/${id}/run`, { inputs: { topic: 'a horse' } })).body.run;
    assert.equal(fine.outputs[1].text, 'You said: Write about a horse');
    assert.equal(fine.outputs[1].guardrailAction, 'NONE');
    expectInvalid(await admin('POST', '/quarry/apps', { ...twoWidgets, guardrail: { guardrailIdentifier: guardrailId, guardrailVersion: 'latest' } }), /DRAFT or a version number/);
  });
});
