import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ConverseRequest, type ImageGenerationRequest, type ModelInfo, QuarryError, silentLogger, textOf, usageOf } from '../core/index.js';
import type { Principal } from '../iam/index.js';
import type { AppCallContext, AppModelPort } from './app-model-port.js';
import { type AppRunEvent, AppRunner, MAX_IMAGE_BYTES } from './app-runner.js';
import type { Widget } from './app-schemas.js';
import { planWidgets } from './widget-graph.js';

const model = { id: 'm' } as ModelInfo;
const ctx: AppCallContext = { requestId: 'r', principal: {} as Principal, api: 'test', signal: new AbortController().signal, log: silentLogger };
const gen = (name: string, prompt: string): Widget => ({ type: 'generation', name, prompt, modelId: 'm' });

/** Answers `<prompt>!`; a prompt containing `fail` fails; `gate` holds every call until `open` is called. */
function port(gate?: Promise<void>, started?: string[]): AppModelPort {
  const answer = async (req: ConverseRequest) => {
    const prompt = textOf(req.messages[0]!.content);
    started?.push(prompt);
    await gate;
    if (prompt.includes('fail')) throw new QuarryError('ModelErrorException', 'the model broke');
    return `${prompt}!`;
  };
  return {
    async converse(_ctx, req) {
      const text = await answer(req);
      return { model, message: { role: 'assistant', content: [{ text }] }, stopReason: 'end_turn', usage: usageOf(2, 3), latencyMs: 1 };
    },
    async converseStream(_ctx, req) {
      const text = await answer(req);
      async function* parts() {
        yield { type: 'contentBlockDelta' as const, index: 0, delta: { text: text.slice(0, 2) } };
        yield { type: 'contentBlockDelta' as const, index: 0, delta: { text: text.slice(2) } };
        yield { type: 'metadata' as const, usage: usageOf(2, 3), latencyMs: 1 };
      }
      return { model, parts: parts() };
    },
  };
}

test('independent widgets run at the same time; a widget waits for the ones it uses', async () => {
  const started: string[] = [];
  let open!: () => void;
  const gate = new Promise<void>((r) => {
    open = r;
  });
  const runner = new AppRunner({ models: port(gate, started), costOf: (_m, u) => u.outputTokens / 1000 });
  const plan = planWidgets([{ type: 'input', name: 't' }, gen('a', 'A {{t}}'), gen('b', 'B {{t}}'), gen('c', '{{a}} + {{b}}')]);
  const events: AppRunEvent[] = [];
  const done = (async () => {
    for await (const e of runner.events(ctx, { appId: 'X', plan, inputs: { t: 'x' }, stream: true })) events.push(e);
  })();
  // Both a and b are in the model before either answers: they were started together, not one after the other.
  while (started.length < 2) await new Promise((r) => setImmediate(r));
  assert.deepEqual(started.sort(), ['A x', 'B x']);
  open();
  await done;
  const run = (events.at(-1) as Extract<AppRunEvent, { type: 'runDone' }>).run;
  assert.equal(run.status, 'succeeded');
  assert.deepEqual(
    run.outputs.map((o) => [o.name, o.text]),
    [
      ['t', 'x'],
      ['a', 'A x!'],
      ['b', 'B x!'],
      ['c', 'A x! + B x!!'],
    ],
  );
  assert.deepEqual(run.usage, { inputTokens: 6, outputTokens: 9, totalTokens: 15 });
  assert.ok(Math.abs(run.costUsd - 0.009) < 1e-12);
  // c's text arrived in deltas, after a's and b's were done.
  const deltas = events.filter((e) => e.type === 'widgetDelta' && e.name === 'c').map((e) => (e as { text: string }).text);
  assert.deepEqual(deltas, ['A ', 'x! + B x!!']);
  const order = events.filter((e) => e.type === 'widgetDone').map((e) => (e as { output: { name: string } }).output.name);
  assert.equal(order.at(-1), 'c');
});

test('a failed widget skips what uses it and leaves the others to finish', async () => {
  const runner = new AppRunner({ models: port() });
  const plan = planWidgets([{ type: 'input', name: 't', defaultValue: 'dflt' }, gen('a', 'please fail {{t}}'), gen('b', 'ok {{t}}'), gen('c', '{{a}}')]);
  const run = await runner.run(ctx, { appId: 'X', plan, inputs: {}, stream: false });
  assert.equal(run.status, 'failed');
  const by = new Map(run.outputs.map((o) => [o.name, o]));
  assert.equal(by.get('t')!.text, 'dflt');
  assert.deepEqual(by.get('a')!.error, { code: 'ModelErrorException', message: 'the model broke' });
  assert.equal(by.get('b')!.text, 'ok dflt!');
  assert.equal(by.get('c')!.status, 'skipped');
  assert.match(by.get('c')!.error!.message, /uses "a", which did not succeed/);
});

test('inputs are checked before anything runs', () => {
  const runner = new AppRunner({ models: port() });
  const plan = planWidgets([{ type: 'input', name: 't' }, { type: 'input', name: 'u' }, gen('a', '{{t}} {{u}}')]);
  assert.throws(() => runner.resolveInputs(plan, { t: 'x', nope: 'y' }), /no input named "nope" \(its inputs: t, u\)/);
  assert.throws(() => runner.resolveInputs(plan, { t: ' ' }), /Inputs "t", "u" need a value/);
  assert.throws(() => runner.resolveInputs(plan, { t: 'x', a: 'y' }), /no input named "a"/);
});

test('a run makes at most maxConcurrent model calls at once', async () => {
  const started: string[] = [];
  let open!: () => void;
  const gate = new Promise<void>((r) => {
    open = r;
  });
  const runner = new AppRunner({ models: port(gate, started), maxConcurrent: 2 });
  const plan = planWidgets([gen('a', 'A'), gen('b', 'B'), gen('c', 'C')]);
  const done = runner.run(ctx, { appId: 'X', plan, inputs: {}, stream: false });
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  assert.deepEqual(started, ['A', 'B'], 'the third waits for a slot');
  open();
  const run = await done;
  assert.deepEqual(started, ['A', 'B', 'C']);
  assert.equal(run.status, 'succeeded');
});

test('kept answers are not run again: only the widgets downstream of a changed input run, and cost only what ran', async () => {
  const started: string[] = [];
  const runner = new AppRunner({ models: port(undefined, started), costOf: (_m, u) => u.outputTokens / 1000 });
  // a uses t; b uses u; c uses a and b. When u changes, a is kept and b and c run again.
  const plan = planWidgets([{ type: 'input', name: 't' }, { type: 'input', name: 'u' }, gen('a', 'A {{t}}'), gen('b', 'B {{u}}'), gen('c', '{{a}} + {{b}}')]);
  const run = await runner.run(ctx, { appId: 'X', plan, inputs: { t: 'x', u: 'new' }, stream: false, reuse: { a: 'A x! (kept)' } });
  assert.deepEqual(started.sort(), ['A x! (kept) + B new!', 'B new']);
  assert.deepEqual(
    run.outputs.map((o) => [o.name, o.text, o.reused ?? false]),
    [
      ['t', 'x', false],
      ['u', 'new', false],
      ['a', 'A x! (kept)', true],
      ['b', 'B new!', false],
      ['c', 'A x! (kept) + B new!!', false],
    ],
  );
  assert.equal(run.outputs[2]!.usage, undefined, 'a kept answer used no tokens');
  assert.deepEqual(run.usage, { inputTokens: 4, outputTokens: 6, totalTokens: 10 });
});

test('a kept answer must not sit downstream of one that runs again, and must name a generation widget', () => {
  const runner = new AppRunner({ models: port() });
  const plan = planWidgets([{ type: 'input', name: 't' }, gen('a', 'A {{t}}'), gen('c', 'C {{a}}')]);
  assert.throws(
    () => runner.resolveReuse(plan, { c: 'old' }),
    (e: unknown) => QuarryError.isInstance(e) && e.code === 'ValidationException' && /"c" uses "a", which would run again/.test(e.message),
  );
  for (const name of ['t', 'nope']) {
    assert.throws(() => runner.resolveReuse(plan, { [name]: 'x' }), /is not a text-generation widget/);
  }
  assert.deepEqual([...runner.resolveReuse(plan, { a: 'x', c: 'y' }).keys()], ['a', 'c']);
});

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** port() with an image model that records each request; a prompt containing `huge` answers an image over the bound. */
function imagePort(seen: ImageGenerationRequest[]): AppModelPort {
  return {
    ...port(),
    async generateImages(_ctx, req) {
      seen.push(req);
      if (req.modelId !== 'img') throw new QuarryError('ValidationException', `Model ${req.modelId} is a text model and does not generate images.`);
      const bytes = req.prompt.includes('huge') ? new Uint8Array(MAX_IMAGE_BYTES + 1) : PNG;
      return { model: { id: 'img' } as ModelInfo, images: Array.from({ length: req.count }, () => ({ bytes, mediaType: 'image/png' as const })) };
    },
  };
}

test('an image widget runs after the text it uses and carries one image, counted in the run cost', async () => {
  const seen: ImageGenerationRequest[] = [];
  const runner = new AppRunner({ models: imagePort(seen), costOf: (_m, u, images) => u.outputTokens / 1000 + (images ?? 0) * 0.02 });
  const plan = planWidgets([
    { type: 'input', name: 't' },
    gen('title', 'Title {{t}}'),
    { type: 'image', name: 'pic', label: 'Poster', prompt: 'Poster of {{title}}', modelId: 'img', negativePrompt: 'no {{t}}', size: '512x256' },
  ]);
  const run = await runner.run(ctx, { appId: 'X', plan, inputs: { t: 'cats' }, stream: true });
  assert.equal(run.status, 'succeeded');
  assert.deepEqual(seen, [{ modelId: 'img', prompt: 'Poster of Title cats!', count: 1, negativePrompt: 'no cats', size: { width: 512, height: 256 } }]);
  const pic = run.outputs.find((o) => o.name === 'pic')!;
  assert.equal(pic.type, 'image');
  assert.deepEqual(pic.image, { mediaType: 'image/png', base64: Buffer.from(PNG).toString('base64') });
  assert.equal(pic.images, 1);
  assert.equal(pic.costUsd, 0.02);
  assert.ok(Math.abs(run.costUsd - 0.023) < 1e-12, `text 0.003 + image 0.02, got ${run.costUsd}`);
});

test('an image widget fails clearly on a text model, an oversized image, or a port without image models', async () => {
  const runner = new AppRunner({ models: imagePort([]) });
  const plan = planWidgets([
    { type: 'image', name: 'wrong', prompt: 'a cat', modelId: 'm' },
    { type: 'image', name: 'big', prompt: 'a huge cat', modelId: 'img' },
    gen('ok', 'still runs'),
  ]);
  const run = await runner.run(ctx, { appId: 'X', plan, inputs: {}, stream: false });
  const by = new Map(run.outputs.map((o) => [o.name, o]));
  assert.equal(run.status, 'failed');
  assert.deepEqual(by.get('wrong')!.error, { code: 'ValidationException', message: 'Model m is a text model and does not generate images.' });
  assert.equal(by.get('wrong')!.type, 'image');
  assert.match(by.get('big')!.error!.message, /keeps images up to 4194304 bytes/);
  assert.equal(by.get('big')!.image, undefined);
  assert.equal(by.get('ok')!.text, 'still runs!');
  const bare = await new AppRunner({ models: port() }).run(ctx, { appId: 'X', plan: planWidgets([{ type: 'image', name: 'p', prompt: 'x', modelId: 'img' }]), inputs: {}, stream: false });
  assert.match(bare.outputs[0]!.error!.message, /cannot call image models/);
});

test('an image widget is never kept from an earlier run', () => {
  const runner = new AppRunner({ models: imagePort([]) });
  const plan = planWidgets([{ type: 'input', name: 't' }, gen('a', '{{t}}'), { type: 'image', name: 'pic', prompt: '{{a}}', modelId: 'img' }]);
  assert.throws(() => runner.resolveReuse(plan, { pic: 'x' }), /"pic" is an image widget, which runs again on every run/);
  assert.deepEqual([...runner.resolveReuse(plan, { a: 'kept' }).keys()], ['a']);
});
