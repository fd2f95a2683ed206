import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';
import { jsonCalls } from './json-calls.js';

/**
 * Snapshots over a real server with the scripted model: a run the server kept (its runId in the answer) is frozen with
 * the app as it was, read signed out by link, unchanged by later edits; a run id the server never made is refused;
 * deleting the snapshot kills its link; share-link runs are not kept.
 */
const MODEL = 'scripted.echo-v1:0';
let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server?.stop();
});

// biome-ignore lint/suspicious/noExplicitAny: JSON replies of many shapes, read field by field and asserted on.
const { call, admin } = jsonCalls(() => server.url);

const app = {
  name: 'Haiku',
  widgets: [
    { type: 'input', name: 'topic' },
    { type: 'generation', name: 'poem', prompt: 'Haiku on {{topic}}', modelId: MODEL },
  ],
};

test('a kept run is frozen as a snapshot, readable signed out by link until deleted', async () => {
  const id = (await admin('POST', '/quarry/apps', app)).body.app.appId as string;
  const run = (await admin('POST', `/quarry/apps/${id}/run`, { inputs: { topic: 'snow' } })).body.run;
  assert.match(run.runId, /^[0-9A-Z]{10}$/);
  const streamed = await fetch(`${server.url}/quarry/apps/${id}/run-stream`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ inputs: { topic: 'rain' } }),
  });
  assert.match(await streamed.text(), /"type":"runDone","run":\{[\s\S]*"runId":"[0-9A-Z]{10}"/);

  const made = await admin('POST', `/quarry/apps/${id}/snapshots`, { runId: run.runId });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const { token, path, snapshotId } = made.body.snapshot;
  assert.match(token, /^qs_[A-Za-z0-9_-]{43}$/);
  assert.equal(path, `/console/snapshots/${token}`);
  assert.equal(made.body.snapshot.costUsd, run.costUsd);

  // Editing the app later does not change what the snapshot shows.
  await admin('PUT', `/quarry/apps/${id}`, { ...app, name: 'Renamed' });
  const seen = await call(undefined, 'GET', `/quarry/app-snapshots/${token}`);
  assert.equal(seen.status, 200, JSON.stringify(seen.body));
  assert.equal(seen.body.snapshot.appName, 'Haiku');
  assert.deepEqual(seen.body.snapshot.widgets, app.widgets);
  assert.equal(seen.body.snapshot.run.outputs[0].text, 'snow');
  assert.equal(seen.body.snapshot.run.outputs[1].text, 'You said: Haiku on snow');
  assert.equal(seen.body.snapshot.run.costUsd, run.costUsd);
  assert.equal(seen.body.snapshot.run.runId, undefined);
  assert.equal(seen.body.snapshot.run.appId, undefined);

  const listed = await admin('GET', `/quarry/apps/${id}/snapshots`);
  assert.deepEqual(
    listed.body.snapshots.map((s: { snapshotId: string }) => s.snapshotId),
    [snapshotId],
  );
  assert.equal((await admin('DELETE', `/quarry/apps/${id}/snapshots/${snapshotId}`)).status, 204);
  const gone = await call(undefined, 'GET', `/quarry/app-snapshots/${token}`);
  assert.equal(gone.status, 404);
  assert.equal(gone.errorType, 'ResourceNotFoundException');
  assert.match(gone.body.message, /snapshot/);
});

test('only runs the server kept can be frozen: made-up ids, other apps\' runs and share-link runs are refused', async () => {
  const a = (await admin('POST', '/quarry/apps', app)).body.app.appId as string;
  const b = (await admin('POST', '/quarry/apps', app)).body.app.appId as string;
  const runOfB = (await admin('POST', `/quarry/apps/${b}/run`, { inputs: { topic: 'x' } })).body.run.runId;
  for (const runId of ['ZZZZZZZZZZ', runOfB]) {
    const r = await admin('POST', `/quarry/apps/${a}/snapshots`, { runId });
    assert.equal(r.status, 404, JSON.stringify(r.body));
  }
  const bad = await admin('POST', `/quarry/apps/${a}/snapshots`, { runId: 'x', outputs: [] });
  assert.equal(bad.status, 400);
  assert.equal(bad.errorType, 'ValidationException');

  const { token } = (await admin('POST', `/quarry/apps/${a}/shares`)).body.share;
  const shared = (await call(undefined, 'POST', `/quarry/shared-apps/${token}/run`, { inputs: { topic: 'x' } })).body.run;
  assert.equal(shared.status, 'succeeded');
  assert.equal(shared.runId, undefined, "a visitor's run is not kept in the owner's account");
});
