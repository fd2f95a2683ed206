import {
  type CallOptions,
  type ConverseResult,
  type GenerateRequest,
  type ModelInfo,
  type ModelProvider,
  QuarryError,
  type StopReason,
  type StreamPart,
  usageOf,
} from '../../src/core/index.js';
import type { ResolvedModel } from '../../src/models/index.js';
import { parseConfig } from '../../src/server/config.js';
import { type CallBudget, type Preflight, Router, type RoutingConfig } from '../../src/routing/index.js';

/** What one call to a fake provider does. */
export type Behaviour =
  | { ok: string; stopReason?: StopReason; delayMs?: number }
  | { fail: QuarryError; delayMs?: number }
  /** Waits for the abort, then throws its reason. */
  | { hang: true }
  /** Streams: `tokens` deltas, then an error part. */
  | { tokens: number; thenFail: QuarryError };

/**
 * A provider for routing's unit tests: each call takes the next behaviour from a script (the last one repeats), and
 * every request it receives is kept, so a test can see which deployment got which attempt.
 */
export class FakeProvider implements ModelProvider {
  readonly type = 'fake';
  readonly seen: GenerateRequest[] = [];
  /** Streams still open (not finished or closed). */
  open = 0;
  private n = 0;

  constructor(
    readonly id: string,
    private readonly script: Behaviour[] | ((call: number) => Behaviour),
  ) {}

  get calls(): number {
    return this.n;
  }

  async listModels(): Promise<ModelInfo[]> {
    return [];
  }

  private next(req: GenerateRequest): Behaviour {
    this.seen.push(req);
    const i = this.n++;
    if (typeof this.script === 'function') return this.script(i);
    return this.script[Math.min(i, this.script.length - 1)]!;
  }

  async generate(req: GenerateRequest, opts: CallOptions): Promise<ConverseResult> {
    const b = this.next(req);
    if ('hang' in b) return waitForAbort(opts.signal);
    if ('delayMs' in b && b.delayMs) await sleep(b.delayMs, opts.signal);
    if ('fail' in b) throw b.fail;
    if ('tokens' in b) throw b.thenFail;
    return {
      message: { role: 'assistant', content: [{ text: `${this.id}: ${b.ok}` }] },
      stopReason: b.stopReason ?? 'end_turn',
      usage: usageOf(10, 5),
      latencyMs: 0,
    };
  }

  async *stream(req: GenerateRequest, opts: CallOptions): AsyncGenerator<StreamPart> {
    const b = this.next(req);
    this.open++;
    try {
      yield { type: 'messageStart', role: 'assistant' };
      if ('hang' in b) await waitForAbort(opts.signal);
      if ('delayMs' in b && b.delayMs) await sleep(b.delayMs, opts.signal);
      if ('fail' in b) {
        yield { type: 'error', error: b.fail };
        return;
      }
      yield { type: 'contentBlockStart', index: 0 };
      if ('tokens' in b) {
        for (let i = 0; i < b.tokens; i++) yield { type: 'contentBlockDelta', index: 0, delta: { text: `t${i} ` } };
        yield { type: 'error', error: b.thenFail };
        return;
      }
      if ('ok' in b && b.stopReason === 'content_filtered') {
        yield { type: 'contentBlockStop', index: 0 };
        yield { type: 'messageStop', stopReason: 'content_filtered' };
        yield { type: 'metadata', usage: usageOf(10, 0), latencyMs: 0 };
        return;
      }
      yield { type: 'contentBlockDelta', index: 0, delta: { text: `${this.id}: ` } };
      yield { type: 'contentBlockDelta', index: 0, delta: { text: 'ok' in b ? b.ok : '' } };
      yield { type: 'contentBlockStop', index: 0 };
      yield { type: 'messageStop', stopReason: 'ok' in b ? (b.stopReason ?? 'end_turn') : 'end_turn' };
      yield { type: 'metadata', usage: usageOf(10, 2), latencyMs: 0 };
    } finally {
      this.open--;
    }
  }

  async embed(req: { inputs: string[] }, opts: CallOptions) {
    const b = this.next({ modelId: 'embed', messages: [], model: model('embed') });
    if ('hang' in b) return waitForAbort(opts.signal);
    if ('fail' in b) throw b.fail;
    return { embeddings: req.inputs.map(() => [1, 0]), inputTokens: req.inputs.length };
  }
}

function waitForAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

export function model(id: string, extra: Partial<ModelInfo> = {}): ModelInfo {
  return {
    id,
    name: id,
    providerId: 'p',
    upstreamModel: id,
    family: 'generic',
    kind: 'text',
    inputModalities: ['TEXT'],
    outputModalities: ['TEXT'],
    runsOn: 'remote',
    supportsTools: true,
    supportsStreaming: true,
    pricing: { inputPer1k: 1, outputPer1k: 2 },
    ...extra,
  };
}

/** A catalog over fixed models, each served by the provider named in its `providerId`. */
export function fakeCatalog(models: ModelInfo[], providers: ModelProvider[]) {
  const byId = new Map<string, ResolvedModel>();
  for (const m of models) byId.set(m.id, { model: m, provider: providers.find((p) => p.id === m.providerId)! });
  return {
    async resolve(id: string): Promise<ResolvedModel> {
      const hit = byId.get(id);
      if (!hit) throw new QuarryError('ResourceNotFoundException', `Model "${id}" is not available on this server.`);
      return hit;
    },
  };
}

/** The routing sections of a YAML configuration, validated as the server would. */
export function routingConfig(yaml: string, providerIds: string[]): RoutingConfig {
  const providers = providerIds.map((id) => `  - id: ${id}\n    type: fake\n`).join('');
  return parseConfig(`providers:\n${providers}${yaml}`, {});
}

/** A request budget of `ms` (the runtime's Deadline stands in production). */
export function budget(ms = 10_000, signal = new AbortController().signal): CallBudget {
  const endsAt = performance.now() + ms;
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(new DOMException('deadline', 'TimeoutError')), ms);
  timer.unref();
  signal.addEventListener('abort', () => ac.abort(signal.reason), { once: true });
  return { signal: ac.signal, remainingMs: () => endsAt - performance.now() };
}

export const ask = (modelId: string, text = 'hi', temperature?: number) => ({
  modelId,
  ...(temperature === undefined ? {} : { inferenceConfig: { temperature } }),
  messages: [{ role: 'user' as const, content: [{ text }] }] });

export interface TestRouter {
  router: Router;
  /** Backoff delays the router asked to sleep, in order. */
  sleeps: number[];
  /** Moves the router's clock (breaker cooldowns, retry budget). */
  advance(ms: number): void;
}

/** A router over fake providers and models, with a fake clock and a sleep that only records. */
export function testRouter(yaml: string, providers: FakeProvider[], models: ModelInfo[], preflight: Preflight = async () => undefined): TestRouter {
  let t = 1_000;
  const sleeps: number[] = [];
  const router = new Router({
    catalog: fakeCatalog(models, providers),
    providers,
    config: routingConfig(yaml, providers.map((p) => p.id)),
    preflight,
    random: () => 0.5,
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
  });
  return { router, sleeps, advance: (ms) => (t += ms) };
}
