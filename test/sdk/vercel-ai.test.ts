import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { embedMany, generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import { type TestServer, TEST_ACCESS_KEY_ID, TEST_API_KEY, TEST_SECRET_ACCESS_KEY, startTestServer } from '../support/start-test-server.js';

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
