import { z } from 'zod';
import { validation } from '../../../core/errors.js';
import type { GuardrailTopicPolicyAssessment } from '../assessment-types.js';
import { parsePolicyConfig } from '../parse-policy-config.js';
import { direction, reportedAction } from '../policy-direction.js';
import type { GuardrailSource, PolicyManifest, PolicyVerdict } from '../policy-verdict.js';
import { type ContentTerm, contentTerms } from '../text/content-terms.js';
import { cosine, type EmbedTexts, embedInBatches, embedSpans, encoderCosine, similarityScore } from '../text/embed-texts.js';
import { type TopicConfig, type TopicPolicyConfig, topicPolicyConfigSchema } from './topic-policy-config.js';
import { distinctTopicTerms, lexicalTopicScoreOfDistinct, type TopicProfile, topicProfile } from './topic-profile.js';
import { topicWindows } from './topic-windows.js';

/** One configured topic's result for a text: always reported, detected when its confidence reaches the threshold. */
export interface TopicFinding {
  name: string;
  type: 'DENY';
  action: 'BLOCKED' | 'NONE';
  detected: boolean;
  /** 0–1. */
  confidence: number;
  /** The parts behind the confidence: vocabulary overlap, and embedding similarity when an embedder was given. */
  lexical: number;
  semantic?: number;
  /** The window that scored highest, as offsets into the checked text. */
  evidence?: { start: number; end: number; text: string };
}

export interface TopicPolicyOptions {
  /** Embeds windows and topic anchors; without it, detection is lexical only. */
  embed?: EmbedTexts;
  /** Confidence at which a topic counts as detected (default 0.5). */
  threshold?: number;
  /**
   * Cosines that map to semantic scores 0 and 1: what unrelated text and a close paraphrase score with the embedder.
   * The defaults are measured for the embedded Universal Sentence Encoder.
   */
  similarity?: { floor: number; ceiling: number };
}

export const DEFAULT_TOPIC_THRESHOLD = 0.5;
export const USE_SIMILARITY = { floor: 0.3, ceiling: 0.78 } as const;
/** Share of the confidence that comes from embeddings when there are any; the rest is vocabulary. */
const SEMANTIC_SHARE = 0.7;

export const topicPolicyManifest: PolicyManifest = {
  id: 'topicPolicy',
  name: 'Denied topics',
  description:
    'Blocks text about configured topics, each given by a name, a definition and up to five example phrases; ' +
    'detection combines vocabulary overlap with sentence-embedding similarity, so it reaches beyond the examples.',
  sources: ['INPUT', 'OUTPUT'],
  parameters: z.toJSONSchema(topicPolicyConfigSchema, { io: 'input' }) as Record<string, unknown>,
};

export interface CompiledTopicPolicy {
  readonly config: TopicPolicyConfig;
  check(text: string, source: GuardrailSource): Promise<PolicyVerdict<TopicFinding>>;
}

interface CompiledTopic {
  config: TopicConfig;
  profile: TopicProfile;
  /** The texts whose embeddings stand for the topic: name with definition, and each example. */
  anchors: string[];
}

/**
 * Validates a Bedrock `topicPolicyConfig` and prepares each topic: its weighted vocabulary now, its anchor embeddings
 * on first use (once per compiled policy, shared by every check).
 */
export function compileTopicPolicy(input: unknown, options: TopicPolicyOptions = {}): CompiledTopicPolicy {
  const config = parsePolicyConfig(topicPolicyConfigSchema, input, 'topic policy');
  const threshold = options.threshold ?? DEFAULT_TOPIC_THRESHOLD;
  if (!(threshold >= 0 && threshold <= 1)) throw validation('The topic threshold must be between 0 and 1.');
  const { floor, ceiling } = options.similarity ?? USE_SIMILARITY;
  if (!(ceiling > floor)) throw validation('The similarity ceiling must be above the floor.');
  const embed = options.embed;
  const topics: CompiledTopic[] = config.topicsConfig.map((t) => ({
    config: t,
    profile: topicProfile(t),
    anchors: [`${t.name}: ${t.definition}`, ...(t.examples ?? [])],
  }));
  let anchorVectors: Promise<ArrayLike<number>[][]> | undefined;
  const anchors = () => {
    if (!anchorVectors) {
      anchorVectors = embedInBatches(embed!, topics.flatMap((t) => t.anchors)).then((flat) => {
        let at = 0;
        return topics.map((t) => {
          const vectors = flat.slice(at, at + t.anchors.length);
          at += t.anchors.length;
          return vectors;
        });
      });
      // A failed embedding call must not poison every later check.
      anchorVectors.catch(() => {
        anchorVectors = undefined;
      });
    }
    return anchorVectors;
  };

  return {
    config,
    async check(text, source) {
      if (typeof text !== 'string') throw validation('A topic check needs text (a string).');
      const active = topics.filter((t) => direction(t.config, source).enabled);
      const windows = topicWindows(text);
      const windowTerms = termsByWindow(contentTerms(text), windows).map(distinctTopicTerms);
      let windowVectors: ArrayLike<number>[] | undefined;
      let topicVectors: ArrayLike<number>[][] | undefined;
      if (embed && active.length > 0 && windows.length > 0) {
        [topicVectors, windowVectors] = await Promise.all([anchors(), embedSpans(embed, text, windows)]);
      }
      const findings: TopicFinding[] = active.map((topic) => {
        const t = topics.indexOf(topic);
        let best = { confidence: 0, lexical: 0, semantic: windowVectors ? 0 : undefined, window: -1 } as {
          confidence: number;
          lexical: number;
          semantic: number | undefined;
          window: number;
        };
        windows.forEach((_, w) => {
          const lexical = lexicalTopicScoreOfDistinct(topic.profile, windowTerms[w]!);
          let semantic: number | undefined;
          let confidence = lexical;
          if (windowVectors && topicVectors) {
            let cos = -1;
            for (const v of topicVectors[t]!) cos = Math.max(cos, cosine(windowVectors[w]!, v));
            semantic = similarityScore(encoderCosine(embed!, cos), floor, ceiling);
            confidence = SEMANTIC_SHARE * semantic + (1 - SEMANTIC_SHARE) * lexical;
          }
          if (confidence > best.confidence) best = { confidence, lexical, semantic, window: w };
        });
        const detected = best.confidence >= threshold && best.window >= 0;
        const finding: TopicFinding = {
          name: topic.config.name,
          type: 'DENY',
          action: detected ? reportedAction(direction(topic.config, source).action) : 'NONE',
          detected,
          confidence: round(best.confidence),
          lexical: round(best.lexical),
        };
        if (best.semantic !== undefined) finding.semantic = round(best.semantic);
        if (best.window >= 0) {
          const [start, end] = windows[best.window]!;
          finding.evidence = { start, end, text: text.slice(start, end) };
        }
        return finding;
      });
      const detected = findings.filter((f) => f.detected);
      return {
        policy: 'topicPolicy',
        detected: detected.length > 0,
        blocked: detected.some((f) => f.action === 'BLOCKED'),
        findings,
        textCharacters: text.length,
      };
    },
  };
}

/** Bedrock's `topicPolicy` assessment: the detected topics only, as Bedrock lists them. */
export function toTopicPolicyAssessment(verdict: PolicyVerdict<TopicFinding>): GuardrailTopicPolicyAssessment {
  return {
    topics: verdict.findings
      .filter((f) => f.detected)
      .map((f) => ({ name: f.name, type: f.type, action: f.action, detected: true })),
  };
}

/** The terms inside each window, from one pass over the whole text (windows overlap, so each is not re-tokenised). */
function termsByWindow(terms: readonly ContentTerm[], windows: Array<[number, number]>): ContentTerm[][] {
  let from = 0;
  return windows.map(([start, end]) => {
    while (from < terms.length && terms[from]!.start < start) from++;
    let to = from;
    while (to < terms.length && terms[to]!.end <= end) to++;
    return terms.slice(from, to);
  });
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
