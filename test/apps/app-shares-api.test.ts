import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';
import { jsonCalls } from './json-calls.js';

/**
 * Share links and remixes over a real server with the scripted model: a link opens one app signed out and runs it as
 * the principal that made it (metered to that account); it grants nothing else; revoked or unknown links are refused
 * clearly; a link dies with the key that made it; remixing copies an app into the caller's own account.
 */
const MODEL = 'scripted.echo-v1:0';
let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server?.stop();
});

const { call, admin, anon } = jsonCalls(() => server.url);

const writer = {
  name: 'Lighthouse writer',
  description: 'Drafts a paragraph and then sums it up.',
  widgets: [
    { type: 'input', name: 'topic', label: 'Topic' },
    { type: 'generation', name: 'draft', prompt: 'Write about {{topic}}', modelId: MODEL },
    { type: 'generation', name: 'summary', prompt: 'Summarize: {{ draft }}', modelId: MODEL },
  ],
};

async function usageRequests(key = TEST_API_KEY): Promise<number> {
  await server.meter.flush();
  const r = await call(key, 'GET', '/quarry/usage?granularity=none');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.total.requests as number;
}

describe('app share links', () => {
  test('runs by link are in the audit trail: RunApp on the app, as the sharer, by share link, the token redacted; a refused run too', async () => {
    const id = (await admin('POST', '/quarry/apps', writer)).body.app.appId as string;
    const { token } = (await admin('POST', `/quarry/apps/${id}/shares`)).body.share;
    assert.equal((await anon('POST', `/quarry/shared-apps/${token}/run`, { inputs: { topic: 'audit' } })).status, 200);
    assert.equal((await anon('POST', `/quarry/shared-apps/${token}/run`, { inputs: { nope: 'x' } })).status, 400);
    assert.equal((await anon('GET', `/quarry/shared-apps/${token}`)).status, 200);

    await server.audit.flush();
    const r = await admin('GET', '/quarry/audit/events?action=quarry:RunApp&maxResults=1000');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const runs = (r.body.events as { eventName: string; resources: string[]; principal: { name: string; authMethod: string }; outcome: string; requestParameters?: Record<string, unknown> }[]).filter(
      (e) => e.principal.authMethod === 'share-link' && e.resources.some((arn) => arn.endsWith(`app/${id}`)),
    );
    assert.deepEqual(runs.map((e) => [e.eventName, e.outcome]).sort(), [
      ['RunApp', 'error'],
      ['RunApp', 'success'],
    ]);
    for (const e of runs) assert.ok(!JSON.stringify(e).includes(token), 'the link token, a credential, is not in the trail');
    // Viewing the app by link reads nothing of the sharer's and is not recorded, as other reads are not.
    assert.equal(runs.length, 2);
  });

  test('a link opens its app signed out, runs it as the sharer (metered to them), and is refused once revoked', async () => {
    const id = (await admin('POST', '/quarry/apps', writer)).body.app.appId as string;
    const made = await admin('POST', `/quarry/apps/${id}/shares`);
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const { token, shareId, path } = made.body.share;
    assert.match(token, /^qa_[A-Za-z0-9_-]{43}$/);
    assert.equal(path, `/console/shared/${token}`);

    const listed = await admin('GET', `/quarry/apps/${id}/shares`);
    assert.deepEqual(
      listed.body.shares.map((s: { shareId: string; token?: string }) => [s.shareId, s.token]),
      [[shareId, undefined]],
      'the token is shown once, never listed',
    );

    const view = await anon('GET', `/quarry/shared-apps/${token}`);
    assert.equal(view.status, 200, JSON.stringify(view.body));
    assert.equal(view.body.app.name, 'Lighthouse writer');
    assert.deepEqual(view.body.app.widgets, writer.widgets);
    assert.equal(view.body.app.appArn, undefined);

    const before = await usageRequests();
    const run = await anon('POST', `/quarry/shared-apps/${token}/run`, { inputs: { topic: 'fog' } });
    assert.equal(run.status, 200, JSON.stringify(run.body));
    assert.equal(run.body.run.status, 'succeeded');
    assert.equal(run.body.run.outputs[2].text, 'You said: Summarize: You said: Write about fog');
    assert.equal(await usageRequests(), before + 2, "the sharer's account is metered for the run");

    const streamed = await anon('POST', `/quarry/shared-apps/${token}/run-stream`, { inputs: { topic: 'tide' } });
    assert.equal(streamed.status, 200);
    assert.match(streamed.text, /"type":"runDone"/);

    const bad = await anon('POST', `/quarry/shared-apps/${token}/run`, { inputs: { nope: 'x' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.errorType, 'ValidationException');

    const revoked = await admin('DELETE', `/quarry/apps/${id}/shares/${shareId}`);
    assert.equal(revoked.status, 200);
    assert.ok(revoked.body.share.revokedAt);
    for (const [method, p, body] of [
      ['GET', `/quarry/shared-apps/${token}`],
      ['POST', `/quarry/shared-apps/${token}/run`, { inputs: { topic: 'x' } }],
      ['POST', `/quarry/shared-apps/${token}/run-stream`, { inputs: { topic: 'x' } }],
    ] as const) {
      const r = await anon(method, p, body);
      assert.equal(r.status, 403, `${method} ${p}`);
      assert.equal(r.errorType, 'AccessDeniedException');
      assert.match(r.body.message, /revoked/);
    }
    const unknown = await anon('GET', `/quarry/shared-apps/qa_${'A'.repeat(43)}`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.errorType, 'ResourceNotFoundException');
    assert.equal((await anon('GET', '/quarry/shared-apps/not-a-token')).status, 404);
  });

  test('a token opens nothing but its app: not the owner API, not the sharing API', async () => {
    const id = (await admin('POST', '/quarry/apps', writer)).body.app.appId as string;
    const { token } = (await admin('POST', `/quarry/apps/${id}/shares`)).body.share;
    for (const auth of [token, `Bearer ${token}`]) {
      const r = await call(auth, 'GET', `/quarry/apps/${id}`);
      assert.equal(r.status, 403, JSON.stringify(r.body));
    }
    assert.equal((await anon('GET', `/quarry/apps/${id}`)).status, 403);
    assert.equal((await anon('GET', `/quarry/apps/${id}/shares`)).status, 403);
    assert.equal((await anon('POST', `/quarry/shared-apps/${token}/remix`)).status, 403, 'remixing needs a signed-in caller');
    // Deleting the app revokes its links.
    assert.equal((await admin('DELETE', `/quarry/apps/${id}`)).status, 204);
    assert.equal((await anon('GET', `/quarry/shared-apps/${token}`)).status, 403);
  });

  test('a link runs only while its maker may run the app, and dies with the key that made it', async () => {
    const id = (await admin('POST', '/quarry/apps', writer)).body.app.appId as string;
    assert.equal((await admin('POST', '/quarry/iam/users', { userName: 'sharer' })).status, 201);
    const key = (await admin('POST', '/quarry/iam/users/sharer/keys', {})).body.key;
    await admin('POST', '/quarry/iam/policies', {
      policyName: 'share-apps',
      policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['quarry:CreateAppShare', 'quarry:RunApp', 'bedrock:InvokeModel'], Resource: '*' }] },
    });
    assert.equal((await admin('PUT', '/quarry/iam/users/sharer/policies/share-apps')).status, 204);
    const made = await call(key.apiKey, 'POST', `/quarry/apps/${id}/shares`);
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal(made.body.share.sharedBy, 'sharer');
    const token = made.body.share.token as string;
    assert.equal((await call(key.apiKey, 'GET', `/quarry/apps/${id}/shares`)).status, 403, 'not allowed ListAppShares');

    const run = await anon('POST', `/quarry/shared-apps/${token}/run`, { inputs: { topic: 'x' } });
    assert.equal(run.body.run?.status, 'succeeded', JSON.stringify(run.body));

    // Without RunApp the sharer's link cannot run either.
    await admin('POST', '/quarry/iam/policies', {
      policyName: 'no-run',
      policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'quarry:RunApp', Resource: '*' }] },
    });
    assert.equal((await admin('PUT', '/quarry/iam/users/sharer/policies/no-run')).status, 204);
    await new Promise((r) => setTimeout(r, 50));
    const denied = await anon('POST', `/quarry/shared-apps/${token}/run`, { inputs: { topic: 'x' } });
    assert.equal(denied.status, 403, JSON.stringify(denied.body));
    assert.match(denied.body.message, /quarry:RunApp/);
    assert.equal((await admin('DELETE', '/quarry/iam/users/sharer/policies/no-run')).status, 204);

    assert.equal((await admin('DELETE', `/quarry/iam/keys/${key.keyId}`)).status, 204);
    const dead = await anon('POST', `/quarry/shared-apps/${token}/run`, { inputs: { topic: 'x' } });
    assert.equal(dead.status, 403, JSON.stringify(dead.body));
    assert.match(dead.body.message, /key that made it/);
  });
});

describe('remix', () => {
  test("an app of one's own, or one opened by a link from another account, is copied as \"Remix of …\"", async () => {
    const id = (await admin('POST', '/quarry/apps', writer)).body.app.appId as string;
    const own = await admin('POST', `/quarry/apps/${id}/remix`);
    assert.equal(own.status, 201, JSON.stringify(own.body));
    assert.equal(own.body.app.name, 'Remix of Lighthouse writer');
    assert.notEqual(own.body.app.appId, id);
    assert.deepEqual(own.body.app.widgets, writer.widgets);

    const acct = await admin('POST', '/quarry/iam/accounts', { name: 'remixers', adminUserName: 'owner' });
    assert.equal(acct.status, 201, JSON.stringify(acct.body));
    const tenant = acct.body.key.apiKey as string;
    assert.equal((await call(tenant, 'POST', `/quarry/apps/${id}/remix`)).status, 404, "another account's app is not found by id");
    const { token } = (await admin('POST', `/quarry/apps/${id}/shares`)).body.share;
    const theirs = await call(tenant, 'POST', `/quarry/shared-apps/${token}/remix`);
    assert.equal(theirs.status, 201, JSON.stringify(theirs.body));
    assert.match(theirs.body.app.appArn, new RegExp(`:${acct.body.account.accountId}:app/`));
    const listed = (await call(tenant, 'GET', '/quarry/apps')).body.apps as { name: string }[];
    assert.deepEqual(
      listed.map((a) => a.name),
      ['Remix of Lighthouse writer'],
    );
  });
});
