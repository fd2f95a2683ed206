import type { ConverseRequest, ConverseResult, GuardrailReport, GuardrailRequest, GuardrailTrace, Logger, StreamPart } from '../core/index.js';
import { usageOf } from '../core/index.js';
import type { Principal } from '../iam/index.js';
import type { GuardrailAssessment, GuardrailUsage } from './engine/guardrail-assessment.js';
import { noUsage } from './engine/guardrail-assessment.js';
import type { GuardrailCheckRequest, GuardrailContentBlock, GuardrailOutcome } from './engine/guardrail-content.js';
import type { GuardrailEngine, ResolvedGuardrail } from './engine/guardrail-engine.js';
import { guardrailArn, guardrailIdOf } from './guardrail-ids.js';
import { guardedPrompt, maskedRequest } from './guarded-prompt.js';
import { guardOutputStream } from './guard-output-stream.js';

/** Who is invoking: enough to find the guardrail in their account and to ask whether they may apply it. */
export interface GuardrailCaller {
  principal: Principal;
  /** The request's authorization; absent for the server's own background work. */
  authorize?: (action: 'bedrock:ApplyGuardrail', resource: string) => Promise<void>;
  log: Logger;
}

export interface InvocationGuardsOptions {
  /** Late-bound: the server builds the guardrails module after the runtime that enforces it. */
  engine: () => GuardrailEngine;
  region: string;
  /** The account of principals that name none (the server's default). */
  defaultAccountId: string;
}

/**
 * The guardrail step of the invocation pipeline (authorize → admit → guardrail(input) → … → provider →
 * guardrail(output) → meter). `open` finds and authorizes the named version once; the guard it returns checks the
 * prompt, the answer, or a stream of answer parts, and reports what it did in Bedrock's trace shape.
 */
export class InvocationGuards {
  constructor(private readonly options: InvocationGuardsOptions) {}

  /**
   * ApplyGuardrail is authorized on the guardrail's ARN before anything is read (Bedrock asks for
   * `bedrock:ApplyGuardrail` beside `bedrock:InvokeModel`); an id in another account is not found, never forbidden.
   */
  async open(caller: GuardrailCaller, request: GuardrailRequest): Promise<InvocationGuard> {
    const scope = caller.principal.accountId ?? this.options.defaultAccountId;
    const id = guardrailIdOf(request.identifier, scope);
    if (caller.authorize && !caller.principal.isAdmin) await caller.authorize('bedrock:ApplyGuardrail', guardrailArn(this.options.region, scope, id));
    const resolved = await this.options.engine().resolve(scope, { guardrailIdentifier: id, guardrailVersion: request.version });
    return new InvocationGuard(resolved, request, caller.log);
  }
}

/** What the input check decided: a blocked answer to return instead of calling the model, or the request to send on. */
export type InputVerdict = { blocked: true; result: ConverseResult } | { blocked: false; request: ConverseRequest };

/** One guardrail version applied to one invocation; it accumulates the assessments for the trace. */
export class InvocationGuard {
  private inputAssessment: GuardrailAssessment | undefined;
  private readonly outputAssessments: GuardrailAssessment[] = [];
  private readonly modelOutput: string[] = [];
  private actionReason: string | undefined;
  private intervened = false;
  private readonly units: GuardrailUsage = noUsage();
  private references: GuardrailContentBlock[] = [];

  constructor(
    private readonly resolved: ResolvedGuardrail,
    private readonly request: GuardrailRequest,
    private readonly log: Logger,
  ) {}

  get guardrail(): { id: string; arn: string; version: string } {
    return { id: this.resolved.id, arn: this.resolved.arn, version: this.resolved.version };
  }

  get streamProcessingMode(): 'sync' | 'async' {
    return this.request.streamProcessingMode ?? 'sync';
  }

  /** Checks a piece of content directly (RetrieveAndGenerate's query and answer), counting it into the trace. */
  async check(source: GuardrailCheckRequest['source'], content: GuardrailContentBlock[]): Promise<GuardrailOutcome> {
    const outcome = await this.resolved.check({ source, content, outputScope: this.request.trace === 'enabled_full' ? 'FULL' : 'INTERVENTIONS' });
    for (const k of Object.keys(this.units) as (keyof GuardrailUsage)[]) this.units[k] += outcome.usage[k];
    const assessment = outcome.assessments[0] ?? {};
    if (source === 'INPUT') this.inputAssessment = assessment;
    else this.outputAssessments.push(assessment);
    if (outcome.action === 'GUARDRAIL_INTERVENED') {
      this.actionReason = outcome.actionReason;
      // Whatever the model wrote before the guardrail changed it: Bedrock's trace shows it as `modelOutput`.
      if (source === 'OUTPUT') this.modelOutput.push(...content.flatMap((b) => ('text' in b && !b.text.qualifiers?.length ? [b.text.text] : [])));
    }
    return outcome;
  }

  /**
   * The prompt check. Blocked: the configured input message is the answer and the model is never called. Masked:
   * the model sees the masked text. The request that goes on carries no guardrail (providers never see one).
   */
  async checkInput(req: ConverseRequest): Promise<InputVerdict> {
    const { guardrail: _, ...bare } = req;
    const prompt = guardedPrompt(bare);
    this.references = prompt.references;
    const outcome = await this.check('INPUT', prompt.content);
    if (outcome.blocked) {
      this.intervened = true;
      const result: ConverseResult = {
        message: { role: 'assistant', content: [{ text: outcome.blockedMessage ?? '' }] },
        stopReason: 'guardrail_intervened',
        usage: usageOf(0, 0),
        latencyMs: 0,
      };
      this.finish();
      return { blocked: true, result: { ...result, guardrail: this.report() } };
    }
    if (outcome.action === 'GUARDRAIL_INTERVENED' && outcome.blocks.some((b) => b.masked)) this.intervened = true;
    return { blocked: false, request: maskedRequest(bare, prompt, outcome.blocks) };
  }

  /** The answer check: every text block of the answer, judged against the prompt's grounding source and query. */
  async checkOutput(result: ConverseResult): Promise<ConverseResult> {
    const texts = result.message.content.flatMap((b, i) => ('text' in b ? [{ i, text: b.text }] : []));
    if (texts.length === 0) return this.done(result);
    const outcome = await this.check('OUTPUT', [...texts.map((t) => ({ text: { text: t.text } })), ...this.references]);
    if (outcome.blocked) {
      this.intervened = true;
      return this.done({ ...result, message: { role: 'assistant', content: [{ text: outcome.blockedMessage ?? '' }] }, stopReason: 'guardrail_intervened' });
    }
    if (!outcome.blocks.some((b) => b.masked)) return this.done(result);
    this.intervened = true;
    const content = [...result.message.content];
    texts.forEach((t, k) => {
      content[t.i] = { text: outcome.blocks[k]!.text };
    });
    return this.done({ ...result, message: { ...result.message, content } });
  }

  /** The answer's stream, checked in windows as it goes (see guard-output-stream.ts); the metadata part carries the report. */
  guardStream(parts: AsyncIterable<StreamPart>): AsyncGenerator<StreamPart> {
    return guardOutputStream(parts, {
      mode: this.streamProcessingMode,
      check: async (text) => {
        const o = await this.check('OUTPUT', [{ text: { text } }, ...this.references]);
        return { blocked: o.blocked, blockedMessage: o.blockedMessage ?? '', text: o.blocks[0]?.text ?? text, masked: o.blocks[0]?.masked ?? false };
      },
      onIntervened: () => {
        this.intervened = true;
      },
      report: () => {
        this.finish();
        return this.report();
      },
    });
  }

  /** A blocked prompt as a stream: the input message as the answer, with no model call behind it. */
  async *blockedStream(result: ConverseResult, started: number): AsyncGenerator<StreamPart> {
    yield { type: 'messageStart', role: 'assistant' };
    yield { type: 'contentBlockStart', index: 0 };
    const text = result.message.content[0] && 'text' in result.message.content[0] ? result.message.content[0].text : '';
    yield { type: 'contentBlockDelta', index: 0, delta: { text } };
    yield { type: 'contentBlockStop', index: 0 };
    yield { type: 'messageStop', stopReason: 'guardrail_intervened' };
    yield { type: 'metadata', usage: result.usage, latencyMs: Math.round(performance.now() - started), ...(result.guardrail ? { guardrail: result.guardrail } : {}) };
  }

  /** What the guardrail did, with Bedrock's trace when the request asked for one. */
  report(): GuardrailReport {
    const action = this.intervened ? 'INTERVENED' : 'NONE';
    if (this.request.trace === 'disabled') return { action };
    const id = this.resolved.id;
    const trace: GuardrailTrace = {};
    if (this.intervened && this.modelOutput.length) trace.modelOutput = [...this.modelOutput];
    if (this.inputAssessment) trace.inputAssessment = { [id]: this.inputAssessment };
    if (this.outputAssessments.length) trace.outputAssessments = { [id]: [...this.outputAssessments] };
    if (this.actionReason) trace.actionReason = this.actionReason;
    return { action, trace };
  }

  private done(result: ConverseResult): ConverseResult {
    this.finish();
    return { ...result, guardrail: this.report() };
  }

  private finished = false;
  /** Guardrail text units are not priced yet; they are logged so what a guardrail costs can be seen and billed later. */
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.log.info({ guardrail: this.resolved.id, guardrailVersion: this.resolved.version, action: this.intervened ? 'INTERVENED' : 'NONE', units: this.units }, 'guardrail applied');
  }
}
