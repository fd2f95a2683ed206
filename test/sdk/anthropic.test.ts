import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic, { APIError, AuthenticationError, BadRequestError, NotFoundError } from '@anthropic-ai/sdk';
import type { MessageParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import { type TestServer, TEST_API_KEY, startTestServer } from '../support/start-test-server.js';

const MODEL = 'scripted.echo-v1:0';
let server: TestServer;
let client: Anthropic;
before(async () => {
  server = await startTestServer();
  client = new Anthropic({ baseURL: server.url, apiKey: TEST_API_KEY, maxRetries: 0 });
});
after(async () => server.stop());

const weatherTool: Tool = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('@anthropic-ai/sdk against a running server', () => {
  test('messages.create', async () => {
    const msg = await client.messages.create({
      model: MODEL,
      max_tokens: 50,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'hello there' }],
      metadata: { user_id: 'u-1' },
    });
    assert.match(msg.id, /^msg_/);
    assert.equal(msg.type, 'message');
    assert.equal(msg.role, 'assistant');
    assert.equal(msg.model, MODEL);
    assert.deepEqual(msg.content, [{ type: 'text', text: 'You said: hello there', citations: null }]);
    assert.equal(msg.stop_reason, 'end_turn');
    assert.equal(msg.stop_sequence, null);
    assert.equal(msg.usage.input_tokens, 4);
    assert.equal(msg.usage.output_tokens, 4);
    assert.equal(msg.usage.cache_read_input_tokens, 0);
  });

  test('max_tokens and stop_sequences', async () => {
    const cut = await client.messages.create({ model: MODEL, max_tokens: 2, messages: [{ role: 'user', content: 'one two three' }] });
    assert.equal(cut.stop_reason, 'max_tokens');
    const stopped = await client.messages.create({ model: MODEL, max_tokens: 50, stop_sequences: ['beta'], messages: [{ role: 'user', content: 'alpha beta' }] });
    assert.equal(stopped.stop_reason, 'stop_sequence');
    assert.equal(stopped.stop_sequence, 'beta');
    assert.deepEqual(stopped.content, [{ type: 'text', text: 'You said: alpha', citations: null }]);
  });

  test('image and document blocks', async () => {
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
    const msg = await client.messages.create({
      model: MODEL,
      max_tokens: 50,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'The sky is green.' }, title: 'facts' },
            { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: Buffer.from('%PDF-1.4').toString('base64') } },
            { type: 'text', text: 'summarise', cache_control: { type: 'ephemeral' } },
          ],
        },
      ],
    });
    assert.deepEqual(msg.content, [{ type: 'text', text: 'You said: summarise', citations: null }]);
    await assert.rejects(
      client.messages.create({
        model: MODEL,
        max_tokens: 10,
        messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'http://169.254.169.254/x.png' } }] }],
      }),
      (e: unknown) => e instanceof BadRequestError && /does not fetch URLs/.test(e.message),
    );
  });

  test('stream: text deltas and the final message with usage', async () => {
    const stream = client.messages.stream({ model: MODEL, max_tokens: 50, messages: [{ role: 'user', content: 'stream me' }] });
    let text = '';
    const events: string[] = [];
    stream.on('text', (t) => {
      text += t;
    });
    stream.on('streamEvent', (e) => {
      events.push(e.type);
    });
    const final = await stream.finalMessage();
    assert.equal(text, 'You said: stream me');
    assert.equal(events[0], 'message_start');
    assert.deepEqual(events.slice(1, 3), ['content_block_start', 'content_block_delta']);
    assert.deepEqual(events.slice(-3), ['content_block_stop', 'message_delta', 'message_stop']);
    assert.deepEqual(final.content, [{ type: 'text', text: 'You said: stream me' }]);
    assert.equal(final.stop_reason, 'end_turn');
    assert.equal(final.usage.input_tokens, 2);
    assert.equal(final.usage.output_tokens, 4);

    // The raw iterator (stream: true) yields the same event sequence.
    const raw = await client.messages.create({ model: MODEL, max_tokens: 50, messages: [{ role: 'user', content: 'raw' }], stream: true });
    const types: string[] = [];
    for await (const ev of raw) types.push(ev.type);
    // "You said: raw" is three words, so three deltas.
    assert.deepEqual(types, [
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });

  test('a tool-use round trip, plain and streamed', async () => {
    const messages: MessageParam[] = [{ role: 'user', content: 'use get_weather for Paris' }];
    const first = await client.messages.create({ model: MODEL, max_tokens: 100, messages, tools: [weatherTool] });
    assert.equal(first.stop_reason, 'tool_use');
    const toolUse = first.content.find((b) => b.type === 'tool_use');
    assert.ok(toolUse && toolUse.type === 'tool_use');
    assert.equal(toolUse.name, 'get_weather');
    assert.deepEqual(toolUse.input, { city: 'Paris' });

    messages.push({ role: 'assistant', content: first.content });
    messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: '{"tempC":21}' }] });
    const second = await client.messages.create({ model: MODEL, max_tokens: 100, messages, tools: [weatherTool] });
    assert.equal(second.stop_reason, 'end_turn');
    assert.deepEqual(second.content, [{ type: 'text', text: 'The tool returned: {"tempC":21}', citations: null }]);

    const stream = client.messages.stream({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'use get_weather for Rome' }], tools: [weatherTool] });
    const jsonDeltas: string[] = [];
    stream.on('inputJson', (delta) => {
      jsonDeltas.push(delta);
    });
    const final = await stream.finalMessage();
    assert.equal(final.stop_reason, 'tool_use');
    const streamed = final.content[0];
    assert.ok(streamed?.type === 'tool_use');
    assert.deepEqual(streamed.input, { city: 'Rome' });
    assert.equal(jsonDeltas.join(''), '{"city":"Rome"}');

    // tool_choice any forces a call; none forbids one.
    const forced = await client.messages.create({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'hi' }], tools: [weatherTool], tool_choice: { type: 'any' } });
    assert.equal(forced.stop_reason, 'tool_use');
    const none = await client.messages.create({
      model: MODEL,
      max_tokens: 100,
      messages: [{ role: 'user', content: 'use get_weather for Oslo' }],
      tools: [weatherTool],
      tool_choice: { type: 'none' },
    });
    assert.equal(none.stop_reason, 'end_turn');
  });

  test('count_tokens', async () => {
    const count = await client.messages.countTokens({ model: MODEL, system: 'be brief', messages: [{ role: 'user', content: 'one two three' }] });
    assert.equal(count.input_tokens, 5);
  });

  test('models list and retrieve answer in Anthropic shape', async () => {
    const ids: string[] = [];
    for await (const m of client.models.list()) {
      assert.equal(m.type, 'model');
      ids.push(m.id);
    }
    assert.ok(ids.includes(MODEL));
    const m = await client.models.retrieve(MODEL);
    assert.equal(m.display_name, 'Scripted echo');
  });

  test('errors arrive as the SDK error classes', async () => {
    await assert.rejects(
      client.messages.create({ model: 'nope.missing-v1', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }),
      (e: unknown) => e instanceof NotFoundError && e.status === 404 && (e.error as { error?: { type?: string } }).error?.type === 'not_found_error',
    );
    const wrong = new Anthropic({ baseURL: server.url, apiKey: 'qk-wrong', maxRetries: 0 });
    await assert.rejects(wrong.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }), (e: unknown) => e instanceof AuthenticationError);
    await assert.rejects(
      client.messages.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] } as never),
      (e: unknown) => e instanceof BadRequestError && /max_tokens/.test(e.message),
    );
    await assert.rejects(
      client.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'search_result', source: 's', title: 't', content: [] }] }] }),
      (e: unknown) => e instanceof BadRequestError && /messages\.0\.content\.0\.type/.test(e.message),
    );
    await assert.rejects(
      client.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'web_search_20250305', name: 'web_search' }] }),
      (e: unknown) => e instanceof BadRequestError && /server tool \W+web_search_20250305\W+ is not supported/.test(e.message),
    );
    await assert.rejects(
      client.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: '__error:ServiceUnavailableException' }] }),
      (e: unknown) => e instanceof APIError && e.status === 529,
    );
  });

  test('a failure mid-stream is an error event the SDK raises', async () => {
    const stream = client.messages.stream({ model: MODEL, max_tokens: 50, messages: [{ role: 'user', content: 'one two three __fail_after:2' }] });
    let text = '';
    stream.on('text', (t) => {
      text += t;
    });
    await assert.rejects(stream.finalMessage(), (e: unknown) => e instanceof APIError && /Scripted stream failure after 2 words/.test(e.message));
    assert.equal(text, 'You said:');
  });
});
