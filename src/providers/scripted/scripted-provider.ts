import { createHash } from 'node:crypto';
import { collectStream } from '../../core/collect-stream.js';
import {
  type ConverseResult,
  type ErrorCode,
  type GenerateRequest,
  type ImageGenerationRequest,
  type ImageGenerationResult,
  type ModelInfo,
  type ModelProvider,
  type ProviderFactory,
  QuarryError,
  type StreamPart,
  type ToolSpec,
  textOf,
  type Usage,
  usageOf,
} from '../../core/index.js';
import { scriptedPng } from './scripted-png.js';

/**
 * A deterministic model for tests only — never registered by the server itself; tests inject it. It echoes, calls
 * tools, answers tool results and honours max tokens and stop sequences in ways a test can predict, and obeys
 * control words in the last user message: `__error:<Code>` fails, `__hang` waits for the abort, `__fail_after:<n>`
 * breaks the stream after n words, `__slow:<ms>` sleeps between words. A `cachePoint` behaves like Bedrock's prompt
 * cache, so metering can be tested through the real APIs: the words before the last one are cache writes the first
 * time this provider sees that prefix, cache reads after, and are not counted in `inputTokens`. Image models answer
 * with small PNGs derived from the prompt, negative prompt, seed and position (`__error:<Code>` in the prompt fails).
 */
export const createScriptedProvider: ProviderFactory = (settings) => new ScriptedProvider(settings.id, settings.models);

const DEFAULT_MODELS = (providerId: string): ModelInfo[] => [
  {
    id: 'scripted.echo-v1:0',
    name: 'Scripted echo',
    providerId,
    upstreamModel: 'echo',
    family: 'generic',
    kind: 'text',
    inputModalities: ['TEXT', 'IMAGE', 'DOCUMENT'],
    outputModalities: ['TEXT'],
    contextWindow: 4096,
    pricing: { inputPer1k: 0.001, outputPer1k: 0.002 },
    runsOn: 'local',
    supportsTools: true,
    supportsStreaming: true,
  },
  {
    id: 'scripted.embed-v1:0',
    name: 'Scripted embeddings',
    providerId,
    upstreamModel: 'embed',
    family: 'generic',
    kind: 'embedding',
    inputModalities: ['TEXT'],
    outputModalities: ['EMBEDDING'],
    embeddingDimensions: 8,
    runsOn: 'local',
    supportsTools: false,
    supportsStreaming: false,
  },
];

const words = (s: string) => s.split(/\s+/).filter(Boolean);

class ScriptedProvider implements ModelProvider {
  readonly type = 'scripted';
  private readonly models: ModelInfo[];
  /** Prefixes written to the pretend prompt cache (model and text); never evicted, as tests are short. */
  private readonly promptCache = new Set<string>();
  constructor(
    readonly id: string,
    models: ModelInfo[],
  ) {
    this.models = models.length ? models : DEFAULT_MODELS(id);
  }

  async listModels() {
    return this.models;
  }

  generate(req: GenerateRequest, opts: { signal: AbortSignal }): Promise<ConverseResult> {
    return collectStream(this.stream(req, opts));
  }

  async *stream(req: GenerateRequest, opts: { signal: AbortSignal }): AsyncGenerator<StreamPart> {
    const last = req.messages[req.messages.length - 1];
    const lastText = last ? textOf(last.content) : '';
    const inputTokens = words(textOf(req.system ?? []) + ' ' + req.messages.map((m) => textOf(m.content)).join(' ')).length;
    const usage = this.usageFor(req, inputTokens);
    const control = /__(error|hang|fail_after|slow):?(\S*)/.exec(lastText);
    if (control?.[1] === 'error') throw new QuarryError(control[2] as ErrorCode, `Scripted failure ${control[2]}`);
    if (control?.[1] === 'hang') {
      await new Promise((_, reject) => opts.signal.addEventListener('abort', () => reject(opts.signal.reason), { once: true }));
    }
    const failAfter = control?.[1] === 'fail_after' ? Number(control[2]) : Number.POSITIVE_INFINITY;
    const slowMs = control?.[1] === 'slow' ? Number(control[2]) : 0;

    yield { type: 'messageStart', role: 'assistant' };
    const toolResult = last?.content.find((b) => 'toolResult' in b);
    const tool = !toolResult ? pickTool(req) : undefined;
    if (tool) {
      const toolUseId = `tooluse_${createHash('sha256').update(lastText).digest('hex').slice(0, 16)}`;
      yield { type: 'contentBlockStart', index: 0, toolUse: { toolUseId, name: tool.name } };
      const input = JSON.stringify(exampleFor(tool.inputSchema.json, words(lastText).at(-1) ?? 'x'));
      // Split the JSON in two deltas, as real models stream partial tool input.
      const mid = Math.floor(input.length / 2);
      yield { type: 'contentBlockDelta', index: 0, delta: { toolUse: { input: input.slice(0, mid) } } };
      yield { type: 'contentBlockDelta', index: 0, delta: { toolUse: { input: input.slice(mid) } } };
      yield { type: 'contentBlockStop', index: 0 };
      yield { type: 'messageStop', stopReason: 'tool_use', rawStopReason: 'tool_use' };
      yield { type: 'metadata', usage: usage(10), latencyMs: 0 };
      return;
    }
    let reply: string;
    if (toolResult && 'toolResult' in toolResult) {
      const c = toolResult.toolResult.content.map((x) => ('text' in x ? x.text : 'json' in x ? JSON.stringify(x.json) : '')).join(' ');
      reply = `The tool returned: ${c}`;
    } else if (req.jsonSchema) {
      reply = JSON.stringify(exampleFor(req.jsonSchema.schema, words(lastText).at(-1) ?? 'x'));
    } else {
      reply = `You said: ${lastText}`;
    }
    const max = req.inferenceConfig?.maxTokens ?? Number.POSITIVE_INFINITY;
    const stops = req.inferenceConfig?.stopSequences ?? [];
    const out = words(reply);
    yield { type: 'contentBlockStart', index: 0 };
    let emitted = 0;
    let stopReason: 'end_turn' | 'max_tokens' | 'stop_sequence' = 'end_turn';
    for (const w of out) {
      if (opts.signal.aborted) throw opts.signal.reason;
      if (emitted >= max) {
        stopReason = 'max_tokens';
        break;
      }
      if (stops.some((s) => w.includes(s))) {
        stopReason = 'stop_sequence';
        break;
      }
      if (emitted >= failAfter) {
        yield { type: 'error', error: new QuarryError('ModelStreamErrorException', `Scripted stream failure after ${emitted} words`) };
        return;
      }
      if (slowMs) await new Promise((r) => setTimeout(r, slowMs));
      const piece = emitted === 0 ? w : ` ${w}`;
      yield { type: 'contentBlockDelta', index: 0, delta: { text: piece } };
      emitted++;
    }
    yield { type: 'contentBlockStop', index: 0 };
    yield { type: 'messageStop', stopReason, rawStopReason: stopReason };
    yield { type: 'metadata', usage: usage(emitted), latencyMs: 0 };
  }

  /** Usage for `output` words, with the words before the last cachePoint split out as cache reads or writes. */
  private usageFor(req: GenerateRequest, prompt: number): (output: number) => Usage {
    const blocks = [...(req.system ?? []), ...req.messages.flatMap((m) => m.content)];
    const at = blocks.findLastIndex((b) => 'cachePoint' in b);
    if (at < 0) return (output) => usageOf(prompt, output);
    const prefix = blocks.slice(0, at).map((b) => textOf([b]));
    const cached = Math.min(prompt, words(prefix.join(' ')).length);
    const key = `${req.model.id}\u0000${prefix.join('\u0001')}`;
    const field = this.promptCache.has(key) ? 'cacheReadInputTokens' : 'cacheWriteInputTokens';
    this.promptCache.add(key);
    return (output) => ({ inputTokens: prompt - cached, outputTokens: output, totalTokens: prompt + output, ...(cached ? { [field]: cached } : {}) });
  }

  async embed(req: { inputs: string[]; model: ModelInfo; dimensions?: number }) {
    const dims = req.dimensions ?? req.model.embeddingDimensions ?? 8;
    const embeddings = req.inputs.map((s) => {
      const h = createHash('sha256').update(s).digest();
      const v = Array.from({ length: dims }, (_, i) => (h[i % h.length]! - 128) / 128);
      const n = Math.hypot(...v) || 1;
      return v.map((x) => x / n);
    });
    return { embeddings, inputTokens: req.inputs.reduce((a, s) => a + words(s).length, 0) };
  }

  async generateImages(req: ImageGenerationRequest & { model: ModelInfo }): Promise<ImageGenerationResult> {
    const control = /__error:(\S+)/.exec(req.prompt);
    if (control) throw new QuarryError(control[1] as ErrorCode, `Scripted failure ${control[1]}`);
    const { width, height } = req.size ?? { width: 64, height: 64 };
    const images = Array.from({ length: req.count }, (_, i) => ({
      bytes: scriptedPng([req.prompt, req.negativePrompt ?? '', req.seed ?? '', i].join('\u0000'), width, height),
      mediaType: 'image/png' as const,
    }));
    return { images };
  }

  async countTokens(req: GenerateRequest) {
    return words(textOf(req.system ?? []) + ' ' + req.messages.map((m) => textOf(m.content)).join(' ')).length;
  }
}

function pickTool(req: GenerateRequest): ToolSpec | undefined {
  const tools = req.toolConfig?.tools.map((t) => t.toolSpec) ?? [];
  if (!tools.length) return undefined;
  const choice = req.toolConfig?.toolChoice;
  if (choice && 'tool' in choice) return tools.find((t) => t.name === choice.tool.name);
  if (choice && 'any' in choice) return tools[0];
  const text = textOf(req.messages.at(-1)?.content ?? []).toLowerCase();
  return tools.find((t) => text.includes(t.name.toLowerCase())) ?? (text.includes('use a tool') ? tools[0] : undefined);
}

/** A value that satisfies a (simple) JSON Schema, for tool inputs and structured output. */
function exampleFor(schema: Record<string, unknown>, word: string): unknown {
  switch (schema.type) {
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(props)) out[k] = exampleFor(v, word);
      return out;
    }
    case 'array':
      return [exampleFor((schema.items ?? {}) as Record<string, unknown>, word)];
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    default:
      return Array.isArray(schema.enum) ? schema.enum[0] : word;
  }
}
