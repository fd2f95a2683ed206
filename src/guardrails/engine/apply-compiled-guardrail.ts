import type { GuardrailConfig } from '../guardrail-request-schema.js';
import {
  type GuardrailContextualGroundingPolicyAssessment,
  type GuardrailSource,
  type GuardrailTopic,
  type GuardrailWordPolicyAssessment,
  toContextualGroundingPolicyAssessment,
  toWordPolicyAssessment,
} from '../policies/index.js';
import type { GuardrailSteps } from './compile-guardrail.js';
import {
  type GuardrailAssessment,
  type GuardrailContentFilterAssessment,
  type GuardrailPiiEntityAssessment,
  type GuardrailRegexAssessment,
  noUsage,
  textUnits,
} from './guardrail-assessment.js';
import type { GuardrailBlockOutcome, GuardrailCheckRequest, GuardrailOutcome } from './guardrail-content.js';

type Directional = { inputEnabled?: boolean; outputEnabled?: boolean };
const enabledFor = (x: Directional, source: GuardrailSource) => ((source === 'INPUT' ? x.inputEnabled : x.outputEnabled) ?? true);
const LEVEL = { NONE: 0, LOW: 1, MEDIUM: 2, HIGH: 3 } as const;

/**
 * Applies compiled policies to one request, as Bedrock's ApplyGuardrail does. Unqualified and `guard_content` text
 * blocks are checked by every policy, each block whole (the detectors window long text themselves, so nothing is
 * truncated); `grounding_source` and `query` blocks are only the references contextual grounding judges an OUTPUT
 * answer against. Any BLOCK finding replaces the content with the side's blocked message; otherwise ANONYMIZE findings
 * are masked in place. Findings are merged over the blocks into one assessment.
 */
export async function applyCompiledGuardrail(
  config: GuardrailConfig,
  steps: GuardrailSteps,
  request: GuardrailCheckRequest,
): Promise<Omit<GuardrailOutcome, 'guardrail'>> {
  const started = performance.now();
  const { source } = request;
  const full = request.outputScope === 'FULL';
  const usage = noUsage();
  const blocks: GuardrailBlockOutcome[] = [];
  const guarded: Array<{ index: number; text: string }> = [];
  const sources: string[] = [];
  const queries: string[] = [];
  let total = 0;
  let images = 0;
  for (const block of request.content) {
    if ('image' in block) {
      images++;
      blocks.push({ text: '', guarded: false, masked: false });
      continue;
    }
    const { text, qualifiers = [] } = block.text;
    total += text.length;
    if (qualifiers.includes('grounding_source')) sources.push(text);
    if (qualifiers.includes('query')) queries.push(text);
    const isGuarded = qualifiers.length === 0 || qualifiers.includes('guard_content');
    if (isGuarded) guarded.push({ index: blocks.length, text });
    blocks.push({ text, guarded: isGuarded, masked: false });
  }

  const wordOn = steps.word && [...(config.wordPolicyConfig?.wordsConfig ?? []), ...(config.wordPolicyConfig?.managedWordListsConfig ?? [])].some((w) => enabledFor(w, source));
  const topicOn = steps.topic && (config.topicPolicyConfig?.topicsConfig ?? []).some((t) => enabledFor(t, source));
  const contentOn = steps.content?.activeFor(source) ?? false;
  const piiOn = steps.sensitive?.activeFor(source) ?? false;

  let blocked = false;
  let anonymized = false;
  const content = new Map<string, GuardrailContentFilterAssessment>();
  const words: GuardrailWordPolicyAssessment = { customWords: [], managedWordLists: [] };
  const wordSeen = new Set<string>();
  const topics = new Map<string, GuardrailTopic>();
  const piiEntities: GuardrailPiiEntityAssessment[] = [];
  const regexes: GuardrailRegexAssessment[] = [];

  // The asynchronous checks (embedding topics, the LLM judge) run for every block at once, before the synchronous loop,
  // so the synchronous policies below run in one pass with no await per block.
  const judge = steps.judge && ((contentOn && steps.judge.judgesContent) || (topicOn && steps.judge.judgesTopics)) ? steps.judge : undefined;
  const offlineTopics = topicOn && !judge?.judgesTopics;
  const [judged, topicVerdicts] =
    judge || offlineTopics
      ? await Promise.all([
          judge ? Promise.all(guarded.map((g) => judge.check(g.text, source))) : undefined,
          offlineTopics ? Promise.all(guarded.map((g) => steps.topic!.check(g.text, source))) : undefined,
        ])
      : [undefined, undefined];
  guarded.forEach((g, k) => {
    const units = textUnits(g.text.length);
    if (contentOn) {
      usage.contentPolicyUnits += units;
      const r = judged?.[k]?.content ?? steps.content!.check(g.text, source);
      blocked ||= r.blocked;
      for (const f of r.filters) {
        const seen = content.get(f.type);
        if (!seen || rank(f) > rank(seen)) content.set(f.type, f);
      }
    }
    if (wordOn) {
      usage.wordPolicyUnits += units;
      const verdict = steps.word!.check(g.text, source);
      blocked ||= verdict.blocked;
      const a = toWordPolicyAssessment(verdict);
      for (const w of a.customWords) if (once(wordSeen, `c${w.match}\0${w.action}`)) words.customWords.push(w);
      for (const w of a.managedWordLists) if (once(wordSeen, `m${w.match}\0${w.action}`)) words.managedWordLists.push(w);
    }
    if (topicOn) {
      usage.topicPolicyUnits += units;
      const verdict = judged?.[k]?.topics ?? topicVerdicts![k]!;
      blocked ||= verdict.blocked;
      for (const f of verdict.findings) {
        const seen = topics.get(f.name);
        const t: GuardrailTopic = { name: f.name, type: f.type, action: f.action, detected: f.detected };
        if (!seen || (t.detected && !seen.detected) || (t.action === 'BLOCKED' && seen.action !== 'BLOCKED')) topics.set(f.name, t);
      }
    }
    if (piiOn) {
      if (steps.sensitive!.regexOnly(source)) usage.sensitiveInformationPolicyFreeUnits += units;
      else usage.sensitiveInformationPolicyUnits += units;
      const r = steps.sensitive!.check(g.text, source);
      blocked ||= r.blocked;
      piiEntities.push(...r.piiEntities);
      regexes.push(...r.regexes);
      if (r.anonymized) {
        anonymized = true;
        blocks[g.index] = { text: r.masked, guarded: true, masked: true };
      }
    }
  });

  let grounding: GuardrailContextualGroundingPolicyAssessment | undefined;
  // Grounding judges model answers against references; without any reference there is nothing to judge against.
  if (steps.grounding && source === 'OUTPUT' && (sources.length > 0 || queries.length > 0)) {
    const verdict = await steps.grounding.check(
      {
        source: sources.join('\n'),
        query: queries.join('\n'),
        response: guarded.map((g) => g.text).join('\n'),
      },
      source,
    );
    if (verdict.findings.length > 0) {
      usage.contextualGroundingPolicyUnits += textUnits(verdict.textCharacters);
      blocked ||= verdict.blocked;
      grounding = toContextualGroundingPolicyAssessment(verdict);
    }
  }

  const assessment: GuardrailAssessment = {};
  const topicList = [...topics.values()].filter((t) => full || t.detected);
  if (topicList.length) assessment.topicPolicy = { topics: topicList };
  const filters = [...content.values()].filter((f) => full || f.detected);
  if (filters.length) assessment.contentPolicy = { filters };
  if (words.customWords.length || words.managedWordLists.length) assessment.wordPolicy = words;
  if (piiEntities.length || regexes.length) assessment.sensitiveInformationPolicy = { piiEntities, regexes };
  if (grounding) assessment.contextualGroundingPolicy = grounding;

  const guardedChars = guarded.reduce((n, g) => n + g.text.length, 0);
  const guardrailCoverage = { textCharacters: { guarded: guardedChars, total }, ...(images ? { images: { guarded: 0, total: images } } : {}) };
  assessment.invocationMetrics = { guardrailProcessingLatency: Math.round(performance.now() - started), usage: { ...usage }, guardrailCoverage };

  const blockedMessage = source === 'INPUT' ? config.blockedInputMessaging : config.blockedOutputsMessaging;
  const intervened = blocked || anonymized;
  return {
    usage,
    action: intervened ? 'GUARDRAIL_INTERVENED' : 'NONE',
    actionReason: blocked ? 'Guardrail blocked.' : anonymized ? 'Guardrail masked.' : 'No action.',
    outputs: blocked ? [{ text: blockedMessage }] : anonymized ? blocks.filter((b) => b.guarded).map((b) => ({ text: b.text })) : [],
    assessments: [assessment],
    guardrailCoverage,
    blocked,
    ...(blocked ? { blockedMessage } : {}),
    blocks,
  };
}

/** Which of two results for one filter to report: a detection over none, then the higher confidence. */
const rank = (f: GuardrailContentFilterAssessment) => (f.action === 'BLOCKED' ? 8 : 0) + (f.detected ? 4 : 0) + LEVEL[f.confidence];

function once(seen: Set<string>, key: string): boolean {
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}
