import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { startTestServer, type TestServer } from '../support/start-test-server.js';
import { jsonCalls } from './json-calls.js';

/**
 * Image widgets over a real server: the scripted image model draws a PNG for the rendered prompt, billed by the image
 * in the run's cost; the run with its image is frozen as a snapshot and read signed out, and a share link's run draws
 * one too; a text model in an image
 * widget, a prompt using an image, a malformed size and a kept image are refused or failed with what is wrong.
 */
const TEXT = 'scripted.echo-v1:0';
const IMAGE = 'scripted.image-v1:0';
let server: TestServer;
before(async () => {
  server = await startTestServer(`models:
  - { id: "${TEXT}", provider: scripted, upstreamModel: echo, pricing: { inputPer1k: 0.001, outputPer1k: 0.002 } }
  - { id: "${IMAGE}", provider: scripted, kind: image, upstreamModel: image, pricing: { imagePerImage: 0.02 } }
`);
});
after(async () => {
  await server?.stop();
});

const { call, admin } = jsonCalls(() => server.url);

const app = {
  name: 'Poster',
  widgets: [
    { type: 'input', name: 'topic' },
    { type: 'generation', name: 'title', prompt: 'Title for {{topic}}', modelId: TEXT },
    { type: 'image', name: 'poster', label: 'The poster', prompt: 'A poster of {{title}}', negativePrompt: 'text', size: '64x32', modelId: IMAGE },
  ],
};

test('an image widget draws after the text it uses; the run costs its image and snapshots with it', async () => {
  const made = await admin('POST', '/quarry/apps', app);
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const id = made.body.app.appId as string;
  const run = (await admin('POST', `/quarry/apps/${id}/run`, { inputs: { topic: 'snow' } })).body.run;
  assert.equal(run.status, 'succeeded', JSON.stringify(run));
  const [, title, poster] = run.outputs;
  assert.equal(poster.type, 'image');
  assert.equal(poster.images, 1);
  assert.equal(poster.image.mediaType, 'image/png');
  const meta = await sharp(Buffer.from(poster.image.base64, 'base64')).metadata();
  assert.equal(meta.format, 'png');
  assert.ok(Math.abs(poster.costUsd - 0.02) < 1e-12, `one image at 0.02, got ${poster.costUsd}`);
  assert.ok(Math.abs(run.costUsd - (title.costUsd + 0.02)) < 1e-12);
  assert.ok(title.costUsd > 0);

  const snap = await admin('POST', `/quarry/apps/${id}/snapshots`, { runId: run.runId });
  assert.equal(snap.status, 201, JSON.stringify(snap.body));
  const seen = await call(undefined, 'GET', `/quarry/app-snapshots/${snap.body.snapshot.token}`);
  assert.equal(seen.status, 200);
  assert.deepEqual(seen.body.snapshot.run.outputs[2].image, poster.image);

  // A share link's visitor gets the image too (the link may invoke the app's models, image models included).
  const { token } = (await admin('POST', `/quarry/apps/${id}/shares`)).body.share;
  const shared = (await call(undefined, 'POST', `/quarry/shared-apps/${token}/run`, { inputs: { topic: 'rain' } })).body.run;
  assert.equal(shared.status, 'succeeded', JSON.stringify(shared));
  assert.equal(shared.outputs[2].image.mediaType, 'image/png');
  assert.notEqual(shared.outputs[2].image.base64, poster.image.base64, 'another prompt, another image');

  const kept = await admin('POST', `/quarry/apps/${id}/run`, { inputs: { topic: 'snow' }, reuse: { poster: 'x' } });
  assert.equal(kept.status, 400);
  assert.match(kept.body.message, /"poster" is an image widget, which runs again on every run/);
});

test('a text model fails the image widget with the runtime\'s error; bad image widgets are refused on save', async () => {
  const wrong = { ...app, widgets: [app.widgets[0], { type: 'image', name: 'pic', prompt: '{{topic}}', modelId: TEXT }] };
  const id = (await admin('POST', '/quarry/apps', wrong)).body.app.appId as string;
  const run = (await admin('POST', `/quarry/apps/${id}/run`, { inputs: { topic: 'x' } })).body.run;
  assert.equal(run.status, 'failed');
  assert.equal(run.outputs[1].error.code, 'ValidationException');
  assert.match(run.outputs[1].error.message, /is a text model and does not generate images/);

  const uses = await admin('POST', '/quarry/apps', { ...app, widgets: [...app.widgets, { type: 'generation', name: 'alt', prompt: 'Describe {{poster}}', modelId: TEXT }] });
  assert.equal(uses.status, 400);
  assert.equal(uses.errorType, 'ValidationException');
  assert.match(uses.body.message, /refers to \{\{poster\}\}, an image/);
  const size = await admin('POST', '/quarry/apps', { ...app, widgets: [app.widgets[0], { type: 'image', name: 'p', prompt: 'x', modelId: IMAGE, size: 'big' }] });
  assert.equal(size.status, 400);
  assert.match(size.body.message, /WIDTHxHEIGHT/);
});
