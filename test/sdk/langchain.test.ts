import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { ChatBedrockConverse } from '@langchain/aws';
import { type AIMessageChunk, HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';
import { type TestServer, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, startTestServer } from '../support/start-test-server.js';

const MODEL = 'scripted.echo-v1:0';
let server: TestServer;
let client: BedrockRuntimeClient;
before(async () => {
  server = await startTestServer();
  client = new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: server.url,
    credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY },
  });
});
after(async () => {
  client.destroy();
  await server.stop();
});

/**
 * The client is built here and handed in: ChatBedrockConverse's `endpointHost` always means https://, and it
 * overwrites `clientOptions.endpoint` with undefined when endpointHost is unset, so a plain-HTTP endpoint can only
 * arrive through `client`.
 */
const chat = (fields: Partial<ConstructorParameters<typeof ChatBedrockConverse>[0]> = {}) =>
  new ChatBedrockConverse({ model: MODEL, region: 'us-east-1', client, maxRetries: 0, ...fields });

describe('@langchain/aws ChatBedrockConverse against a running server', () => {
  test('invoke', async () => {
    const res = await chat({ maxTokens: 50 }).invoke([new SystemMessage('Be brief.'), new HumanMessage('hello there')]);
    assert.equal(res.content, 'You said: hello there');
    assert.equal(res.response_metadata.stopReason, 'end_turn');
    assert.deepEqual(
      { input: res.usage_metadata?.input_tokens, output: res.usage_metadata?.output_tokens, total: res.usage_metadata?.total_tokens },
      { input: 4, output: 4, total: 8 },
    );
  });

  test('stream', async () => {
    let text = '';
    let last: AIMessageChunk | undefined;
    for await (const chunk of await chat().stream('stream me')) {
      text += typeof chunk.content === 'string' ? chunk.content : '';
      last = last ? last.concat(chunk) : chunk;
    }
    assert.equal(text, 'You said: stream me');
    assert.equal(last?.usage_metadata?.output_tokens, 4);
  });

  test('a tool call round trip', async () => {
    const model = chat().bindTools([
      {
        name: 'get_weather',
        description: 'Weather for a city',
        schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    ]);
    const first = await model.invoke([new HumanMessage('use get_weather for Paris')]);
    const call = first.tool_calls?.[0];
    assert.equal(call?.name, 'get_weather');
    assert.deepEqual(call?.args, { city: 'Paris' });
    const second = await model.invoke([
      new HumanMessage('use get_weather for Paris'),
      first,
      new ToolMessage({ tool_call_id: call!.id!, content: '{"tempC":21}' }),
    ]);
    assert.equal(second.content, 'The tool returned: {"tempC":21}');
  });

  test('an error surfaces as the AWS exception', async () => {
    await assert.rejects(chat({ model: 'nope.missing-v1' }).invoke('x'), (e: Error) => e.name === 'ResourceNotFoundException');
  });
});
