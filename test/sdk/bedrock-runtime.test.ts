import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  CountTokensCommand,
  type ContentBlock,
  type Message,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { type TestServer, TEST_ACCESS_KEY_ID, TEST_API_KEY, TEST_SECRET_ACCESS_KEY, startTestServer } from '../support/start-test-server.js';

const MODEL = 'scripted.echo-v1:0';
let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.stop());

const sigv4 = { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY };

/** The four ways a Bedrock client can reach us: default (HTTP/2) or HTTP/1.1 handler × SigV4 or bearer key. */
function clients(): [string, BedrockRuntimeClient][] {
  const base = { region: 'us-east-1', endpoint: server.url };
  const bearer = { token: { token: TEST_API_KEY }, authSchemePreference: ['httpBearerAuth'] };
  return [
    ['http2 + sigv4', new BedrockRuntimeClient({ ...base, credentials: sigv4 })],
    ['http1 + sigv4', new BedrockRuntimeClient({ ...base, credentials: sigv4, requestHandler: new NodeHttpHandler() })],
    ['http2 + bearer', new BedrockRuntimeClient({ ...base, ...bearer })],
    ['http1 + bearer', new BedrockRuntimeClient({ ...base, ...bearer, requestHandler: new NodeHttpHandler() })],
  ];
}

describe('@aws-sdk/client-bedrock-runtime against a running server', () => {
  for (const [name, make] of [0, 1, 2, 3].map((i) => [i, () => clients()[i]!] as const)) {
    test(`Converse, ConverseStream and CountTokens over ${['http2 + sigv4', 'http1 + sigv4', 'http2 + bearer', 'http1 + bearer'][name]}`, async () => {
      const [, client] = make();
      try {
        const res = await client.send(
          new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'hello there' }] }], inferenceConfig: { maxTokens: 50 } }),
        );
        assert.equal(res.output?.message?.content?.[0]?.text, 'You said: hello there');
        assert.equal(res.stopReason, 'end_turn');
        assert.deepEqual(res.usage, { inputTokens: 2, outputTokens: 4, totalTokens: 6 });
        assert.ok(Number.isInteger(res.metrics?.latencyMs));

        const stream = await client.send(new ConverseStreamCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'stream me' }] }] }));
        const events: string[] = [];
        let text = '';
        for await (const ev of stream.stream!) {
          events.push(Object.keys(ev)[0]!);
          if (ev.contentBlockDelta?.delta?.text) text += ev.contentBlockDelta.delta.text;
          if (ev.metadata) assert.equal(ev.metadata.usage?.outputTokens, 4);
        }
        assert.equal(text, 'You said: stream me');
        assert.equal(events[0], 'messageStart');
        assert.deepEqual(events.slice(-3), ['contentBlockStop', 'messageStop', 'metadata']);

        const count = await client.send(
          new CountTokensCommand({ modelId: MODEL, input: { converse: { messages: [{ role: 'user', content: [{ text: 'one two three' }] }] } } }),
        );
        assert.equal(count.inputTokens, 3);
      } finally {
        client.destroy();
      }
    });
  }

  test('a tool-use round trip', async () => {
    const client = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: server.url, credentials: sigv4 });
    const toolConfig = {
      tools: [
        {
          toolSpec: {
            name: 'get_weather',
            description: 'Weather for a city',
            inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
          },
        },
      ],
    };
    const messages: Message[] = [{ role: 'user', content: [{ text: 'use get_weather for Paris' }] }];
    const first = await client.send(new ConverseCommand({ modelId: MODEL, messages, toolConfig }));
    assert.equal(first.stopReason, 'tool_use');
    const toolUse = first.output?.message?.content?.find((b: ContentBlock) => b.toolUse)?.toolUse;
    assert.ok(toolUse?.toolUseId);
    assert.deepEqual(toolUse.input, { city: 'Paris' });
    messages.push(first.output!.message!);
    messages.push({ role: 'user', content: [{ toolResult: { toolUseId: toolUse.toolUseId, content: [{ json: { tempC: 21 } }] } }] });
    const second = await client.send(new ConverseCommand({ modelId: MODEL, messages, toolConfig }));
    assert.equal(second.stopReason, 'end_turn');
    assert.equal(second.output?.message?.content?.[0]?.text, 'The tool returned: {"tempC":21}');
    client.destroy();
  });

  test('errors arrive as the SDK exception classes', async () => {
    const client = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: server.url, credentials: sigv4, requestHandler: new NodeHttpHandler() });
    await assert.rejects(
      client.send(new ConverseCommand({ modelId: 'nope.missing-v1', messages: [{ role: 'user', content: [{ text: 'x' }] }] })),
      (e: Error & { $metadata?: { httpStatusCode?: number } }) => e.name === 'ResourceNotFoundException' && e.$metadata?.httpStatusCode === 404 && /nope\.missing-v1/.test(e.message),
    );
    await assert.rejects(
      client.send(new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: '__error:ThrottlingException' }] }] })),
      (e: Error) => e.name === 'ThrottlingException',
    );
    const wrong = new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: server.url,
      credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: 'wrong-secret' },
      requestHandler: new NodeHttpHandler(),
    });
    await assert.rejects(
      wrong.send(new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'x' }] }] })),
      (e: Error & { $metadata?: { httpStatusCode?: number } }) =>
        e.name === 'InvalidSignatureException' && e.$metadata?.httpStatusCode === 403 && /signature we calculated does not match/.test(e.message),
    );
    // Signed for a region the server is not in: refused, as AWS does.
    const elsewhere = new BedrockRuntimeClient({ region: 'eu-west-1', endpoint: server.url, credentials: sigv4, requestHandler: new NodeHttpHandler() });
    await assert.rejects(
      elsewhere.send(new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'x' }] }] })),
      (e: Error & { $metadata?: { httpStatusCode?: number } }) => e.name === 'InvalidSignatureException' && e.$metadata?.httpStatusCode === 403 && /valid region/.test(e.message),
    );
    client.destroy();
    wrong.destroy();
    elsewhere.destroy();
  });
});
