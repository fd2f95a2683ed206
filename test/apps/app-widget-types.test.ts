import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';

/** Widget types beyond input and generation, over a real server with the scripted model ("You said: <prompt>"). */
const MODEL = 'scripted.echo-v1:0';
let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server?.stop();
});

// biome-ignore lint/suspicious/noExplicitAny: JSON replies of many shapes, read field by field and asserted on.
async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TEST_API_KEY}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

test('static text is shown and used by prompts as {{name}}, in the run as a text output', async () => {
  const created = await admin('POST', '/quarry/apps', {
    name: 'Styled',
    widgets: [
      { type: 'text', name: 'style', label: 'House style', text: 'Answer in one line.' },
      { type: 'input', name: 'q' },
      { type: 'generation', name: 'a', prompt: '{{style}} {{q}}', modelId: MODEL },
    ],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const run = (await admin('POST', `/quarry/apps/${created.body.app.appId}/run`, { inputs: { q: 'Why?' } })).body.run;
  assert.deepEqual(
    run.outputs.map((o: { name: string; type: string; text: string }) => [o.name, o.type, o.text]),
    [
      ['style', 'text', 'Answer in one line.'],
      ['q', 'input', 'Why?'],
      ['a', 'generation', 'You said: Answer in one line. Why?'],
    ],
  );
  const refused = await admin('POST', `/quarry/apps/${created.body.app.appId}/run`, { inputs: { style: 'other' } });
  assert.equal(refused.status, 400, 'static text is not an input a caller may set');
  const empty = await admin('POST', '/quarry/apps', { name: 'x', widgets: [{ type: 'text', name: 't', text: '  ' }] });
  assert.equal(empty.status, 400);
  assert.match(empty.body.message, /the text is empty/);
});

test('a document widget takes a file whose extracted text prompts use as {{name}}; bad files are refused saying why', async () => {
  const created = await admin('POST', '/quarry/apps', {
    name: 'Summarizer',
    widgets: [
      { type: 'document', name: 'doc', label: 'Document' },
      { type: 'generation', name: 'sum', prompt: 'Sum up: {{doc}}', modelId: MODEL },
    ],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.app.appId as string;
  const html = '<html><head><title>T</title><script>alert(1)</script></head><body><p>Tides <b>rise</b> twice a day.</p></body></html>';
  const file = { fileName: 'tides.html', contentType: 'text/html', base64: Buffer.from(html).toString('base64') };
  const run = await admin('POST', `/quarry/apps/${id}/run`, { documents: { doc: file } });
  assert.equal(run.status, 200, JSON.stringify(run.body));
  const [doc, sum] = run.body.run.outputs;
  assert.equal(doc.type, 'document');
  assert.match(doc.text, /Tides rise twice a day\./);
  assert.doesNotMatch(doc.text, /alert|<p>/);
  assert.match(sum.text, /^You said: Sum up: [\s\S]*Tides rise twice a day\./);

  // API callers may send the text itself instead of a file.
  const asText = await admin('POST', `/quarry/apps/${id}/run`, { inputs: { doc: 'plain' } });
  assert.equal(asText.body.run.outputs[1].text, 'You said: Sum up: plain');

  for (const [body, pattern] of [
    [{}, /"doc" needs a value/],
    [{ documents: { other: file } }, /no document widget named "other"/],
    [{ documents: { doc: file }, inputs: { doc: 'x' } }, /both as a file and as text/],
    [{ documents: { doc: { ...file, fileName: 'x.exe', contentType: 'application/x-msdownload' } } }, /Cannot parse x\.exe/],
    [{ documents: { doc: { ...file, base64: '%%%' } } }, /not base64/],
  ] as const) {
    const r = await admin('POST', `/quarry/apps/${id}/run`, body);
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.match(r.body.message, pattern);
  }
});

test('a chatbot answers turn by turn (owner and share link alike), beside the run; prompts cannot use it as a value', async () => {
  const created = await admin('POST', '/quarry/apps', {
    name: 'Helpdesk',
    widgets: [
      { type: 'input', name: 'q' },
      { type: 'generation', name: 'a', prompt: 'Answer {{q}}', modelId: MODEL },
      { type: 'chatbot', name: 'bot', label: 'Ask more', modelId: MODEL, system: 'Be kind.' },
    ],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.app.appId as string;
  const run = (await admin('POST', `/quarry/apps/${id}/run`, { inputs: { q: 'x' } })).body.run;
  assert.deepEqual(
    run.outputs.map((o: { name: string }) => o.name),
    ['q', 'a'],
    'a chatbot is not part of the run',
  );

  const turn = await admin('POST', `/quarry/apps/${id}/chat/bot`, {
    messages: [
      { role: 'user', text: 'hi' },
      { role: 'assistant', text: 'hello' },
      { role: 'user', text: 'tell me more' },
    ],
  });
  assert.equal(turn.status, 200, JSON.stringify(turn.body));
  assert.equal(turn.body.message.role, 'assistant');
  assert.match(turn.body.message.text, /tell me more/);
  assert.ok(turn.body.usage.totalTokens > 0);
  assert.equal(typeof turn.body.costUsd, 'number');

  const { token } = (await admin('POST', `/quarry/apps/${id}/shares`)).body.share;
  const shared = await fetch(`${server.url}/quarry/shared-apps/${token}/chat/bot`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', text: 'from a visitor' }] }),
  });
  assert.equal(shared.status, 200);
  assert.match(((await shared.json()) as { message: { text: string } }).message.text, /from a visitor/);

  for (const [path, body, status, pattern] of [
    [`/quarry/apps/${id}/chat/a`, { messages: [{ role: 'user', text: 'x' }] }, 404, /no chatbot named "a"/],
    [`/quarry/apps/${id}/chat/bot`, { messages: [{ role: 'assistant', text: 'x' }] }, 400, /the last message must be the user's/],
    [`/quarry/apps/${id}/chat/bot`, { messages: [] }, 400, /messages/],
  ] as const) {
    const r = await admin('POST', path, body);
    assert.equal(r.status, status, JSON.stringify(r.body));
    assert.match(r.body.message, pattern);
  }
  const refs = await admin('POST', '/quarry/apps', {
    name: 'bad',
    widgets: [
      { type: 'chatbot', name: 'bot', modelId: MODEL },
      { type: 'generation', name: 'g', prompt: 'Use {{bot}}', modelId: MODEL },
    ],
  });
  assert.equal(refs.status, 400);
  assert.match(refs.body.message, /\{\{bot\}\}, a chatbot/);
});

test('an app is drafted from a one-line description by a text model (not saved), and a model that cannot is a clear error', async () => {
  const r = await admin('POST', '/quarry/apps/draft', { description: 'Write a limerick about a topic', modelId: MODEL });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  // The scripted model fills the schema with the description's last word.
  assert.deepEqual(r.body.draft.widgets, [{ type: 'input', name: 'topic', label: 'topic' }]);
  assert.equal(r.body.draft.name, 'topic');
  assert.equal((await admin('GET', '/quarry/apps')).body.apps.filter((a: { name: string }) => a.name === 'topic').length, 0, 'a draft is not saved');

  const bad = await admin('POST', '/quarry/apps/draft', { description: 'Make poems!', modelId: MODEL });
  assert.equal(bad.status, 424, JSON.stringify(bad.body));
  assert.match(bad.body.message, /could not draft a valid app/);
  const invalid = await admin('POST', '/quarry/apps/draft', { description: '', modelId: MODEL });
  assert.equal(invalid.status, 400);
});

test("a grounded chatbot searches its knowledge base as the caller: bedrock:Retrieve is checked, and a missing base is named", async () => {
  const id = (
    await admin('POST', '/quarry/apps', {
      name: 'Grounded',
      widgets: [{ type: 'chatbot', name: 'bot', modelId: MODEL, knowledgeBaseId: 'KB00000001' }],
    })
  ).body.app.appId as string;
  const turn = { messages: [{ role: 'user', text: 'where is the offsite?' }] };
  const missing = await admin('POST', `/quarry/apps/${id}/chat/bot`, turn);
  assert.equal(missing.status, 404, JSON.stringify(missing.body));
  assert.match(missing.body.message, /KB00000001/);

  assert.equal((await admin('POST', '/quarry/iam/users', { userName: 'chatter' })).status, 201);
  const key = (await admin('POST', '/quarry/iam/users/chatter/keys', {})).body.key.apiKey as string;
  await admin('POST', '/quarry/iam/policies', {
    policyName: 'chat-no-retrieve',
    policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['quarry:RunApp', 'bedrock:InvokeModel'], Resource: '*' }] },
  });
  assert.equal((await admin('PUT', '/quarry/iam/users/chatter/policies/chat-no-retrieve')).status, 204);
  const res = await fetch(`${server.url}/quarry/apps/${id}/chat/bot`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(turn),
  });
  assert.equal(res.status, 403);
  assert.match(((await res.json()) as { message: string }).message, /bedrock:Retrieve/);
});
