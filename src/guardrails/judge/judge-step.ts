import { QuarryError, validation } from '../../core/errors.js';
import { filterStrengthBlocks } from '../classifiers/index.js';
import type { ContentPolicyConfig } from '../content-policy-config.js';
import { type ActiveFilter, activeContentFilters, type ContentStepResult, contentStepResult } from '../engine/content-filter-step.js';
import type { ConfidenceLevel } from '../engine/guardrail-assessment.js';
import type { GuardrailSource, PolicyVerdict, TopicConfig, TopicPolicyConfig } from '../policies/index.js';
import { direction, reportedAction } from '../policies/policy-direction.js';
import type { GuardrailJudge, JudgeCall } from './judge-model.js';
import { type JudgeItem, judgeItems, judgePrompt, judgeSchema } from './judge-prompt.js';
import { judgeWindows } from './judge-windows.js';
import { LLAMA_GUARD_3_CATEGORIES, parseLlamaGuard3 } from './llama-guard-taxonomy.js';
import { parseJudgeAnswer } from './parse-judge-answer.js';

/** What the apply loop reads of a topic finding; the judge has no lexical or semantic parts to report. */
export interface JudgedTopic {
  name: string;
  type: 'DENY';
  action: 'BLOCKED' | 'NONE';
  detected: boolean;
}

export interface JudgeVerdict {
  /** Present when the content policy is judged (tier STANDARD). */
  content?: ContentStepResult;
  /** Present when the topic policy is judged (tier STANDARD). */
  topics?: PolicyVerdict<JudgedTopic>;
}

export interface JudgeStep {
  readonly judgesContent: boolean;
  readonly judgesTopics: boolean;
  check(text: string, source: GuardrailSource): Promise<JudgeVerdict>;
}

const RANK: Record<ConfidenceLevel, number> = { NONE: 0, LOW: 1, MEDIUM: 2, HIGH: 3 };
/** A topic has no strength on Bedrock: the judge must be at least fairly sure. */
const TOPIC_DETECTED_AT: ConfidenceLevel = 'MEDIUM';

/**
 * The LLM judge as the engine of the content filters and/or denied topics (Bedrock's STANDARD tier). One judge call
 * per window rates every active category and topic at once; long text is judged in bounded windows, all of them, and
 * each category keeps its highest level over the windows. A judge that fails, times out, or answers something that
 * cannot be read (after one retry) fails the check with ServiceUnavailableException: Bedrock answers a guardrail's
 * own failure with an error, never with a pass, and a retryable 503 lets the SDKs retry.
 */
export function compileJudgeStep(judge: GuardrailJudge, content: ContentPolicyConfig | undefined, topics: TopicPolicyConfig | undefined): JudgeStep {
  const windowChars = judge.windowChars ?? 6000;
  const maxWindows = judge.maxWindows ?? 32;
  const timeoutMs = judge.timeoutMs ?? 15_000;
  const concurrency = Math.max(1, judge.concurrency ?? 4);
  const side = (source: GuardrailSource) => {
    const filters: ActiveFilter[] = content ? activeContentFilters(content, source) : [];
    const denied: TopicConfig[] = topics ? topics.topicsConfig.filter((t) => direction(t, source).enabled) : [];
    return { filters, denied, items: judgeItems(filters.map((f) => f.type), denied) };
  };
  const sides = { INPUT: side('INPUT'), OUTPUT: side('OUTPUT') };
  const llamaGuard = judge.taxonomy === 'llama-guard-3';
  if (llamaGuard) {
    if (topics) throw validation('The LLM judge uses Llama Guard 3\'s own categories (guardrails.judge.taxonomy), which have no custom topics: use tierName CLASSIC for topicPolicyConfig.');
    for (const f of [...sides.INPUT.filters, ...sides.OUTPUT.filters]) {
      if (!LLAMA_GUARD_3_CATEGORIES.has(f.type)) {
        throw validation(`The LLM judge uses Llama Guard 3's own categories (guardrails.judge.taxonomy), which have no ${f.type}: remove that filter or use tierName CLASSIC.`);
      }
    }
  }

  /** One judge call's conversation and how its answer is read. */
  function ask(text: string, source: GuardrailSource, items: JudgeItem[]): { call: Omit<JudgeCall, 'signal'>; read: (answer: string) => Map<string, ConfidenceLevel> | undefined } {
    if (llamaGuard) {
      // Llama Guard rates the last turn; an answer is judged after a neutral user turn, since only the answer is given.
      const messages: JudgeCall['messages'] = source === 'INPUT' ? [{ role: 'user', text }] : [{ role: 'user', text: 'Please answer.' }, { role: 'assistant', text }];
      const read = (answer: string) => {
        const levels = parseLlamaGuard3(answer);
        return levels && new Map(items.map((it) => [it.code, 'category' in it ? levels.get(it.category)! : 'NONE']));
      };
      return { call: { messages, maxTokens: 24 }, read };
    }
    const { system, prompt } = judgePrompt(text, source, items);
    const codes = items.map((i) => i.code);
    const jsonSchema = judge.structuredOutput === false ? undefined : { name: 'guardrail_verdict', description: 'A confidence level per code', schema: judgeSchema(items) };
    return { call: { system, messages: [{ role: 'user', text: prompt }], jsonSchema, maxTokens: 16 + 12 * items.length }, read: (answer) => parseJudgeAnswer(answer, codes) };
  }

  async function judgeWindow(text: string, source: GuardrailSource, items: JudgeItem[]): Promise<Map<string, ConfidenceLevel>> {
    const { call, read } = ask(text, source, items);
    const signal = AbortSignal.timeout(timeoutMs);
    let last = '';
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        last = await judge.model({ ...call, signal });
      } catch (e) {
        const why = signal.aborted ? `did not answer within ${timeoutMs} ms` : `failed: ${(e as Error).message}`;
        throw new QuarryError('ServiceUnavailableException', `The guardrail's LLM judge (model ${judge.modelId}) ${why}.`, { cause: e });
      }
      const levels = read(last);
      if (levels) return levels;
    }
    throw new QuarryError('ServiceUnavailableException', `The guardrail's LLM judge (model ${judge.modelId}) answered with something that is not a verdict: ${JSON.stringify(last.slice(0, 200))}`);
  }

  return {
    judgesContent: content !== undefined,
    judgesTopics: topics !== undefined,
    async check(text, source) {
      const { filters, denied, items } = sides[source];
      const best = new Map<string, ConfidenceLevel>(items.map((i) => [i.code, 'NONE']));
      if (items.length > 0 && text.length > 0) {
        const windows = judgeWindows(text, windowChars, maxWindows);
        let next = 0;
        let failed = false;
        const worker = async () => {
          // After one window fails the check has failed: the other workers stop rather than buy more judge calls.
          while (next < windows.length && !failed) {
            try {
              const [start, end] = windows[next++]!;
              const levels = await judgeWindow(text.slice(start, end), source, items);
              for (const [code, level] of levels) if (RANK[level] > RANK[best.get(code)!]) best.set(code, level);
            } catch (e) {
              failed = true;
              throw e;
            }
          }
        };
        await Promise.all(Array.from({ length: Math.min(concurrency, windows.length) }, worker));
      }
      const verdict: JudgeVerdict = {};
      if (content) verdict.content = contentStepResult(filters, (_, i) => best.get(items[i]!.code)!, filterStrengthBlocks);
      if (topics) {
        const findings = denied.map((t, i): JudgedTopic => {
          const detected = RANK[best.get(items[filters.length + i]!.code)!] >= RANK[TOPIC_DETECTED_AT];
          return { name: t.name, type: 'DENY', action: detected ? reportedAction(direction(t, source).action) : 'NONE', detected };
        });
        verdict.topics = {
          policy: 'topicPolicy',
          detected: findings.some((f) => f.detected),
          blocked: findings.some((f) => f.action === 'BLOCKED'),
          findings,
          textCharacters: text.length,
        };
      }
      return verdict;
    },
  };
}

/** A STANDARD tier names the LLM judge; without one configured the guardrail cannot be applied as written. */
export function requireJudge(judge: GuardrailJudge | undefined, policy: string): GuardrailJudge {
  if (judge) return judge;
  throw validation(
    `${policy}.tierConfig.tierName STANDARD runs the policy on an LLM judge, and this server has none: set guardrails.judge.modelId in its configuration, or use tierName CLASSIC (the offline detectors).`,
  );
}
