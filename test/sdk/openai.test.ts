import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI, { APIError, AuthenticationError, BadRequestError, NotFoundError } from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { type TestServer, TEST_API_KEY, startTestServer } from '../support/start-test-server.js';

const MODEL = 'scripted.echo-v1:0';
const EMBED = 'scripted.embed-v1:0';
let server: TestServer;
let client: OpenAI;
before(async () => {
  server = await startTestServer();
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: TEST_API_KEY, maxRetries: 0 });
});
after(async () => server.stop());

const weatherTool: ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

describe('openai SDK against a running server', () => {
  test('chat completion', async () => {
    const res = await client.chat.completions.create({
      model: MODEL,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hello there' },
      ],
      max_tokens: 50,
      temperature: 1.2,
      user: 'someone',
      seed: 7,
    });
    assert.match(res.id, /^chatcmpl-/);
    assert.equal(res.object, 'chat.completion');
    assert.equal(res.model, MODEL);
    assert.ok(Number.isInteger(res.created));
    assert.equal(res.choices.length, 1);
    assert.equal(res.choices[0]!.message.role, 'assistant');
    assert.equal(res.choices[0]!.message.content, 'You said: hello there');
    assert.equal(res.choices[0]!.finish_reason, 'stop');
    // "Be brief." + "hello there" = 4 words in; "You said: hello there" = 4 words out.
    assert.equal(res.usage?.prompt_tokens, 4);
    assert.equal(res.usage?.completion_tokens, 4);
    assert.equal(res.usage?.total_tokens, 8);
    assert.equal(res.usage?.prompt_tokens_details?.cached_tokens, 0);
  });

  test('max_completion_tokens and stop map to length and stop', async () => {
    const cut = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'one two three four' }], max_completion_tokens: 2 });
    assert.equal(cut.choices[0]!.message.content, 'You said:');
    assert.equal(cut.choices[0]!.finish_reason, 'length');
    const stopped = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'alpha beta gamma' }], stop: 'beta' });
    assert.equal(stopped.choices[0]!.message.content, 'You said: alpha');
    assert.equal(stopped.choices[0]!.finish_reason, 'stop');
  });

  test('user content parts: text and a data-URL image', async () => {
    // A 1x1 transparent PNG.
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
    const res = await client.chat.completions.create({
      model: MODEL,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'describe' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
          ],
        },
      ],
    });
    assert.equal(res.choices[0]!.message.content, 'You said: describe');
    await assert.rejects(
      client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'http://169.254.169.254/x.png' } }] }] }),
      (e: unknown) => e instanceof BadRequestError && /does not fetch remote URLs/.test(e.message),
    );
  });

  test('stream with include_usage', async () => {
    const stream = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'stream me' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null | undefined;
    let usageChunks = 0;
    let ids = new Set<string>();
    for await (const chunk of stream) {
      ids.add(chunk.id);
      assert.equal(chunk.object, 'chat.completion.chunk');
      assert.equal(chunk.model, MODEL);
      if (chunk.usage) {
        usageChunks++;
        assert.deepEqual(chunk.choices, []);
        assert.equal(chunk.usage.prompt_tokens, 2);
        assert.equal(chunk.usage.completion_tokens, 4);
        assert.equal(chunk.usage.total_tokens, 6);
        continue;
      }
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    assert.equal(text, 'You said: stream me');
    assert.equal(finish, 'stop');
    assert.equal(usageChunks, 1);
    assert.equal(ids.size, 1);
    ids = new Set();

    // The helper that accumulates chunks agrees.
    const runner = client.chat.completions.stream({ model: MODEL, messages: [{ role: 'user', content: 'again please' }] });
    const final = await runner.finalChatCompletion();
    assert.equal(final.choices[0]!.message.content, 'You said: again please');
    assert.equal(final.choices[0]!.finish_reason, 'stop');
  });

  test('a tool round trip, plain and streamed', async () => {
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'use get_weather for Paris' }];
    const first = await client.chat.completions.create({ model: MODEL, messages, tools: [weatherTool] });
    const choice = first.choices[0]!;
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.content, null);
    const call = choice.message.tool_calls?.[0];
    assert.ok(call && call.type === 'function');
    assert.equal(call.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Paris' });

    messages.push(choice.message, { role: 'tool', tool_call_id: call.id, content: '{"tempC":21}' });
    const second = await client.chat.completions.create({ model: MODEL, messages, tools: [weatherTool] });
    assert.equal(second.choices[0]!.finish_reason, 'stop');
    assert.equal(second.choices[0]!.message.content, 'The tool returned: {"tempC":21}');

    // Streamed, the SDK's accumulator rebuilds the same call from the deltas.
    const runner = client.chat.completions.stream({ model: MODEL, messages: [{ role: 'user', content: 'use get_weather for Rome' }], tools: [weatherTool] });
    const final = await runner.finalChatCompletion();
    const streamed = final.choices[0]!.message.tool_calls?.[0];
    assert.equal(final.choices[0]!.finish_reason, 'tool_calls');
    assert.ok(streamed && streamed.type === 'function');
    assert.equal(streamed.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(streamed.function.arguments), { city: 'Rome' });

    // tool_choice "required" forces a call even when the prompt names no tool; "none" forbids one.
    const forced = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], tools: [weatherTool], tool_choice: 'required' });
    assert.equal(forced.choices[0]!.finish_reason, 'tool_calls');
    const none = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'use get_weather for Oslo' }],
      tools: [weatherTool],
      tool_choice: 'none',
    });
    assert.equal(none.choices[0]!.finish_reason, 'stop');
  });

  test('response_format json_schema', async () => {
    const res = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'describe Lisbon' }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'city',
          strict: true,
          schema: { type: 'object', properties: { name: { type: 'string' }, population: { type: 'integer' } }, required: ['name', 'population'] },
        },
      },
    });
    assert.deepEqual(JSON.parse(res.choices[0]!.message.content!), { name: 'Lisbon', population: 1 });
  });

  test('embeddings: float and the default base64 decode to the same vectors', async () => {
    const input = ['first text', 'second text'];
    const float = await client.embeddings.create({ model: EMBED, input, encoding_format: 'float' });
    const dflt = await client.embeddings.create({ model: EMBED, input });
    assert.equal(float.object, 'list');
    assert.equal(float.model, EMBED);
    assert.equal(float.data.length, 2);
    assert.deepEqual(
      float.data.map((d) => d.index),
      [0, 1],
    );
    assert.equal(float.data[0]!.embedding.length, 8);
    assert.deepEqual(
      dflt.data.map((d) => d.embedding),
      float.data.map((d) => d.embedding),
    );
    assert.notDeepEqual(float.data[0]!.embedding, float.data[1]!.embedding);
    assert.deepEqual(float.usage, { prompt_tokens: 4, total_tokens: 4 });

    const one = await client.embeddings.create({ model: EMBED, input: 'first text', dimensions: 4, encoding_format: 'float' });
    assert.equal(one.data[0]!.embedding.length, 4);

    await assert.rejects(client.embeddings.create({ model: EMBED, input: [[1, 2, 3]] }), (e: unknown) => e instanceof BadRequestError && /token-id/.test(e.message));
    await assert.rejects(client.embeddings.create({ model: MODEL, input: 'x' }), (e: unknown) => e instanceof BadRequestError && /text model/.test(e.message));
  });

  test('models list and retrieve', async () => {
    const ids: string[] = [];
    for await (const m of client.models.list()) {
      assert.equal(m.object, 'model');
      assert.equal(m.owned_by, 'scripted');
      ids.push(m.id);
    }
    assert.ok(ids.includes(MODEL) && ids.includes(EMBED));
    const m = await client.models.retrieve(MODEL);
    assert.equal(m.id, MODEL);
    assert.equal(m.owned_by, 'scripted');
    await assert.rejects(client.models.retrieve('nope.missing-v1'), (e: unknown) => e instanceof NotFoundError && e.status === 404);
  });

  test('errors arrive as the SDK error classes', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: 'nope.missing-v1', messages: [{ role: 'user', content: 'x' }] }),
      (e: unknown) => e instanceof NotFoundError && e.status === 404 && e.code === 'model_not_found' && /nope\.missing-v1/.test(e.message),
    );
    const wrong = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'qk-wrong', maxRetries: 0 });
    await assert.rejects(
      wrong.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }),
      (e: unknown) => e instanceof AuthenticationError && e.status === 401,
    );
    await assert.rejects(
      client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], n: 2 }),
      (e: unknown) => e instanceof BadRequestError && e.status === 400 && /\bn\b.*only n=1/.test(e.message),
    );
    await assert.rejects(
      client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], logprobs: true }),
      (e: unknown) => e instanceof BadRequestError && /logprobs/.test(e.message),
    );
    await assert.rejects(
      client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], bogus_field: 1 } as never),
      (e: unknown) => e instanceof BadRequestError && /Unrecognized request argument\(s\): bogus_field/.test(e.message),
    );
    await assert.rejects(
      client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: '__error:ThrottlingException' }] }),
      (e: unknown) => e instanceof APIError && e.status === 429,
    );
  });

  test('malformed JSON is a 400 in the OpenAI error shape', async () => {
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
      body: '{"model": "x", ',
    });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: { message: string; type: string; param: unknown; code: string } };
    assert.equal(body.error.type, 'invalid_request_error');
    assert.equal(body.error.param, null);
    assert.match(body.error.message, /not valid JSON/);
  });

  test('a failure mid-stream makes the SDK stream throw an APIError', async () => {
    const stream = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'one two three __fail_after:2' }], stream: true });
    let text = '';
    await assert.rejects(
      (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      })(),
      (e: unknown) => e instanceof APIError && /Scripted stream failure after 2 words/.test(e.message),
    );
    assert.equal(text, 'You said:');
  });

  test('raw SSE framing: data lines, [DONE], and an error event without [DONE]', async () => {
    const post = (content: string) =>
      fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: MODEL, stream: true, messages: [{ role: 'user', content }] }),
      });
    const ok = await post('hi');
    assert.match(ok.headers.get('content-type') ?? '', /^text\/event-stream/);
    const events = (await ok.text()).split('\n\n').filter(Boolean);
    assert.ok(events.every((e) => e.startsWith('data: ')));
    assert.equal(events.at(-1), 'data: [DONE]');
    const failed = (await (await post('a b c __fail_after:1')).text()).split('\n\n').filter(Boolean);
    const last = JSON.parse(failed.at(-1)!.slice(6)) as { error: { code: string } };
    assert.equal(last.error.code, 'ModelStreamErrorException');
    assert.ok(!failed.includes('data: [DONE]'));
  });
});
