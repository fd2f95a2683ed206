import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chatParameters, defaultSettings, parseTools, SettingsError } from '../../web/src/lib/chat-settings.js';
import { costOf, formatMs, formatPrice, formatTokensShort, formatUsd } from '../../web/src/lib/format.js';
import { SseParser } from '../../web/src/lib/sse-parser.js';

/** The console's pure helpers (web/src/lib), run in Node: stream parsing, money, and the playground's settings. */

describe('SseParser', () => {
  test('events split anywhere, across CRLF, with multi-line data and comments', () => {
    const text = ': keep-alive\r\ndata: {"a":1}\r\n\r\ndata: line one\ndata: line two\n\nevent: x\ndata:no-space\nid: 7\n\n';
    for (let size = 1; size <= text.length; size++) {
      const p = new SseParser();
      const out: string[] = [];
      for (let i = 0; i < text.length; i += size) out.push(...p.push(text.slice(i, i + size)));
      assert.deepEqual(out, ['{"a":1}', 'line one\nline two', 'no-space'], `chunk size ${size}`);
    }
  });

  test('an event without its closing blank line is dropped; junk lines are ignored', () => {
    const p = new SseParser();
    assert.deepEqual(p.push('garbage line\nretry: 10\n\ndata: [DONE]\n\ndata: partial'), ['[DONE]']);
    assert.deepEqual(p.end(), []);
    assert.deepEqual(p.push('\n\n'), []);
  });

  test('a lone CR ends a line too, and a large event arrives whole', () => {
    const big = 'x'.repeat(200_000);
    const p = new SseParser();
    assert.deepEqual(p.push(`data: a\r\rdata: ${big}\n`), ['a']);
    assert.deepEqual(p.push('\n'), [big]);
  });
});

describe('cost and formatting', () => {
  test('cost follows the server meter: cache reads at a tenth of the input price', () => {
    const pricing = { inputPer1k: 0.003, outputPer1k: 0.015 };
    assert.equal(costOf({ inputTokens: 1000, outputTokens: 1000 }, pricing), 0.018);
    assert.ok(Math.abs(costOf({ inputTokens: 1000, outputTokens: 0, cacheReadTokens: 500 }, pricing)! - (0.0015 + 0.00015)) < 1e-12);
    assert.equal(costOf({ inputTokens: 10, outputTokens: 10 }, undefined), undefined);
  });

  test('money, time and sizes read well at every scale', () => {
    assert.equal(formatUsd(0.000021), '$0.000021');
    assert.equal(formatUsd(0.00002), '$0.00002');
    assert.equal(formatUsd(0.042), '$0.042');
    assert.equal(formatUsd(12.5), '$12.50');
    assert.equal(formatUsd(0), '$0');
    assert.equal(formatUsd(undefined), '—');
    assert.equal(formatUsd(Number.NaN), '—');
    assert.equal(formatMs(12.4), '12 ms');
    assert.equal(formatMs(1234), '1.23 s');
    assert.equal(formatMs(65_000), '65.0 s');
    assert.equal(formatPrice(0.001), '$0.0010');
    assert.equal(formatPrice(0.015), '$0.015');
    assert.equal(formatPrice(3), '$3');
    assert.equal(formatPrice(0), 'free');
    assert.equal(formatTokensShort(131_072), '128K');
    assert.equal(formatTokensShort(1_048_576), '1M');
    assert.equal(formatTokensShort(200_000), '200K');
    assert.equal(formatTokensShort(4000), '4K');
    assert.equal(formatTokensShort(512), '512');
  });
});

describe('playground settings', () => {
  const settings = (patch: Partial<ReturnType<typeof defaultSettings>>) => ({ ...defaultSettings(), ...patch });
  const fails = (patch: Partial<ReturnType<typeof defaultSettings>>, field: string, message: RegExp) =>
    assert.throws(
      () => chatParameters(settings(patch)),
      (e: unknown) => e instanceof SettingsError && e.field === field && message.test(e.message),
    );

  test('empty fields leave the model its defaults; filled ones become Chat Completions parameters', () => {
    assert.deepEqual(chatParameters(defaultSettings()), {});
    assert.deepEqual(chatParameters(settings({ temperature: '0.7', topP: '0.9', maxTokens: '256', stop: 'END\n\n###' })), {
      temperature: 0.7,
      top_p: 0.9,
      max_tokens: 256,
      stop: ['END', '###'],
    });
  });

  test('out-of-range and malformed numbers name the field and the range', () => {
    fails({ temperature: '2.5' }, 'temperature', /Temperature must be a number from 0 to 2/);
    fails({ topP: 'abc' }, 'topP', /Top P/);
    fails({ maxTokens: '1.5' }, 'maxTokens', /whole number/);
    fails({ maxTokens: '-3' }, 'maxTokens', /from 1/);
    fails({ maxTokens: '1e400' }, 'maxTokens', /Max tokens/);
    fails({ stop: 'a\nb\nc\nd\ne' }, 'stop', /At most 4/);
  });

  test('tools in OpenAI, Bedrock or bare shape all become OpenAI function tools', () => {
    const want = { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };
    const params = want.function.parameters;
    assert.deepEqual(parseTools(JSON.stringify([want])), [want]);
    assert.deepEqual(parseTools(JSON.stringify({ toolSpec: { name: 'get_weather', description: 'Weather', inputSchema: { json: params } } })), [want]);
    assert.deepEqual(parseTools(JSON.stringify({ name: 'get_weather', description: 'Weather', parameters: params })), [want]);
    assert.deepEqual(parseTools('[{"name":"ping"}]'), [{ type: 'function', function: { name: 'ping', parameters: { type: 'object', properties: {} } } }]);
  });

  test('broken tool definitions and schemas are refused with what is wrong', () => {
    fails({ toolsOn: true, tools: '[{"name": "x",' }, 'tools', /not valid JSON/);
    fails({ toolsOn: true, tools: '[]' }, 'tools', /empty list/);
    fails({ toolsOn: true, tools: '[{"name": "has space"}]' }, 'tools', /Tool 1 needs a "name"/);
    fails({ toolsOn: true, tools: '[{"name": "ok", "parameters": "nope"}]' }, 'tools', /must be a JSON Schema object/);
    fails({ toolsOn: true, tools: '[42]' }, 'tools', /Tool 1 is not an object/);
    fails({ toolsOn: true, tools: '{"__proto__": {"name": "x"}}' }, 'tools', /needs a "name"/);
    fails({ schemaOn: true, schema: '' }, 'schema', /Enter a JSON Schema/);
    fails({ schemaOn: true, schema: '[1,2]' }, 'schema', /must be a JSON Schema object/);
    // Tools turned off are not sent, however broken the text left in the box.
    assert.deepEqual(chatParameters(settings({ toolsOn: false, tools: '{{{' })), {});
  });

  test('a schema becomes a json_schema response format', () => {
    assert.deepEqual(chatParameters(settings({ schemaOn: true, schema: '{"type":"object","properties":{"a":{"type":"string"}}}' })).response_format, {
      type: 'json_schema',
      json_schema: { name: 'output', schema: { type: 'object', properties: { a: { type: 'string' } } } },
    });
  });
});
