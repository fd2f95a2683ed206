import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { embedMany, generateText, jsonSchema, Output, stepCountIs, streamText, tool } from 'ai';
import { startTestServer, TEST_ACCESS_KEY_ID, TEST_API_KEY, TEST_SECRET_ACCESS_KEY, type TestServer } from '../support/start-test-server.js';

const MODEL = 'scripted.echo-v1:0';
let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.stop());

/** The same weather tool for every provider; its result goes back to the model, which echoes it. */
const weather = tool({
  description: 'Weather for a city',
  inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }),
  execute: async ({ city }) => ({ city, tempC: 21 }),
});

async function collect(stream: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const t of stream) text += t;
  return text;
}

describe('Vercel AI SDK against a running server', () => {
  describe('@ai-sdk/openai-compatible', () => {
    const provider = () => createOpenAICompatible({ name: 'quarry', baseURL: `${server.url}/v1`, apiKey: TEST_API_KEY, includeUsage: true });

    test('generateText', async () => {
      const res = await generateText({ model: provider()(MODEL), prompt: 'hello there', maxOutputTokens: 50, maxRetries: 0 });
      assert.equal(res.text, 'You said: hello there');
      assert.equal(res.finishReason, 'stop');
      assert.equal(res.usage.inputTokens, 2);
      assert.equal(res.usage.outputTokens, 4);
    });

    test('streamText', async () => {
      const res = streamText({ model: provider()(MODEL), prompt: 'stream me', maxRetries: 0 });
      assert.equal(await collect(res.textStream), 'You said: stream me');
      assert.equal(await res.finishReason, 'stop');
      assert.equal((await res.usage).outputTokens, 4);
    });

    test('a tool call run to the final answer', async () => {
      const res = await generateText({
        model: provider()(MODEL),
        prompt: 'use get_weather for Paris',
        tools: { get_weather: weather },
        stopWhen: stepCountIs(3),
        maxRetries: 0,
      });
      assert.equal(res.steps.length, 2);
      assert.deepEqual(res.steps[0]!.toolCalls.map((c) => [c.toolName, c.input]), [['get_weather', { city: 'Paris' }]]);
      assert.equal(res.text, 'The tool returned: {"city":"Paris","tempC":21}');
    });

    test('embeddings', async () => {
      const res = await embedMany({ model: provider().textEmbeddingModel('scripted.embed-v1:0'), values: ['a b', 'c'], maxRetries: 0 });
      assert.equal(res.embeddings.length, 2);
      assert.equal(res.embeddings[0]!.length, 8);
    });

    test('an error surfaces with the server message', async () => {
      await assert.rejects(generateText({ model: provider()('nope.missing-v1'), prompt: 'x', maxRetries: 0 }), /nope\.missing-v1/);
    });
  });

  describe('@ai-sdk/openai (its default model speaks the Responses API)', () => {
    // Every call the provider makes is recorded, so the tests can tell which API and items it used.
    const requests: { url: string; body: Record<string, unknown> }[] = [];
    const provider = () =>
      createOpenAI({
        baseURL: `${server.url}/v1`,
        apiKey: TEST_API_KEY,
        fetch: async (url, init) => {
          requests.push({ url: String(url), body: JSON.parse(String(init?.body ?? '{}')) as Record<string, unknown> });
          return fetch(url, init);
        },
      });

    test('generateText', async () => {
      const res = await generateText({ model: provider()(MODEL), system: 'Be brief.', prompt: 'hello there', maxOutputTokens: 50, maxRetries: 0 });
      assert.match(requests.at(-1)!.url, /\/v1\/responses$/);
      assert.equal(res.text, 'You said: hello there');
      assert.equal(res.finishReason, 'stop');
      assert.equal(res.usage.inputTokens, 4);
      assert.equal(res.usage.outputTokens, 4);
      assert.match(String(res.providerMetadata?.openai?.responseId), /^resp_/);
    });

    test('streamText', async () => {
      const res = streamText({ model: provider()(MODEL), prompt: 'stream me', maxRetries: 0 });
      assert.equal(await collect(res.textStream), 'You said: stream me');
      assert.equal(await res.finishReason, 'stop');
      assert.equal((await res.usage).inputTokens, 2);
      assert.equal((await res.usage).outputTokens, 4);
    });

    test('a tool call run to the final answer (function_call and function_call_output items)', async () => {
      const res = await generateText({
        model: provider()(MODEL),
        prompt: 'use get_weather for Paris',
        tools: { get_weather: weather },
        stopWhen: stepCountIs(3),
        maxRetries: 0,
      });
      assert.equal(res.steps.length, 2);
      assert.deepEqual(res.steps[0]!.toolCalls.map((c) => [c.toolName, c.input]), [['get_weather', { city: 'Paris' }]]);
      assert.equal(res.text, 'The tool returned: {"city":"Paris","tempC":21}');
      const items = requests.at(-1)!.body.input as { type?: string }[];
      assert.deepEqual(
        items.map((i) => i.type ?? 'message'),
        ['message', 'function_call', 'function_call_output'],
      );
    });

    test('streamText through a tool call', async () => {
      const res = streamText({ model: provider()(MODEL), prompt: 'use get_weather for Rome', tools: { get_weather: weather }, stopWhen: stepCountIs(3), maxRetries: 0 });
      assert.equal(await collect(res.textStream), 'The tool returned: {"city":"Rome","tempC":21}');
      assert.equal((await res.steps).length, 2);
    });

    test('a conversation: earlier answers go back as item references, or the turn continues previousResponseId', async () => {
      const first = await generateText({ model: provider()(MODEL), prompt: 'my name is Ada', maxRetries: 0 });
      const second = await generateText({
        model: provider()(MODEL),
        messages: [{ role: 'user', content: 'my name is Ada' }, ...first.response.messages, { role: 'user', content: 'what is my name' }],
        maxRetries: 0,
      });
      const sent = requests.at(-1)!.body.input as { type?: string }[];
      assert.deepEqual(
        sent.map((i) => i.type ?? 'message'),
        ['message', 'item_reference', 'message'],
      );
      assert.equal(second.text, 'You said: what is my name');
      // 4 words asked, the 6 of the stored answer the reference named, 4 asked now.
      assert.equal(second.usage.inputTokens, 14);

      const third = await generateText({
        model: provider()(MODEL),
        prompt: 'and again',
        providerOptions: { openai: { previousResponseId: second.providerMetadata?.openai?.responseId as string } },
        maxRetries: 0,
      });
      assert.equal(third.text, 'You said: and again');
      assert.equal(third.usage.inputTokens, 14 + 6 + 2);
    });

    test('structured output (text.format json_schema)', async () => {
      const res = await generateText({
        model: provider()(MODEL),
        prompt: 'describe Lisbon',
        output: Output.object({ schema: jsonSchema<{ name: string; population: number }>({ type: 'object', properties: { name: { type: 'string' }, population: { type: 'integer' } }, required: ['name', 'population'], additionalProperties: false }) }),
        maxRetries: 0,
      });
      assert.deepEqual(res.output, { name: 'Lisbon', population: 1 });
      assert.equal((requests.at(-1)!.body.text as { format: { type: string } }).format.type, 'json_schema');
    });

    test('an error surfaces with the server message', async () => {
      await assert.rejects(generateText({ model: provider()('nope.missing-v1'), prompt: 'x', maxRetries: 0 }), /nope\.missing-v1/);
      const failing = streamText({ model: provider()(MODEL), prompt: 'one two three __fail_after:2', maxRetries: 0, onError: () => {} });
      let error: unknown;
      for await (const part of failing.fullStream) if (part.type === 'error') error = part.error;
      assert.match(JSON.stringify(error), /after 2 words/);
    });
  });

  describe('@ai-sdk/amazon-bedrock', () => {
    const sigv4 = () =>
      createAmazonBedrock({ baseURL: server.url, region: 'us-east-1', accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY });
    const bearer = () => createAmazonBedrock({ baseURL: server.url, region: 'us-east-1', apiKey: TEST_API_KEY });

    for (const [name, make] of [
      ['sigv4', sigv4],
      ['api key', bearer],
    ] as const) {
      test(`generateText and streamText (${name})`, async () => {
        const res = await generateText({ model: make()(MODEL), prompt: 'hello there', maxOutputTokens: 50, maxRetries: 0 });
        assert.equal(res.text, 'You said: hello there');
        assert.equal(res.finishReason, 'stop');
        assert.equal(res.usage.inputTokens, 2);
        const stream = streamText({ model: make()(MODEL), prompt: 'stream me', maxRetries: 0 });
        assert.equal(await collect(stream.textStream), 'You said: stream me');
        assert.equal(await stream.finishReason, 'stop');
      });
    }

    test('a tool call run to the final answer', async () => {
      const res = await generateText({
        model: sigv4()(MODEL),
        prompt: 'use get_weather for Paris',
        tools: { get_weather: weather },
        stopWhen: stepCountIs(3),
        maxRetries: 0,
      });
      assert.deepEqual(res.steps[0]!.toolCalls.map((c) => [c.toolName, c.input]), [['get_weather', { city: 'Paris' }]]);
      assert.equal(res.text, 'The tool returned: {"city":"Paris","tempC":21}');
    });
  });
});
