/**
 * The create form's state and its translation into CreateGuardrail's body. A policy the user left empty is left out
 * of the body (the server refuses an empty policy); everything else is sent as typed, so the server's own validation
 * decides and its message is what the user sees.
 */

/** CreateGuardrail's body, as the form builds it (only the policies it covers). */
export interface GuardrailInput {
  name: string;
  description?: string;
  blockedInputMessaging: string;
  blockedOutputsMessaging: string;
  contentPolicyConfig?: { filtersConfig: { type: string; inputStrength: string; outputStrength: string }[] };
  topicPolicyConfig?: { topicsConfig: { name: string; definition: string; examples?: string[]; type: 'DENY' }[] };
  wordPolicyConfig?: { wordsConfig?: { text: string }[]; managedWordListsConfig?: { type: 'PROFANITY' }[] };
  sensitiveInformationPolicyConfig?: { piiEntitiesConfig: { type: string; action: string }[] };
  contextualGroundingPolicyConfig?: { filtersConfig: { type: 'GROUNDING' | 'RELEVANCE'; threshold: number }[] };
}

export const CONTENT_FILTERS = ['HATE', 'INSULTS', 'SEXUAL', 'VIOLENCE', 'MISCONDUCT', 'PROMPT_ATTACK'] as const;
export const STRENGTHS = ['NONE', 'LOW', 'MEDIUM', 'HIGH'] as const;
export type Strength = (typeof STRENGTHS)[number];

export interface TopicDraft {
  name: string;
  definition: string;
  /** One example per line. */
  examples: string;
}

export interface PiiDraft {
  type: string;
  action: 'BLOCK' | 'ANONYMIZE';
}

export interface GuardrailDraft {
  name: string;
  description: string;
  filters: Record<(typeof CONTENT_FILTERS)[number], { input: Strength; output: Strength }>;
  topics: TopicDraft[];
  /** One word or phrase per line. */
  words: string;
  profanity: boolean;
  pii: PiiDraft[];
  /** Thresholds 0–0.99 as typed; blank leaves the filter off. */
  grounding: string;
  relevance: string;
  blockedInput: string;
  blockedOutput: string;
}

export function emptyDraft(): GuardrailDraft {
  const off = { input: 'NONE', output: 'NONE' } as const;
  return {
    name: '',
    description: '',
    filters: { HATE: off, INSULTS: off, SEXUAL: off, VIOLENCE: off, MISCONDUCT: off, PROMPT_ATTACK: off },
    topics: [],
    words: '',
    profanity: false,
    pii: [],
    grounding: '',
    relevance: '',
    blockedInput: 'Sorry, the model cannot answer this question.',
    blockedOutput: 'Sorry, the model cannot answer this question.',
  };
}

const lines = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

export function guardrailInputOf(d: GuardrailDraft): GuardrailInput {
  const input: GuardrailInput = { name: d.name.trim(), blockedInputMessaging: d.blockedInput, blockedOutputsMessaging: d.blockedOutput };
  if (d.description.trim()) input.description = d.description.trim();
  const filters = CONTENT_FILTERS.filter((t) => d.filters[t].input !== 'NONE' || d.filters[t].output !== 'NONE').map((type) => ({
    type,
    inputStrength: d.filters[type].input,
    outputStrength: d.filters[type].output,
  }));
  if (filters.length) input.contentPolicyConfig = { filtersConfig: filters };
  const topics = d.topics.filter((t) => t.name.trim() || t.definition.trim() || t.examples.trim());
  if (topics.length) {
    input.topicPolicyConfig = {
      topicsConfig: topics.map((t) => {
        const examples = lines(t.examples);
        return { name: t.name.trim(), definition: t.definition.trim(), ...(examples.length ? { examples } : {}), type: 'DENY' as const };
      }),
    };
  }
  const words = lines(d.words);
  if (words.length || d.profanity) {
    input.wordPolicyConfig = {
      ...(words.length ? { wordsConfig: words.map((text) => ({ text })) } : {}),
      ...(d.profanity ? { managedWordListsConfig: [{ type: 'PROFANITY' as const }] } : {}),
    };
  }
  if (d.pii.length) input.sensitiveInformationPolicyConfig = { piiEntitiesConfig: d.pii.map((p) => ({ type: p.type, action: p.action })) };
  const grounding = [
    { type: 'GROUNDING' as const, value: d.grounding.trim() },
    { type: 'RELEVANCE' as const, value: d.relevance.trim() },
  ].filter((f) => f.value !== '');
  if (grounding.length) input.contextualGroundingPolicyConfig = { filtersConfig: grounding.map((f) => ({ type: f.type, threshold: Number(f.value) })) };
  return input;
}
