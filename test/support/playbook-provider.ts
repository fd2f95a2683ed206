import {
  type ContentBlock,
  type ConverseResult,
  type ErrorCode,
  type GenerateRequest,
  type ModelInfo,
  type ModelProvider,
  type ProviderFactory,
  QuarryError,
  type StreamPart,
} from '../../src/core/index.js';
import type { AgentModelPort } from '../../src/agents/orchestration/index.js';

/**
 * A test-only model that plays back a script of turns, so agent scenarios are deterministic: plain text, one or
 * several tool calls in one turn, calls to tools that do not exist, arguments that do not fit. A step may be a
 * function of the request, to answer with what the conversation holds. Running out of steps is a model error, so
 * a loop that calls the model more often than the scenario expects fails visibly instead of hanging.
 */
export interface PlaybookToolCall {
  name: string;
  input: unknown;
  id?: string;
}

export interface PlaybookTurn {
  text?: string;
  toolCalls?: PlaybookToolCall[];
  usage?: { inputTokens: number; outputTokens: number };
  /** Fail this turn with the error code. */
  error?: ErrorCode;
  delayMs?: number;
}

export type PlaybookStep = PlaybookTurn | ((req: GenerateRequest, index: number) => PlaybookTurn);

export interface PlaybookOptions {
  modelId?: string;
  /** false: the model has no native tool calling, and the agent speaks ReAct with it. */
  supportsTools?: boolean;
  /** Played after the script runs out, for endless-loop scenarios. */
  repeat?: PlaybookStep;
}

export class Playbook {
  readonly requests: GenerateRequest[] = [];
  readonly model: ModelInfo;
  private next = 0;

  constructor(
    private readonly steps: PlaybookStep[],
    private readonly opts: PlaybookOptions = {},
  ) {
    this.model = {
      id: opts.modelId ?? 'playbook.agent-v1:0',
      name: 'Playbook',
      providerId: 'playbook',
      upstreamModel: 'playbook',
      family: 'generic',
      kind: 'text',
      inputModalities: ['TEXT'],
      outputModalities: ['TEXT'],
      contextWindow: 1_000_000,
      pricing: { inputPer1k: 0.001, outputPer1k: 0.002 },
      runsOn: 'local',
      supportsTools: opts.supportsTools ?? true,
      supportsStreaming: true,
    };
  }

  get played(): number {
    return this.next;
  }

  /** Adds steps to the end of the script (for a second invocation in the same test). */
  push(...steps: PlaybookStep[]): void {
    this.steps.push(...steps);
  }

  async generate(req: GenerateRequest, signal?: AbortSignal): Promise<ConverseResult> {
    this.requests.push(req);
    const i = this.next++;
    const step = this.steps[i] ?? this.opts.repeat;
    if (!step) throw new QuarryError('ModelErrorException', `The playbook has no turn ${i + 1} (it has ${this.steps.length}).`);
    const turn = typeof step === 'function' ? step(req, i) : step;
    if (turn.delayMs) {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, turn.delayMs);
        signal?.addEventListener(
          'abort',
          () => {
            clearTimeout(t);
            reject(signal.reason);
          },
          { once: true },
        );
      });
    }
    if (turn.error) throw new QuarryError(turn.error, `Playbook failure ${turn.error}`);
    const content: ContentBlock[] = [];
    if (turn.text !== undefined) content.push({ text: turn.text });
    for (const [k, c] of (turn.toolCalls ?? []).entries()) content.push({ toolUse: { toolUseId: c.id ?? `tooluse_${i}_${k}`, name: c.name, input: c.input } });
    const usage = turn.usage ?? { inputTokens: 10, outputTokens: 5 };
    return {
      message: { role: 'assistant', content },
      stopReason: turn.toolCalls?.length ? 'tool_use' : 'end_turn',
      usage: { ...usage, totalTokens: usage.inputTokens + usage.outputTokens },
      latencyMs: 0,
    };
  }

  /** A provider serving the playbook's model, for a real server (`extraProviderTypes`). */
  factory(): ProviderFactory {
    return (settings) => this.provider(settings.id);
  }

  provider(id = 'playbook'): ModelProvider {
    const self = this;
    return {
      id,
      type: 'playbook',
      listModels: async () => [{ ...self.model, providerId: id }],
      generate: (req, opts) => self.generate(req, opts.signal),
      async *stream(req, opts): AsyncGenerator<StreamPart> {
        const r = await self.generate(req, opts.signal);
        yield { type: 'messageStart', role: 'assistant' };
        let index = 0;
        for (const b of r.message.content) {
          if ('text' in b) {
            yield { type: 'contentBlockStart', index };
            yield { type: 'contentBlockDelta', index, delta: { text: b.text } };
          } else if ('toolUse' in b) {
            yield { type: 'contentBlockStart', index, toolUse: { toolUseId: b.toolUse.toolUseId, name: b.toolUse.name } };
            yield { type: 'contentBlockDelta', index, delta: { toolUse: { input: JSON.stringify(b.toolUse.input) } } };
          }
          yield { type: 'contentBlockStop', index };
          index++;
        }
        yield { type: 'messageStop', stopReason: r.stopReason };
        yield { type: 'metadata', usage: r.usage, latencyMs: 0 };
      },
    };
  }

  /** The model port an orchestrator under test uses, without a server (the runtime in production). */
  port(): AgentModelPort {
    return {
      resolveModel: async (id) => {
        if (id !== this.model.id) throw new QuarryError('ResourceNotFoundException', `Model ${id} is not in the playbook.`);
        return { model: this.model };
      },
      converse: async (ctx, req) => ({ ...(await this.generate({ ...req, model: this.model }, ctx.signal)), model: this.model }),
    };
  }
}

/** The text of the last message of a request (what the model is answering). */
export function lastText(req: GenerateRequest): string {
  const m = req.messages.at(-1);
  return (m?.content ?? []).map((b) => ('text' in b ? b.text : 'toolResult' in b ? b.toolResult.content.map((c) => ('text' in c ? c.text : '')).join('') : '')).join('');
}

/** The tool results of the last message, by tool-use id. */
export function toolResults(req: GenerateRequest): Map<string, { text: string; status?: string }> {
  const out = new Map<string, { text: string; status?: string }>();
  for (const b of req.messages.at(-1)?.content ?? []) {
    if ('toolResult' in b) out.set(b.toolResult.toolUseId, { text: b.toolResult.content.map((c) => ('text' in c ? c.text : '')).join(''), status: b.toolResult.status });
  }
  return out;
}
