import { type ConverseRequest, type ImageGenerationRequest, type ImageMediaType, type ModelInfo, QuarryError, textOf, toQuarryError, type Usage, usageOf } from '../core/index.js';
import type { AppCallContext, AppCostOf, AppModelPort } from './app-model-port.js';
import type { AppGuardrail, GenerationWidget, ImageWidget, Widget } from './app-schemas.js';
import { EventChannel } from './event-channel.js';
import { type ModelWidget, renderTemplate, type WidgetPlan } from './widget-graph.js';

export type WidgetStatus = 'succeeded' | 'failed' | 'skipped';

/**
 * The largest image a widget keeps (decoded bytes). Runs are recorded whole for snapshots, images included, and an app
 * has at most MAX_IMAGE_WIDGETS of them, so a run's images stay within 4 × 4 MiB; a 1024×1024 PNG is about 1–3 MiB.
 */
export const MAX_IMAGE_BYTES = 4 * 1024 * 1024;

export interface WidgetOutput {
  name: string;
  type: Widget['type'];
  status: WidgetStatus;
  /** The input's value, the static text, or the model's answer (empty for an image widget). */
  text: string;
  /** An image widget's image, base64 as the wire formats carry it. */
  image?: { mediaType: ImageMediaType; base64: string };
  /** Images generated (1 for an image widget that succeeded), billed by the image. */
  images?: number;
  /** The model that answered (a fallback's, when one took over). */
  modelId?: string;
  usage?: Pick<Usage, 'inputTokens' | 'outputTokens' | 'totalTokens'>;
  latencyMs?: number;
  costUsd?: number;
  /** Set when the app's guardrail blocked or masked the prompt or the answer. */
  guardrailAction?: 'INTERVENED' | 'NONE';
  /** Kept from an earlier run at the caller's request (nothing it uses changed): not run, so no tokens or cost. */
  reused?: true;
  error?: { code: string; message: string };
}

export interface AppRun {
  appId: string;
  /** Set when the server kept the run (an owner's runs, not a share link's), so it can be frozen as a snapshot. */
  runId?: string;
  status: 'succeeded' | 'failed';
  /** Every widget, in the order the app lists them. */
  outputs: WidgetOutput[];
  usage: { inputTokens: number; outputTokens: number; totalTokens: number };
  costUsd: number;
  latencyMs: number;
}

export type AppRunEvent =
  | { type: 'widgetStart'; name: string }
  | { type: 'widgetDelta'; name: string; text: string }
  | { type: 'widgetDone'; output: WidgetOutput }
  | { type: 'runDone'; run: AppRun };

export interface AppRunRequest {
  appId: string;
  plan: WidgetPlan;
  guardrail?: AppGuardrail;
  /** Values by input name, as the caller sent them (checked here against the app's inputs). */
  inputs: Record<string, string>;
  /** Stream each answer as it is written (ConverseStream, authorized as InvokeModelWithResponseStream) or not (Converse). */
  stream: boolean;
  /**
   * Answers of generation widgets to keep from an earlier run, by name, instead of running them again: after an input
   * changes, only the widgets downstream of it need to run. Checked by resolveReuse.
   */
  reuse?: Record<string, string>;
}

export interface AppRunnerDeps {
  models: AppModelPort;
  costOf?: AppCostOf;
  /** Model calls one run makes at once (8 by default): an app of 50 independent widgets must not be 50 calls of one request. */
  maxConcurrent?: number;
}

const DEFAULT_MAX_CONCURRENT = 8;

/** Slots for a run's model calls, handed out in the order they were asked for. */
function slots(size: number): <T>(work: () => Promise<T>) => Promise<T> {
  let free = size;
  const waiting: (() => void)[] = [];
  return async (work) => {
    if (free > 0) free--;
    else await new Promise<void>((r) => waiting.push(r));
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
}

/**
 * Runs an app: every generation widget starts as soon as the widgets it refers to have finished, so independent
 * ones run at the same time, and each call goes through the runtime as the caller (IAM, quotas, budgets, guardrails,
 * metering). A widget that fails does not stop the others; the widgets downstream of it are skipped, saying why.
 */
export class AppRunner {
  constructor(private readonly deps: AppRunnerDeps) {}

  /** Checks the inputs before anything runs, so a bad request is refused whole with a clear error. */
  resolveInputs(plan: WidgetPlan, given: Record<string, string>): Map<string, string> {
    const values = new Map<string, string>();
    // A document widget's value is its file's extracted text (see AppService.withDocuments), or text sent as an input.
    const inputs = plan.widgets.filter((w) => w.type === 'input' || w.type === 'document');
    const names = new Set(inputs.map((w) => w.name));
    const unknown = Object.keys(given).filter((k) => !names.has(k));
    if (unknown.length > 0) {
      const list = inputs.length ? inputs.map((w) => w.name).join(', ') : 'none';
      throw new QuarryError('ValidationException', `The app has no input named ${unknown.map((k) => `"${k.slice(0, 64)}"`).join(', ')} (its inputs: ${list}).`);
    }
    const missing: string[] = [];
    for (const w of inputs) {
      const v = Object.hasOwn(given, w.name) ? given[w.name]! : w.type === 'input' ? w.defaultValue : undefined;
      if (v === undefined || v.trim() === '') missing.push(w.name);
      else values.set(w.name, v);
    }
    if (missing.length > 0) throw new QuarryError('ValidationException', `Input${missing.length > 1 ? 's' : ''} ${missing.map((n) => `"${n}"`).join(', ')} need${missing.length > 1 ? '' : 's'} a value.`);
    return values;
  }

  /**
   * Checks the answers a caller asks to keep: each names a generation widget, and everything such a widget uses that
   * is itself generated is kept too. Otherwise a kept answer would sit downstream of one that is run again, and the
   * run would show answers that no longer follow from each other.
   */
  resolveReuse(plan: WidgetPlan, reuse: Record<string, string> | undefined): Map<string, string> {
    const kept = new Map(Object.entries(reuse ?? {}));
    const typeOf = new Map(plan.widgets.map((w) => [w.name, w.type]));
    const problems: string[] = [];
    for (const name of kept.keys()) {
      if (typeOf.get(name) === 'image') {
        problems.push(`"${name}" is an image widget, which runs again on every run`);
        continue;
      }
      if (typeOf.get(name) !== 'generation') {
        problems.push(`"${name.slice(0, 64)}" is not a text-generation widget of the app`);
        continue;
      }
      const rerun = (plan.dependsOn.get(name) ?? []).filter((d) => typeOf.get(d) === 'generation' && !kept.has(d));
      if (rerun.length) problems.push(`"${name}" uses ${rerun.map((d) => `"${d}"`).join(', ')}, which would run again, so it must run again too`);
    }
    if (problems.length) throw new QuarryError('ValidationException', `Cannot keep those answers: ${problems.slice(0, 5).join('; ')}.`);
    return kept;
  }

  async run(ctx: AppCallContext, req: AppRunRequest): Promise<AppRun> {
    let last: AppRun | undefined;
    for await (const e of this.events(ctx, req)) if (e.type === 'runDone') last = e.run;
    return last!;
  }

  async *events(ctx: AppCallContext, req: AppRunRequest): AsyncGenerator<AppRunEvent> {
    const values = this.resolveInputs(req.plan, req.inputs);
    const kept = this.resolveReuse(req.plan, req.reuse);
    const started = performance.now();
    // Linked to the client's signal, and aborted when the consumer stops early, so no widget keeps a model busy for nobody.
    const abort = new AbortController();
    const onClientAbort = () => abort.abort(ctx.signal.reason);
    if (ctx.signal.aborted) onClientAbort();
    else ctx.signal.addEventListener('abort', onClientAbort, { once: true });
    const call: AppCallContext = { ...ctx, signal: abort.signal };
    const channel = new EventChannel<AppRunEvent>();
    const inSlot = slots(this.deps.maxConcurrent ?? DEFAULT_MAX_CONCURRENT);
    const outputs = new Map<string, WidgetOutput>();
    const typeOf = new Map(req.plan.widgets.map((w) => [w.name, w.type]));
    for (const [name, text] of values) outputs.set(name, { name, type: typeOf.get(name) ?? 'input', status: 'succeeded', text });
    // Static text is a value like an input's, fixed by the app.
    for (const w of req.plan.widgets) {
      if (w.type !== 'text') continue;
      values.set(w.name, w.text);
      outputs.set(w.name, { name: w.name, type: 'text', status: 'succeeded', text: w.text });
    }

    const tasks = new Map<string, Promise<WidgetOutput>>();
    for (const [name, text] of kept) {
      const out: WidgetOutput = { name, type: 'generation', status: 'succeeded', text, reused: true };
      outputs.set(name, out);
      tasks.set(name, Promise.resolve(out));
      channel.push({ type: 'widgetDone', output: out });
    }
    const taskOf = (w: ModelWidget): Promise<WidgetOutput> => {
      let t = tasks.get(w.name);
      if (!t) {
        t = this.runWidget(call, req, w, values, outputs, taskOf, channel, inSlot);
        tasks.set(w.name, t);
      }
      return t;
    };
    const all = Promise.all(req.plan.order.map(taskOf)).finally(() => channel.close());
    let finished = false;
    try {
      yield* channel.drain();
      await all;
      finished = true;
    } finally {
      ctx.signal.removeEventListener('abort', onClientAbort);
      if (!finished) {
        abort.abort();
        // Every widget settles once aborted; nobody is left to read the results.
        all.catch(() => undefined);
      }
    }
    // Chatbots are conversations beside the run, not part of it.
    const list = req.plan.widgets.filter((w) => w.type !== 'chatbot').map((w) => outputs.get(w.name)!);
    const usage = usageOf(0, 0);
    let costUsd = 0;
    for (const o of list) {
      usage.inputTokens += o.usage?.inputTokens ?? 0;
      usage.outputTokens += o.usage?.outputTokens ?? 0;
      costUsd += o.costUsd ?? 0;
    }
    usage.totalTokens = usage.inputTokens + usage.outputTokens;
    const run: AppRun = {
      appId: req.appId,
      status: list.every((o) => o.status === 'succeeded') ? 'succeeded' : 'failed',
      outputs: list,
      usage,
      costUsd,
      latencyMs: Math.round(performance.now() - started),
    };
    yield { type: 'runDone', run };
  }

  private async runWidget(
    ctx: AppCallContext,
    req: AppRunRequest,
    w: ModelWidget,
    values: Map<string, string>,
    outputs: Map<string, WidgetOutput>,
    taskOf: (w: ModelWidget) => Promise<WidgetOutput>,
    channel: EventChannel<AppRunEvent>,
    inSlot: <T>(work: () => Promise<T>) => Promise<T>,
  ): Promise<WidgetOutput> {
    const deps = req.plan.dependsOn.get(w.name) ?? [];
    const upstream = await Promise.all(deps.map((d) => outputs.get(d) ?? taskOf(req.plan.widgets.find((x) => x.name === d) as ModelWidget)));
    const blocked = upstream.filter((o) => o.status !== 'succeeded').map((o) => o.name);
    let out: WidgetOutput;
    if (blocked.length > 0) {
      out = { name: w.name, type: w.type, status: 'skipped', text: '', error: { code: 'DependencyFailed', message: `Not run: it uses ${blocked.map((b) => `"${b}"`).join(', ')}, which did not succeed.` } };
    } else {
      const inputs = new Map([...values, ...upstream.map((o) => [o.name, o.text] as const)]);
      out = await inSlot(() => {
        channel.push({ type: 'widgetStart', name: w.name });
        return w.type === 'image' ? this.image(ctx, w, inputs) : this.generate(ctx, req, w, inputs, channel);
      }).catch((e: unknown) => {
        const err = toQuarryError(e);
        return { name: w.name, type: w.type, status: 'failed' as const, text: '', modelId: w.modelId, error: { code: err.code, message: err.message } };
      });
    }
    outputs.set(w.name, out);
    channel.push({ type: 'widgetDone', output: out });
    return out;
  }

  /** One image for an image widget, through the runtime (IAM, quotas, metering) as the caller; no guardrail reads images. */
  private async image(ctx: AppCallContext, w: ImageWidget, values: Map<string, string>): Promise<WidgetOutput> {
    const generateImages = this.deps.models.generateImages?.bind(this.deps.models);
    if (!generateImages) throw new QuarryError('ValidationException', `Widget "${w.name}" generates an image, but this server's apps cannot call image models.`);
    const [width, height] = w.size ? w.size.split('x').map(Number) : [];
    const request: ImageGenerationRequest = {
      modelId: w.modelId,
      prompt: renderTemplate(w.prompt, values),
      count: 1,
      ...(w.negativePrompt?.trim() ? { negativePrompt: renderTemplate(w.negativePrompt, values) } : {}),
      ...(width && height ? { size: { width, height } } : {}),
    };
    const started = performance.now();
    const r = await generateImages(ctx, request);
    const image = r.images[0];
    if (!image) throw new QuarryError('ModelErrorException', `Model ${r.model.id} answered with no image.`);
    if (image.bytes.byteLength > MAX_IMAGE_BYTES) {
      throw new QuarryError('ValidationException', `Model ${r.model.id} made an image of ${image.bytes.byteLength} bytes; an app keeps images up to ${MAX_IMAGE_BYTES} bytes (ask for a smaller size).`);
    }
    const u = usageOf(0, 0);
    return {
      name: w.name,
      type: 'image',
      status: 'succeeded',
      text: '',
      image: { mediaType: image.mediaType, base64: Buffer.from(image.bytes).toString('base64') },
      images: 1,
      modelId: r.model.id,
      usage: { inputTokens: u.inputTokens, outputTokens: u.outputTokens, totalTokens: u.totalTokens },
      latencyMs: Math.round(performance.now() - started),
      costUsd: this.deps.costOf?.(r.model, u, 1) ?? 0,
    };
  }

  private async generate(ctx: AppCallContext, req: AppRunRequest, w: GenerationWidget, values: Map<string, string>, channel: EventChannel<AppRunEvent>): Promise<WidgetOutput> {
    const request: ConverseRequest = {
      modelId: w.modelId,
      messages: [{ role: 'user', content: [{ text: renderTemplate(w.prompt, values) }] }],
      ...(w.system?.trim() ? { system: [{ text: renderTemplate(w.system, values) }] } : {}),
      ...(w.inferenceConfig ? { inferenceConfig: w.inferenceConfig } : {}),
      ...(req.guardrail ? { guardrail: { identifier: req.guardrail.guardrailIdentifier, version: req.guardrail.guardrailVersion, trace: 'disabled' as const } } : {}),
    };
    let model: ModelInfo;
    let text = '';
    let usage: Usage | undefined;
    let latencyMs = 0;
    let guardrailAction: 'INTERVENED' | 'NONE' | undefined;
    if (req.stream) {
      const handle = await this.deps.models.converseStream(ctx, request);
      model = handle.model;
      for await (const part of handle.parts) {
        if (part.type === 'contentBlockDelta' && 'text' in part.delta) {
          text += part.delta.text;
          channel.push({ type: 'widgetDelta', name: w.name, text: part.delta.text });
        } else if (part.type === 'metadata') {
          usage = part.usage;
          latencyMs = part.latencyMs;
          guardrailAction = part.guardrail?.action;
        } else if (part.type === 'error') throw part.error;
      }
    } else {
      const r = await this.deps.models.converse(ctx, request);
      model = r.model;
      text = textOf(r.message.content);
      usage = r.usage;
      latencyMs = r.latencyMs;
      guardrailAction = r.guardrail?.action;
      channel.push({ type: 'widgetDelta', name: w.name, text });
    }
    const u = usage ?? usageOf(0, 0);
    return {
      name: w.name,
      type: 'generation',
      status: 'succeeded',
      text,
      modelId: model.id,
      usage: { inputTokens: u.inputTokens, outputTokens: u.outputTokens, totalTokens: u.totalTokens },
      latencyMs,
      costUsd: this.deps.costOf?.(model, u) ?? 0,
      ...(guardrailAction ? { guardrailAction } : {}),
    };
  }
}
