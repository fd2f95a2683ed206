import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI, { APIError, BadRequestError, NotFoundError, PermissionDeniedError } from 'openai';
import type { FunctionTool, ResponseInputItem, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';

const MODEL = 'scripted.echo-v1:0';
let server: TestServer;
let client: OpenAI;
before(async () => {
  server = await startTestServer('limits:\n  maxBodyBytes: 65536\n');
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: TEST_API_KEY, maxRetries: 0 });
});
after(async () => server.stop());

const weatherTool: FunctionTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: true,
};

const post = (body: unknown, key = TEST_API_KEY) =>
  fetch(`${server.url}/v1/responses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

type ErrorBody = { error: { message: string; type: string; param: unknown; code: string } };

describe('openai SDK responses against a running server', () => {
  test('create: a string input, instructions and the full Response object', async () => {
    const res = await client.responses.create({ model: MODEL, input: 'hello there', instructions: 'Be brief.', max_output_tokens: 50, temperature: 0.5, metadata: { run: 'a' } });
    assert.match(res.id, /^resp_[0-9a-f]{48}$/);
    assert.equal(res.object, 'response');
    assert.equal(res.status, 'completed');
    assert.equal(res.model, MODEL);
    assert.ok(Number.isInteger(res.created_at));
    assert.equal(res.output_text, 'You said: hello there');
    assert.equal(res.output.length, 1);
    const msg = res.output[0]!;
    assert.ok(msg.type === 'message');
    assert.match(msg.id, /^msg_/);
    assert.equal(msg.role, 'assistant');
    assert.equal(msg.status, 'completed');
    assert.deepEqual(msg.content, [{ type: 'output_text', text: 'You said: hello there', annotations: [], logprobs: [] }]);
    // "Be brief." + "hello there" = 4 words in; "You said: hello there" = 4 words out.
    assert.deepEqual(res.usage, { input_tokens: 4, input_tokens_details: { cached_tokens: 0 }, output_tokens: 4, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 8 });
    assert.equal(res.instructions, 'Be brief.');
    assert.equal(res.temperature, 0.5);
    assert.deepEqual(res.metadata, { run: 'a' });
    assert.equal(res.incomplete_details, null);
    assert.equal(res.error, null);
    // Not in the SDK's type, but in OpenAI's answer.
    assert.equal((res as unknown as { store: boolean }).store, true);
  });

  test('create: input items of every role, and max_output_tokens cutting the answer short', async () => {
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
    const res = await client.responses.create({
      model: MODEL,
      input: [
        { role: 'developer', content: 'Answer in English.' },
        { role: 'user', content: 'first question' },
        { type: 'message', role: 'assistant', id: 'msg_prior', status: 'completed', content: [{ type: 'output_text', text: 'first answer', annotations: [] }] },
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'describe this' },
            { type: 'input_image', image_url: `data:image/png;base64,${png}`, detail: 'auto' },
          ],
        },
      ],
    });
    assert.equal(res.output_text, 'You said: describe this');
    const cut = await client.responses.create({ model: MODEL, input: 'one two three four', max_output_tokens: 2 });
    assert.equal(cut.status, 'incomplete');
    assert.deepEqual(cut.incomplete_details, { reason: 'max_output_tokens' });
    assert.equal(cut.output_text, 'You said:');
    assert.equal(cut.output[0]!.type === 'message' && cut.output[0]!.status, 'incomplete');
    await assert.rejects(
      client.responses.create({ model: MODEL, input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'http://169.254.169.254/x.png', detail: 'auto' }] }] }),
      (e: unknown) => e instanceof BadRequestError && /input\.0\.content\.0\.image_url: Quarry does not fetch remote URLs/.test(e.message),
    );
  });

  test('a function tool round trip with function_call_output, plain and streamed', async () => {
    const first = await client.responses.create({ model: MODEL, input: 'use get_weather for Paris', tools: [weatherTool], store: false });
    assert.equal(first.status, 'completed');
    const call = first.output.find((o) => o.type === 'function_call');
    assert.ok(call && call.type === 'function_call');
    assert.match(call.id!, /^fc_/);
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.arguments), { city: 'Paris' });
    assert.equal(first.output_text, '');

    // The stateless round trip: the call goes back as an item beside its output.
    const input: ResponseInputItem[] = [{ role: 'user', content: 'use get_weather for Paris' }, ...first.output.filter((o) => o.type === 'function_call'), { type: 'function_call_output', call_id: call.call_id, output: '{"tempC":21}' }];
    const second = await client.responses.create({ model: MODEL, input, tools: [weatherTool], store: false });
    assert.equal(second.output_text, 'The tool returned: {"tempC":21}');

    // The stateful round trip: only the output goes back, the call is the stored previous response's.
    const asked = await client.responses.create({ model: MODEL, input: 'use get_weather for Lima', tools: [weatherTool] });
    const storedCall = asked.output.find((o) => o.type === 'function_call');
    assert.ok(storedCall?.type === 'function_call');
    const answered = await client.responses.create({
      model: MODEL,
      previous_response_id: asked.id,
      input: [{ type: 'function_call_output', call_id: storedCall.call_id, output: '{"tempC":19}' }],
      tools: [weatherTool],
    });
    assert.equal(answered.output_text, 'The tool returned: {"tempC":19}');

    // tool_choice: a named function forces it, "none" forbids any.
    const forced = await client.responses.create({ model: MODEL, input: 'hi', tools: [weatherTool], tool_choice: { type: 'function', name: 'get_weather' } });
    assert.equal(forced.output[0]!.type, 'function_call');
    const none = await client.responses.create({ model: MODEL, input: 'use get_weather for Oslo', tools: [weatherTool], tool_choice: 'none' });
    assert.equal(none.output_text, 'You said: use get_weather for Oslo');

    const stream = await client.responses.create({ model: MODEL, input: 'use get_weather for Rome', tools: [weatherTool], stream: true });
    const types: string[] = [];
    let args = '';
    let done: ResponseStreamEvent | undefined;
    for await (const e of stream) {
      types.push(e.type);
      if (e.type === 'response.function_call_arguments.delta') args += e.delta;
      if (e.type === 'response.function_call_arguments.done') done = e;
    }
    assert.deepEqual(types, [
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    assert.deepEqual(JSON.parse(args), { city: 'Rome' });
    assert.ok(done?.type === 'response.function_call_arguments.done' && done.name === 'get_weather' && done.arguments === args);
  });

  test('streaming: typed events in order, numbered, with the text and the final usage', async () => {
    const stream = await client.responses.create({ model: MODEL, input: 'stream me', stream: true });
    const events: ResponseStreamEvent[] = [];
    for await (const e of stream) events.push(e);
    assert.deepEqual(
      events.map((e) => e.sequence_number),
      events.map((_, i) => i),
    );
    assert.deepEqual(
      events.map((e) => e.type),
      [
        'response.created',
        'response.in_progress',
        'response.output_item.added',
        'response.content_part.added',
        'response.output_text.delta',
        'response.output_text.delta',
        'response.output_text.delta',
        'response.output_text.delta',
        'response.output_text.done',
        'response.content_part.done',
        'response.output_item.done',
        'response.completed',
      ],
    );
    const text = events.flatMap((e) => (e.type === 'response.output_text.delta' ? [e.delta] : [])).join('');
    assert.equal(text, 'You said: stream me');
    const created = events[0]!;
    const completed = events.at(-1)!;
    assert.ok(created.type === 'response.created' && completed.type === 'response.completed');
    assert.equal(created.response.status, 'in_progress');
    assert.equal(completed.response.id, created.response.id);
    assert.equal(completed.response.status, 'completed');
    assert.deepEqual(completed.response.usage, { input_tokens: 2, input_tokens_details: { cached_tokens: 0 }, output_tokens: 4, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 6 });
    const item = completed.response.output[0]!;
    assert.ok(item.type === 'message' && item.content[0]!.type === 'output_text' && item.content[0]!.text === 'You said: stream me');

    // The SDK's stream helper accumulates the same response (its output_text is left out unless parsing: SDK-side).
    const final = await client.responses.stream({ model: MODEL, input: 'again please' }).finalResponse();
    const finalItem = final.output[0]!;
    assert.ok(finalItem.type === 'message' && finalItem.content[0]!.type === 'output_text' && finalItem.content[0]!.text === 'You said: again please');
    // A stream cut by max_output_tokens ends with response.incomplete.
    const cut = await client.responses.create({ model: MODEL, input: 'a b c d', max_output_tokens: 1, stream: true });
    let last: ResponseStreamEvent | undefined;
    for await (const e of cut) last = e;
    assert.ok(last?.type === 'response.incomplete');
    assert.deepEqual(last.response.incomplete_details, { reason: 'max_output_tokens' });
  });

  test('a failure mid-stream is an error event and response.failed', async () => {
    const stream = await client.responses.create({ model: MODEL, input: 'one two three __fail_after:2', stream: true });
    const events: ResponseStreamEvent[] = [];
    for await (const e of stream) events.push(e);
    const error = events.at(-2)!;
    const failed = events.at(-1)!;
    assert.ok(error.type === 'error' && error.code === 'ModelStreamErrorException' && /after 2 words/.test(error.message));
    assert.ok(failed.type === 'response.failed');
    assert.equal(failed.response.status, 'failed');
    assert.match(failed.response.error?.message ?? '', /after 2 words/);
    assert.ok(!events.some((e) => e.type === 'response.completed'));
  });

  test('text.format json_schema and json_object', async () => {
    const res = await client.responses.create({
      model: MODEL,
      input: 'describe Lisbon',
      text: {
        format: {
          type: 'json_schema',
          name: 'city',
          strict: true,
          schema: { type: 'object', properties: { name: { type: 'string' }, population: { type: 'integer' } }, required: ['name', 'population'], additionalProperties: false },
        },
      },
    });
    assert.deepEqual(JSON.parse(res.output_text), { name: 'Lisbon', population: 1 });
    assert.equal(res.text?.format?.type, 'json_schema');
    const obj = await client.responses.create({ model: MODEL, input: 'anything', text: { format: { type: 'json_object' } } });
    assert.deepEqual(JSON.parse(obj.output_text), {});
  });

  test('stored responses: previous_response_id continues, retrieve, input items, delete', async () => {
    const first = await client.responses.create({ model: MODEL, input: 'my name is Ada', instructions: 'Be brief.' });
    const second = await client.responses.create({ model: MODEL, input: 'what is my name', previous_response_id: first.id });
    assert.equal(second.previous_response_id, first.id);
    assert.equal(second.output_text, 'You said: what is my name');
    // The model saw the first turn (input and answer), not the first response's instructions: 4 + 6 + 4 words.
    assert.equal(second.usage?.input_tokens, 14);

    const again = await client.responses.retrieve(second.id);
    assert.equal(again.id, second.id);
    assert.equal(again.output_text, 'You said: what is my name');
    assert.deepEqual(again.usage, second.usage);

    const items = await client.responses.inputItems.list(second.id);
    assert.equal(items.data.length, 1);
    const item = items.data[0]!;
    assert.ok(item.type === 'message' && item.role === 'user');
    assert.match(item.id, /^msg_/);

    // An item_reference names a stored item: the first answer, sent back by id.
    const msgId = first.output[0]!.id!;
    const ref = await client.responses.create({ model: MODEL, input: [{ type: 'item_reference', id: msgId }, { role: 'user', content: 'and now' }], store: false });
    assert.equal(ref.usage?.input_tokens, 6 + 2);
    await assert.rejects(
      client.responses.create({ model: MODEL, input: [{ type: 'item_reference', id: 'msg_nope' }] }),
      (e: unknown) => e instanceof NotFoundError && /msg_nope/.test(e.message),
    );

    // store: false keeps nothing.
    const unstored = await client.responses.create({ model: MODEL, input: 'forget me', store: false });
    await assert.rejects(client.responses.retrieve(unstored.id), (e: unknown) => e instanceof NotFoundError);

    await assert.rejects(client.responses.cancel(first.id), (e: unknown) => e instanceof BadRequestError && /background=true.*already completed/.test(e.message));
    await client.responses.delete(first.id);
    await assert.rejects(client.responses.retrieve(first.id), (e: unknown) => e instanceof NotFoundError && e.status === 404);
    await assert.rejects(client.responses.delete(first.id), (e: unknown) => e instanceof NotFoundError);
    // The second stays; continuing it without the deleted first turn still works.
    const third = await client.responses.create({ model: MODEL, input: 'still there', previous_response_id: second.id });
    assert.equal(third.output_text, 'You said: still there');
    assert.equal(third.usage?.input_tokens, 4 + 6 + 2);
  });

  test('input items page by cursor, in either order', async () => {
    const res = await client.responses.create({
      model: MODEL,
      input: [
        { role: 'user', content: 'one' },
        { role: 'assistant', content: 'two' },
        { role: 'user', content: 'three' },
      ],
    });
    const texts = (items: readonly object[]) =>
      items.map((i) => {
        const content = (i as { content: string | { text: string }[] }).content;
        return typeof content === 'string' ? content : content.map((c) => c.text).join('');
      });
    const asc: object[] = [];
    for await (const item of client.responses.inputItems.list(res.id, { limit: 1, order: 'asc', include: ['message.input_image.image_url'] })) asc.push(item);
    assert.deepEqual(texts(asc), ['one', 'two', 'three']);
    const page = await client.responses.inputItems.list(res.id, { limit: 2 });
    assert.deepEqual(texts(page.data), ['three', 'two']);
    assert.equal(page.has_more, true);
    const bad = await fetch(`${server.url}/v1/responses/${res.id}/input_items?limit=500`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } });
    assert.equal(bad.status, 400);
  });

  test('input token counts, of the request alone and of a continued conversation', async () => {
    const count = await client.responses.inputTokens.count({ model: MODEL, input: 'hello there', instructions: 'Be brief.' });
    assert.deepEqual(count, { object: 'response.input_tokens', input_tokens: 4 });
    const first = await client.responses.create({ model: MODEL, input: 'one two' });
    const next = await client.responses.inputTokens.count({ model: MODEL, input: 'three', previous_response_id: first.id });
    // "one two" + "You said: one two" + "three".
    assert.equal(next.input_tokens, 2 + 4 + 1);
    await assert.rejects(
      client.responses.inputTokens.count({ model: MODEL, input: 'x', max_output_tokens: 5 } as never),
      (e: unknown) => e instanceof BadRequestError && /Unrecognized request argument\(s\): max_output_tokens/.test(e.message),
    );
  });

  test('a streamed response is stored before its last event', async () => {
    const stream = await client.responses.create({ model: MODEL, input: 'keep this', stream: true });
    let id = '';
    for await (const e of stream) if (e.type === 'response.completed') id = e.response.id;
    const stored = await client.responses.retrieve(id);
    assert.equal(stored.output_text, 'You said: keep this');
    const next = await client.responses.create({ model: MODEL, input: 'next', previous_response_id: id, stream: true });
    let text = '';
    for await (const e of next) if (e.type === 'response.output_text.delta') text += e.delta;
    assert.equal(text, 'You said: next');
  });

  test("another account's response is not found, and a key without permission is denied", async () => {
    const mine = await client.responses.create({ model: MODEL, input: 'secret plans' });
    await server.iam.ensureAccount('111111111111', 'other');
    const { apiKey: otherKey } = await server.keys.addBearerKey(await server.keys.ensurePrincipal('other-admin', true, '111111111111'));
    const other = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: otherKey, maxRetries: 0 });
    await assert.rejects(other.responses.retrieve(mine.id), (e: unknown) => e instanceof NotFoundError && e.status === 404);
    await assert.rejects(other.responses.inputItems.list(mine.id), (e: unknown) => e instanceof NotFoundError);
    await assert.rejects(other.responses.delete(mine.id), (e: unknown) => e instanceof NotFoundError);
    await assert.rejects(other.responses.cancel(mine.id), (e: unknown) => e instanceof NotFoundError);
    await assert.rejects(
      other.responses.create({ model: MODEL, input: 'go on', previous_response_id: mine.id }),
      (e: unknown) => e instanceof NotFoundError && /Previous response with id/.test(e.message),
    );
    await assert.rejects(
      other.responses.create({ model: MODEL, input: [{ type: 'item_reference', id: mine.output[0]!.id! }] }),
      (e: unknown) => e instanceof NotFoundError,
    );
    // Still there for its own account.
    assert.equal((await client.responses.retrieve(mine.id)).output_text, 'You said: secret plans');

    // A user of the same account who may invoke models but not read stored responses.
    await server.iam.createUser('000000000000', 'invoker');
    await server.iam.createPolicy('000000000000', 'invoke-only', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'bedrock:InvokeModel*', Resource: '*' }] });
    await server.iam.attachPolicy('000000000000', 'invoke-only', { userName: 'invoker' });
    const { apiKey: invokerKey } = await server.keys.addBearerKey(await server.keys.ensurePrincipal('invoker', false));
    const invoker = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: invokerKey, maxRetries: 0 });
    assert.equal((await invoker.responses.create({ model: MODEL, input: 'allowed' })).output_text, 'You said: allowed');
    const denied = (e: unknown) => e instanceof PermissionDeniedError && e.status === 403 && /quarry:(Get|Delete)Response/.test(e.message);
    await assert.rejects(invoker.responses.retrieve(mine.id), denied);
    await assert.rejects(invoker.responses.delete(mine.id), denied);
    await assert.rejects(invoker.responses.create({ model: MODEL, input: 'go on', previous_response_id: mine.id }), denied);
    const raw = await fetch(`${server.url}/v1/responses/${mine.id}`, { headers: { authorization: `Bearer ${invokerKey}` } });
    const body = (await raw.json()) as ErrorBody;
    assert.equal(body.error.type, 'permission_error');
    assert.equal(body.error.code, 'AccessDeniedException');
  });

  test('bad input is a 400 (or 404, 413) in the OpenAI error shape', async () => {
    const malformed = await post('{"model": "x", ');
    assert.equal(malformed.status, 400);
    const m = (await malformed.json()) as ErrorBody;
    assert.equal(m.error.type, 'invalid_request_error');
    assert.match(m.error.message, /not valid JSON/);

    const wrongType = await post({ model: MODEL, input: 42 });
    assert.equal(wrongType.status, 400);
    assert.match(((await wrongType.json()) as ErrorBody).error.message, /input/);
    const wrongTemp = await post({ model: MODEL, input: 'x', temperature: 'hot' });
    assert.match(((await wrongTemp.json()) as ErrorBody).error.message, /temperature/);

    await assert.rejects(
      client.responses.create({ model: 'nope.missing-v1', input: 'x' }),
      (e: unknown) => e instanceof NotFoundError && e.code === 'model_not_found',
    );
    await assert.rejects(
      client.responses.create({ model: MODEL, input: 'x', previous_response_id: 'resp_unknown' }),
      (e: unknown) => e instanceof NotFoundError && e.status === 404 && /Previous response with id 'resp_unknown' not found/.test(e.message),
    );
    const unknown = await post({ model: MODEL, input: 'x', previous_response_id: 'resp_unknown' });
    const u = (await unknown.json()) as ErrorBody;
    assert.equal(u.error.type, 'not_found_error');

    await assert.rejects(
      client.responses.create({ model: MODEL, input: 'x', bogus_field: 1 } as never),
      (e: unknown) => e instanceof BadRequestError && /Unrecognized request argument\(s\): bogus_field/.test(e.message),
    );
    await assert.rejects(
      client.responses.create({ model: MODEL, input: 'x', tools: [{ type: 'web_search' }] }),
      (e: unknown) => e instanceof BadRequestError && /tools\.0: web_search tools are not supported/.test(e.message),
    );
    await assert.rejects(client.responses.create({ model: MODEL, input: 'x', background: true }), (e: unknown) => e instanceof BadRequestError && /background/.test(e.message));
    await assert.rejects(
      client.responses.create({ model: MODEL, input: [{ type: 'web_search_call', id: 'ws_1', status: 'completed', action: { type: 'search', query: 'q' } }] }),
      (e: unknown) => e instanceof BadRequestError && /input\.0: web_search_call items belong to OpenAI's hosted tools/.test(e.message),
    );
    await assert.rejects(
      client.responses.create({ model: MODEL, input: [{ type: 'function_call', call_id: 'c1', name: 'f', arguments: '{oops' }, { type: 'function_call_output', call_id: 'c1', output: 'x' }] }),
      (e: unknown) => e instanceof BadRequestError && /input\.0\.arguments is not valid JSON/.test(e.message),
    );
    await assert.rejects(client.responses.create({ model: MODEL }), (e: unknown) => e instanceof BadRequestError && /input is required/.test(e.message));
    await assert.rejects(
      client.responses.create({ model: MODEL, input: 'x', tool_choice: 'required' }),
      (e: unknown) => e instanceof BadRequestError && /tool_choice requires tools/.test(e.message),
    );

    const big = await post({ model: MODEL, input: 'x'.repeat(70_000) });
    assert.equal(big.status, 413);
    assert.equal(((await big.json()) as ErrorBody).error.type, 'invalid_request_error');

    await assert.rejects(
      client.responses.create({ model: MODEL, input: '__error:ThrottlingException' }),
      (e: unknown) => e instanceof APIError && e.status === 429,
    );
  });
});
