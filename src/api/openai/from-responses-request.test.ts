import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuarryError } from '../../core/index.js';
import { validate } from '../shared/parse-body.js';
import { fromResponsesRequest, locate, requestItems } from './from-responses-request.js';
import { responsesRequest } from './responses-request-schema.js';

const translate = (raw: Record<string, unknown>, history: unknown[] = []) => {
  const body = validate(responsesRequest, { model: 'm', ...raw });
  const prior = validate(responsesRequest, { model: 'm', input: history }).input as never[];
  return fromResponsesRequest(
    body,
    locate(requestItems(body), (i) => `input.${i}`),
    locate(prior, () => 'previous_response_id'),
  );
};
const refused = (raw: Record<string, unknown>, message: RegExp) =>
  assert.throws(
    () => translate(raw),
    (e: unknown) => QuarryError.isInstance(e) && e.code === 'ValidationException' && message.test(e.message),
  );

test('a string input is one user message; instructions lead the system prompt, developer messages follow', () => {
  assert.deepEqual(translate({ input: 'hi' }), { modelId: 'm', messages: [{ role: 'user', content: [{ text: 'hi' }] }] });
  const req = translate({
    instructions: 'Be brief.',
    input: [
      { role: 'user', content: 'q1' },
      { role: 'developer', content: [{ type: 'input_text', text: 'In English.' }] },
    ],
    max_output_tokens: 9,
    temperature: 1.5,
    top_p: 0.5,
    metadata: { a: 'b' },
  });
  assert.deepEqual(req.system, [{ text: 'Be brief.' }, { text: 'In English.' }]);
  assert.deepEqual(req.inferenceConfig, { maxTokens: 9, temperature: 1.5, topP: 0.5 });
  assert.deepEqual(req.requestMetadata, { a: 'b' });
});

test('function_call and function_call_output become toolUse and toolResult turns, merged by role', () => {
  const req = translate({
    input: [
      { role: 'user', content: 'weather?' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.', annotations: [] }] },
      { type: 'function_call', call_id: 'c1', name: 'get_weather', arguments: '{"city":"Paris"}', id: 'fc_1' },
      { type: 'function_call', call_id: 'c2', name: 'get_weather', arguments: '' },
      { type: 'function_call_output', call_id: 'c1', output: '21C' },
      { type: 'function_call_output', call_id: 'c2', output: [{ type: 'input_text', text: '18C' }] },
    ],
  });
  assert.deepEqual(req.messages, [
    { role: 'user', content: [{ text: 'weather?' }] },
    {
      role: 'assistant',
      content: [{ text: 'Checking.' }, { toolUse: { toolUseId: 'c1', name: 'get_weather', input: { city: 'Paris' } } }, { toolUse: { toolUseId: 'c2', name: 'get_weather', input: {} } }],
    },
    {
      role: 'user',
      content: [{ toolResult: { toolUseId: 'c1', content: [{ text: '21C' }] } }, { toolResult: { toolUseId: 'c2', content: [{ text: '18C' }] } }],
    },
  ]);
});

test('the previous responses come first; reasoning items are not sent back', () => {
  const req = translate({ input: 'and now?' }, [
    { role: 'user', content: 'first' },
    { type: 'reasoning', id: 'rs_1', summary: [] },
    { type: 'message', role: 'assistant', id: 'msg_1', status: 'completed', content: [{ type: 'output_text', text: 'answer', annotations: [], logprobs: [] }] },
  ]);
  assert.deepEqual(req.messages, [
    { role: 'user', content: [{ text: 'first' }] },
    { role: 'assistant', content: [{ text: 'answer' }] },
    { role: 'user', content: [{ text: 'and now?' }] },
  ]);
});

test('images as data URLs and a prompt-cache breakpoint', () => {
  const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
  const req = translate({
    input: [
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'long context', prompt_cache_breakpoint: { mode: 'explicit' } },
          { type: 'input_image', image_url: `data:image/png;base64,${png}` },
        ],
      },
    ],
  });
  const content = req.messages[0]!.content;
  assert.deepEqual(content.slice(0, 2), [{ text: 'long context' }, { cachePoint: { type: 'default' } }]);
  assert.ok('image' in content[2]! && content[2].image.format === 'png' && content[2].image.source.bytes.length > 0);
});

test('tools, tool_choice and text.format', () => {
  const tool = { type: 'function', name: 'f', parameters: { type: 'object', properties: {} }, strict: true };
  const g = { ...tool, name: 'g' };
  assert.deepEqual(translate({ input: 'x', tools: [tool] }).toolConfig, { tools: [{ toolSpec: { name: 'f', inputSchema: { json: tool.parameters } } }] });
  assert.deepEqual(translate({ input: 'x', tools: [tool], tool_choice: 'required' }).toolConfig?.toolChoice, { any: {} });
  assert.deepEqual(translate({ input: 'x', tools: [tool], tool_choice: { type: 'function', name: 'f' } }).toolConfig?.toolChoice, { tool: { name: 'f' } });
  assert.equal(translate({ input: 'x', tools: [tool], tool_choice: 'none' }).toolConfig, undefined);
  const allowed = translate({ input: 'x', tools: [tool, g], tool_choice: { type: 'allowed_tools', mode: 'required', tools: [{ type: 'function', name: 'g' }] } }).toolConfig;
  assert.deepEqual(
    allowed?.tools.map((t) => t.toolSpec.name),
    ['g'],
  );
  assert.deepEqual(allowed?.toolChoice, { any: {} });
  assert.deepEqual(translate({ input: 'x', text: { format: { type: 'json_schema', name: 'city', schema: { type: 'object' }, strict: true } } }).jsonSchema, {
    name: 'city',
    schema: { type: 'object' },
  });
  assert.deepEqual(translate({ input: 'x', text: { format: { type: 'json_object' } } }).jsonSchema, { name: 'json_object', schema: { type: 'object' } });
  assert.equal(translate({ input: 'x', text: { format: { type: 'text' } } }).jsonSchema, undefined);
});

test('what cannot be honoured is refused by name', () => {
  refused({ input: 'x', tools: [{ type: 'file_search', vector_store_ids: ['vs_1'] }] }, /^tools\.0: file_search tools are not supported/);
  refused({ input: 'x', tools: [{ type: 'function', name: 'f' }], tool_choice: { type: 'function', name: 'nope' } }, /tool_choice\.name: "nope" is not one of the function tools/);
  refused({ input: 'x', tools: [{ type: 'function', name: 'f' }], tool_choice: { type: 'web_search_preview' } }, /tool_choice: web_search_preview tools are not supported/);
  refused({ input: 'x', conversation: 'conv_1' }, /^conversation:/);
  refused({ input: 'x', prompt: { id: 'pmpt_1' } }, /^prompt:/);
  refused({ input: 'x', include: ['message.output_text.logprobs'] }, /^include:/);
  refused({ input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file-1' }] }] }, /input\.0\.content\.0: uploaded file ids are not supported/);
  refused({ input: [{ role: 'user', content: [{ type: 'input_file', file_url: 'https://example.com/a.pdf' }] }] }, /input\.0\.content\.0: Quarry does not fetch remote URLs/);
  refused({ input: [{ role: 'user', content: [{ type: 'output_text', text: 'x' }] }] }, /input\.0\.content\.0: output_text belongs to assistant messages/);
  refused({ input: [{ type: 'computer_call_output', call_id: 'c', output: {} }] }, /input\.0: computer_call_output items belong to OpenAI's hosted tools/);
  refused({ input: [] }, /input is required/);
  refused({ input: [{ role: 'system', content: 'only a system prompt' }] }, /no user or assistant content/);
});

test('the schema: strict at the top, types checked, item types told apart without `type`', () => {
  const parse = (raw: Record<string, unknown>) => responsesRequest.safeParse({ model: 'm', ...raw });
  assert.equal(parse({ input: 'x', bogus: 1 }).success, false);
  assert.equal(parse({ input: 'x', temperature: 3 }).success, false);
  assert.equal(parse({ input: 'x', metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) }).success, false);
  assert.equal(parse({ input: [{ type: 'no_such_item' }] }).success, false);
  const items = parse({ input: [{ role: 'user', content: 'hi' }, { id: 'msg_1' }] });
  assert.ok(items.success);
  assert.deepEqual(
    (items.data.input as { type: string }[]).map((i) => i.type),
    ['message', 'item_reference'],
  );
});
